/**
 * The indexer's tables as the service's tests and benches create them (service/src/indexer/ddl.ts)
 * must accept the rows Ponder's own tables accept: a column with a default in the schema keeps it,
 * so a row written without it (as the benches' bulk seeds do) gets the default, not an error.
 */
import { expect } from "chai";
import { isTable } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";

import * as schema from "../../indexer/ponder.schema.js";
import { indexerDdl, proposedIndexDdl } from "../../service/src/indexer/ddl.js";

describe("the indexer's tables for tests and benches", function () {
  it("carries every column default of the Ponder schema", function () {
    const ddl = indexerDdl().join("\n");
    const claims = getTableConfig(schema.claims);
    const defaulted = claims.columns.filter((c) => c.hasDefault).map((c) => c.name);
    expect(defaulted).to.include.members(["no_response_credit", "resolution_credit"]);
    for (const name of defaulted) expect(ddl).to.match(new RegExp(`"${name}" [^,\\n]* NOT NULL DEFAULT 0`));
  });

  it("proposes indexes only on tables and columns the Ponder schema has, none of which it indexes already", function () {
    const tables = new Map(
      Object.values(schema as Record<string, unknown>)
        .filter((v): v is Parameters<typeof getTableConfig>[0] => isTable(v))
        .map((t) => [getTableConfig(t).name, getTableConfig(t)]),
    );
    const proposed = proposedIndexDdl();
    expect(proposed).to.have.length(3);
    for (const statement of proposed) {
      const [, table, list] = /ON "(\w+)" \(([^)]*)\)/.exec(statement) ?? [];
      const config = tables.get(table ?? "");
      expect(config, statement).to.not.equal(undefined);
      const columns = [...(list ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1]);
      for (const c of columns)
        expect(
          config!.columns.map((x) => x.name),
          statement,
        ).to.include(c);
      // Not a copy of one the schema declares (then it would belong there, not here).
      const declared = config!.indexes.map((i) =>
        i.config.columns.map((c) => ("name" in c && typeof c.name === "string" ? c.name : "")).join(","),
      );
      expect(declared, statement).to.not.include(columns.join(","));
    }
  });
});
