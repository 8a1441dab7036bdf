// `pg` is installed as Ponder's own dependency and ships no types; this covers the little the
// scripts use. Remove once `pg` and `@types/pg` are devDependencies.
declare module "pg" {
  export type QueryResult<Row> = { rows: Row[]; rowCount: number | null };
  export class Client {
    constructor(config: { connectionString: string });
    connect(): Promise<void>;
    query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
    end(): Promise<void>;
  }
  const pg: { Client: typeof Client };
  export default pg;
}
