/**
 * The service's PostgreSQL pool when the server drops its connections (an operator's
 * pg_terminate_backend, a failover): the process survives and the next query reconnects.
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";
import pg from "pg";

import { openDatabase, queryRows } from "../../service/src/db/client.js";

const url = process.env.DATABASE_URL;

(url === undefined ? describe.skip : describe)("PostgreSQL connections terminated under the service", function () {
  // A database of its own: the test terminates every other connection to it.
  const name = `faults_${process.pid}_${Date.now().toString(36)}`;
  const scratch = () => {
    const u = new URL(url!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  before(() => admin((c) => c.query(`CREATE DATABASE ${name}`)));
  after(() => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));

  it("reports each dropped idle connection and answers the next query on a new one", async function () {
    const errors: string[] = [];
    const handle = await openDatabase({ url: scratch(), poolSize: 3, onIdleError: (e) => errors.push(e.message) });
    try {
      // Three connections in the pool, idle.
      await Promise.all([1, 2, 3].map(() => handle.db.execute(sql`SELECT pg_sleep(0.05)`)));
      const pids = (await queryRows<{ pid: number }>(handle.db, sql`SELECT pg_backend_pid() AS pid`)).map((r) => r.pid);
      expect(pids).to.have.length(1);
      const killed = await admin((c) =>
        c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]),
      );
      expect(killed.rowCount).to.equal(3);
      // The pool hears of each dropped connection (as an error, not as a crash)… Each socket
      // reports on its own time: under load the third can come well after the first.
      for (let waited = 0; errors.length < 3 && waited < 10_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(errors).to.have.length(3);
      for (const e of errors) expect(e).to.match(/terminat/);
      // …and the next queries run on new connections.
      const after = await queryRows<{ one: number }>(handle.db, sql`SELECT 1 AS one`);
      expect(after).to.deep.equal([{ one: 1 }]);
      const newPid = (await queryRows<{ pid: number }>(handle.db, sql`SELECT pg_backend_pid() AS pid`))[0]!.pid;
      expect(pids).not.to.include(newPid);
    } finally {
      await handle.close();
    }
  });
  it("survives a connection terminated while a transaction holds it between queries", async function () {
    const errors: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    // Mocha's own handler would fail the run; this test wants to see whether anything escapes.
    const mochaHandlers = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", onUncaught);
    const handle = await openDatabase({ url: scratch(), poolSize: 2, onIdleError: (e) => errors.push(e.message) });
    try {
      const tx = handle.db.transaction(async (t) => {
        await t.execute(sql`SELECT 1`);
        // The connection is checked out and idle in the transaction while the server drops it.
        await admin((c) =>
          c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND state <> 'active'", [
            name,
          ]),
        );
        await new Promise((r) => setTimeout(r, 300));
        await t.execute(sql`SELECT 2`);
      });
      let failure: unknown;
      await tx.catch((e: unknown) => (failure = e));
      expect(failure, "the transaction fails").to.be.instanceOf(Error);
      expect(uncaught, "nothing escapes to the process").to.deep.equal([]);
      expect(errors.join(" ")).to.match(/terminat/);
      const after = await queryRows<{ one: number }>(handle.db, sql`SELECT 1 AS one`);
      expect(after).to.deep.equal([{ one: 1 }]);
    } finally {
      process.removeListener("uncaughtException", onUncaught);
      for (const h of mochaHandlers) process.on("uncaughtException", h);
      await handle.close();
    }
  });
});
