/**
 * CREATE statements for the indexer's tables, generated from the Ponder table objects in
 * indexer/ponder.schema.ts. In production Ponder creates these tables itself; tests and benches
 * use this to give the service's reader the same tables in a plain PGlite/PostgreSQL database,
 * without hand-copying the schema (a column added to the schema shows up here too).
 */
import { isTable } from "drizzle-orm";
import { getTableConfig, isPgEnum, type PgColumn, type PgEnum, type PgTable } from "drizzle-orm/pg-core";

import * as schema from "../../../indexer/ponder.schema.js";

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** A column's constant default as SQL (Ponder's tables carry them too: `.default(0n)`). */
function defaultSql(column: PgColumn): string {
  const value: unknown = column.default;
  if (!column.hasDefault || value === undefined) return "";
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") {
    return ` DEFAULT ${String(value)}`;
  }
  if (typeof value === "string") return ` DEFAULT ${literal(value)}`;
  throw new Error(`column ${column.name}: only constant defaults are supported here`);
}

function columnSql(column: PgColumn): string {
  const isEnum = "enum" in column && isPgEnum(column.enum);
  const type = isEnum ? quote((column.enum as PgEnum<[string, ...string[]]>).enumName) : column.getSQLType();
  return `${quote(column.name)} ${type}${column.notNull ? " NOT NULL" : ""}${defaultSql(column)}${column.primary ? " PRIMARY KEY" : ""}`;
}

function tableSql(table: PgTable): string[] {
  const config = getTableConfig(table);
  const parts = config.columns.map(columnSql);
  for (const pk of config.primaryKeys) parts.push(`PRIMARY KEY (${pk.columns.map((c) => quote(c.name)).join(", ")})`);
  const statements = [`CREATE TABLE ${quote(config.name)} (\n  ${parts.join(",\n  ")}\n)`];
  config.indexes.forEach((index, i) => {
    const columns = index.config.columns.map((c) => {
      if (!("name" in c) || typeof c.name !== "string")
        throw new Error(`index on ${config.name}: expression indexes are not supported here`);
      return quote(c.name);
    });
    const name = index.config.name ?? `${config.name}_idx_${i}`;
    statements.push(
      `CREATE ${index.config.unique ? "UNIQUE " : ""}INDEX ${quote(name)} ON ${quote(config.name)} (${columns.join(", ")})`,
    );
  });
  return statements;
}

/** The statements creating every enum type, table and index of the indexer schema, in order. */
export function indexerDdl(): string[] {
  const values: unknown[] = Object.values(schema);
  const enums = values.filter((v): v is PgEnum<[string, ...string[]]> => isPgEnum(v));
  const tables = values.filter((v): v is PgTable => isTable(v));
  return [
    ...enums.map((e) => `CREATE TYPE ${quote(e.enumName)} AS ENUM (${e.enumValues.map(literal).join(", ")})`),
    ...tables.flatMap(tableSql),
  ];
}

/** The indexer's table names, for tests that want to empty them. */
export function indexerTableNames(): string[] {
  return Object.values(schema as Record<string, unknown>)
    .filter((v): v is PgTable => isTable(v))
    .map((t) => getTableConfig(t).name);
}
