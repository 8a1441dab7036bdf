import { expect } from "chai";

import { type SupervisedChild, type SupervisorEvent, describeEvent, supervise } from "../../stack/supervisor.js";

/** A child whose exit the test decides. */
function fakeChild(pid: number) {
  let exit!: (code: number | string) => void;
  const exited = new Promise<number | string>((resolve) => (exit = resolve));
  let stopped = 0;
  const child: SupervisedChild & { crash(code: number | string): void; stopped(): number } = {
    pid,
    logFile: `/tmp/child-${pid}.log`,
    exited,
    async stop() {
      stopped++;
      exit("SIGTERM");
    },
    crash: (code) => exit(code),
    stopped: () => stopped,
  };
  return child;
}

const until = async (what: string, check: () => boolean, timeoutMs = 2_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("process supervisor", function () {
  it("reports a crash, restarts after a growing delay, and keeps the new process current", async function () {
    const events: SupervisorEvent[] = [];
    const children = [fakeChild(100)];
    const sup = supervise(
      "indexer",
      children[0]!,
      async () => {
        const next = fakeChild(100 + children.length);
        children.push(next);
        return next;
      },
      { backoffMs: 10, onEvent: (e) => events.push(e) },
    );
    children[0]!.crash("SIGKILL");
    await until("first restart", () => children.length === 2);
    children[1]!.crash(1);
    await until("second restart", () => children.length === 3);
    await until("restarted event", () => events.filter((e) => e.kind === "restarted").length === 2);
    expect(events.map((e) => e.kind)).to.deep.equal([
      "exited",
      "restarting",
      "restarted",
      "exited",
      "restarting",
      "restarted",
    ]);
    expect(events[0]).to.deep.equal({
      kind: "exited",
      name: "indexer",
      pid: 100,
      code: "SIGKILL",
      logFile: "/tmp/child-100.log",
    });
    // 10 ms, then 20 ms: the second crash in a row waits twice as long.
    expect(events.filter((e) => e.kind === "restarting").map((e) => e.delayMs)).to.deep.equal([10, 20]);
    expect(sup.current().pid).to.equal(102);
    expect(sup.restarts()).to.equal(2);
    expect(describeEvent(events[0]!)).to.equal(
      "! the indexer (pid 100) exited unexpectedly with SIGKILL — log: /tmp/child-100.log",
    );
    await sup.stop();
    expect(children[2]!.stopped()).to.equal(1);
    expect(children).to.have.length(3);
  });

  it("gives up after maxRestarts within the window, and does not restart what it was asked to stop", async function () {
    const events: SupervisorEvent[] = [];
    let started = 0;
    const first = fakeChild(1);
    let latest = first;
    const sup = supervise(
      "service",
      first,
      async () => {
        started++;
        latest = fakeChild(1 + started);
        return latest;
      },
      { backoffMs: 1, maxRestarts: 2, onEvent: (e) => events.push(e) },
    );
    first.crash(1);
    await until("restart 1", () => started === 1 && events.at(-1)?.kind === "restarted");
    latest.crash(1);
    await until("restart 2", () => started === 2 && events.at(-1)?.kind === "restarted");
    latest.crash(1);
    await sup.gaveUp;
    expect(started).to.equal(2);
    expect(events.at(-1)).to.deep.equal({ kind: "gave-up", name: "service", restarts: 2, windowMs: 600_000 });

    // Asked to stop: the exit that follows is not a crash.
    const quiet: SupervisorEvent[] = [];
    const child = fakeChild(50);
    const calm = supervise("service", child, () => Promise.reject(new Error("must not restart")), {
      onEvent: (e) => quiet.push(e),
    });
    await calm.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(quiet).to.deep.equal([]);
  });

  it("counts a failed restart and tries again, up to the bound", async function () {
    const events: SupervisorEvent[] = [];
    const first = fakeChild(7);
    const sup = supervise("indexer", first, () => Promise.reject(new Error("port in use")), {
      backoffMs: 1,
      maxRestarts: 3,
      onEvent: (e) => events.push(e),
    });
    first.crash(1);
    await sup.gaveUp;
    expect(events.map((e) => e.kind)).to.deep.equal([
      "exited",
      "restarting",
      "restart-failed",
      "restarting",
      "restart-failed",
      "restarting",
      "restart-failed",
      "gave-up",
    ]);
    expect(events[2]).to.include({ error: "Error: port in use" });
  });
});
