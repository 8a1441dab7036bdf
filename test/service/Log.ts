/**
 * The service's log lines: written at once, or info lines in batches (LOG_FLUSH_MS) that a warning,
 * a full batch, the timer or the process's exit writes, in order and without losing one.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";

import { loadConfig } from "../../service/src/config.js";
import { createLogger } from "../../service/src/http/log.js";

const LOG_MODULE = fileURLToPath(new URL("../../service/src/http/log.ts", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger whose writes are kept: each element is one write (one system call on stderr). */
function capture(level: "info" | "warn", flushMs: number) {
  const writes: string[] = [];
  const log = createLogger(level, { flushMs, write: (text) => writes.push(text) });
  const lines = () =>
    writes
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, writes, lines };
}

describe("service log", function () {
  it("writes each line at once when LOG_FLUSH_MS is 0", function () {
    const { log, writes, lines } = capture("info", 0);
    log.info("request", { path: "/v1/claims/1" });
    log.info("request", { path: "/v1/claims/2" });
    expect(writes).to.have.length(2);
    expect(lines().map((l) => l.path)).to.deep.equal(["/v1/claims/1", "/v1/claims/2"]);
    expect(lines()[0]).to.include({ level: "info", msg: "request" });
    expect(Date.parse(lines()[0]!.time as string)).to.be.closeTo(Date.now(), 5_000);
  });

  it("holds info lines for a batch, and a warning writes them first, in order, in one write", function () {
    const { log, writes, lines } = capture("info", 10_000);
    log.info("request", { n: 1 });
    log.info("request", { n: 2 });
    expect(writes, "nothing written yet").to.deep.equal([]);
    log.warn("database connection lost", { n: 3 });
    expect(writes).to.have.length(1);
    expect(lines().map((l) => [l.level, l.n])).to.deep.equal([
      ["info", 1],
      ["info", 2],
      ["warn", 3],
    ]);
    log.error("failed", { n: 4 });
    expect(writes, "an error with nothing waiting is written alone").to.have.length(2);
  });

  it("writes a batch LOG_FLUSH_MS after its first line, and nothing more while nothing waits", async function () {
    const { log, writes, lines } = capture("info", 60);
    log.info("request", { n: 1 });
    await sleep(40);
    log.info("request", { n: 2 });
    expect(writes).to.deep.equal([]);
    // Past the first line's 60 ms, not the second's: a later line does not put the batch off.
    await sleep(35);
    expect(writes, "one write for both lines, timed from the first").to.have.length(1);
    expect(lines().map((l) => l.n)).to.deep.equal([1, 2]);
    await sleep(80);
    expect(writes, "no second write with nothing new").to.have.length(1);
    log.info("request", { n: 3 });
    await sleep(80);
    expect(writes).to.have.length(2);
    expect(lines().map((l) => l.n)).to.deep.equal([1, 2, 3]);
  });

  it("writes a batch once it comes to 32 KB, without waiting for the timer", function () {
    const { log, writes, lines } = capture("info", 10_000);
    const path = `/v1/claims/${"9".repeat(70)}`;
    let n = 0;
    while (writes.length === 0) log.info("request", { path, n: ++n });
    expect(writes[0]!.length)
      .to.be.at.least(32_768)
      .and.below(32_768 + 200);
    expect(lines().map((l) => l.n)).to.deep.equal(Array.from({ length: n }, (_, i) => i + 1));
  });

  it("drops lines below its level and writes nothing for them", function () {
    const { log, writes } = capture("warn", 0);
    log.info("request");
    expect(writes).to.deep.equal([]);
    log.warn("slow");
    expect(writes).to.have.length(1);
  });

  it("writes the waiting lines when the process exits, by process.exit or by an uncaught error", async function () {
    this.timeout(30_000);
    const run = async (ending: string) => {
      const code = [
        `import { createLogger } from ${JSON.stringify(LOG_MODULE)};`,
        `const log = createLogger("info", { flushMs: 60_000 });`,
        `log.info("request", { n: 1 });`,
        `log.info("request", { n: 2 });`,
        ending,
      ].join("\n");
      const child = promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code]);
      const { stderr } = await child.catch((err: { stderr: string; code: number }) => {
        expect(err.code, err.stderr).to.equal(1);
        return err;
      });
      return stderr
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => (JSON.parse(l) as { n: number }).n);
    };
    expect(await run("process.exit(0);")).to.deep.equal([1, 2]);
    expect(await run("setTimeout(() => { throw new Error('boom'); }, 10);")).to.deep.equal([1, 2]);
    // Nothing keeps the process alive for the timer either: it ends, and writes them at its end.
    expect(await run("")).to.deep.equal([1, 2]);
  });

  it("takes LOG_FLUSH_MS from the environment, 200 ms by default, 0 to 10 s", function () {
    expect(loadConfig({}).logFlushMs).to.equal(200);
    expect(loadConfig({ LOG_FLUSH_MS: "0" }).logFlushMs).to.equal(0);
    expect(() => loadConfig({ LOG_FLUSH_MS: "-1" })).to.throw(/invalid service configuration: LOG_FLUSH_MS/);
    expect(() => loadConfig({ LOG_FLUSH_MS: "soon" })).to.throw(/LOG_FLUSH_MS/);
    expect(() => loadConfig({ LOG_FLUSH_MS: "60000" })).to.throw(/LOG_FLUSH_MS/);
  });
});
