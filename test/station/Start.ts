/**
 * `npm start` end to end: the real entry point (stack/start.ts) as a child process on free
 * ports and its own data directory, until its ready line; the service and the indexer answer;
 * the indexer and then the service killed with SIGKILL are reported and restarted, /ready names
 * the indexer while it is down; SIGINT stops it with exit code 0 and leaves no process of the
 * tree behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { REPO_ROOT, SERVICE_NODE_FLAGS } from "../../stack/proc.js";

type PackageJson = { scripts: Record<string, string> };

/** Every live descendant of `root` (by walking /proc's parent links). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "?";
  }
}

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8");
    return state.slice(state.lastIndexOf(")") + 2, state.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("npm start", function () {
  this.timeout(300_000);
  const dataDir = path.join(REPO_ROOT, ".data", `smoke-${process.pid}`);
  const deploymentId = `local-smoke-${process.pid}`;
  let child: ChildProcess | undefined;

  after(async function () {
    // A failed run: stop the station as a user would (SIGINT), so its children (each in its own
    // process group) go with it; whatever is still there after 30 s is killed.
    if (child !== undefined && child.exitCode === null) {
      const tree = descendants(child.pid!);
      child.kill("SIGINT");
      for (let waited = 0; child.exitCode === null && waited < 30_000; waited += 200) {
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const pid of [child.pid!, ...tree].filter(alive)) process.kill(pid, "SIGKILL");
    }
    await rm(dataDir, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("starts chain, deployment, indexer and service, restarts a crashed one, and stops them all on SIGINT", async function () {
    const env: NodeJS.ProcessEnv = { ...process.env, CHAIN_PORT: "0", INDEXER_PORT: "0", SERVICE_PORT: "0" };
    delete env.RPC_URL;
    delete env.DATABASE_URL;
    child = spawn(process.execPath, ["--import", "tsx", "stack/start.ts"], {
      cwd: REPO_ROOT,
      env: { ...env, STATION_DATA_DIR: dataDir, STATION_DEPLOYMENT_ID: deploymentId },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));

    const deadline = Date.now() + 240_000;
    while (!output.includes("Press Ctrl-C to stop.")) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start not ready in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).to.match(/Emergency Station is ready/);
    const service = /service\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const indexer = /indexer\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(service, output).to.be.a("string");
    expect(indexer, output).to.be.a("string");
    expect(output).to.match(/pool\s+0x[0-9a-fA-F]{40}/);
    expect(output).to.include("#1 0x70997970C51812dc3A010C7d01b50e0d17dc79C8  assessor");

    expect((await fetch(`${service}/health`)).status).to.equal(200);
    expect((await fetch(`${indexer}/ready`)).status).to.equal(200);
    // The page and the embeddable button a merchant's site loads are both served.
    expect((await fetch(`${service}/`)).status).to.equal(200);
    const button = await fetch(`${service}/embed.js`);
    expect(button.status).to.equal(200);
    expect(await button.text()).to.include("emergency-station-button");
    const ready = async () => {
      const res = await fetch(`${service}/ready`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean }> } };
    };
    const first = await ready();
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(Object.keys(first.body.checks).sort()).to.deep.equal(["chain", "database", "indexer"]);

    // Supervision: the indexer killed outright is reported, /ready names it while it is down,
    // and it is restarted on the same port; then the same for the service.
    const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 90_000) => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error(`${what} not within ${ms} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const ponderPid = descendants(child.pid!).find((pid) => /ponder\.js .* start /.test(commandOf(pid)));
    expect(ponderPid, [...descendants(child.pid!)].map(commandOf).join("\n")).to.be.a("number");
    process.kill(ponderPid!, "SIGKILL");
    await waitFor("the indexer's exit reported", () =>
      /the indexer \(pid \d+\) exited unexpectedly with SIGKILL/.test(output),
    );
    const down = await ready();
    expect(down.status).to.equal(503);
    expect(down.body.checks.indexer!.ok).to.equal(false);
    expect(down.body.checks.database!.ok).to.equal(true);
    await waitFor("the indexer back", () => /the indexer is back \(pid \d+\)/.test(output));
    await waitFor("/ready again", async () => (await ready()).status === 200);

    const servicePid = descendants(child.pid!).find((pid) => /service\/src\/index\.ts/.test(commandOf(pid)));
    expect(servicePid).to.be.a("number");
    // It runs with the service's Node flags (its young generation), as `npm run service` does.
    const flags = commandOf(servicePid!).split(" ");
    expect(flags, commandOf(servicePid!)).to.include.members([...SERVICE_NODE_FLAGS]);
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson).scripts;
    expect((scripts.service ?? "").split(" ")).to.include.members([...SERVICE_NODE_FLAGS]);
    process.kill(servicePid!, "SIGKILL");
    await waitFor("the service's exit reported", () =>
      /the service \(pid \d+\) exited unexpectedly with SIGKILL/.test(output),
    );
    await waitFor("the service back", () => /the service is back \(pid \d+\)/.test(output));
    // Its probes answer within 2 s each; on a loaded machine the first may still time out.
    await waitFor("/ready after the service's restart", async () => (await ready()).status === 200, 30_000);

    const tree = descendants(child.pid!);
    const commands = new Map(tree.map((pid) => [pid, commandOf(pid)]));
    // The Hardhat node, Ponder (+ its esbuild) and the service at least.
    expect(tree.length, `descendants: ${tree.join(",")}`).to.be.at.least(3);

    child.kill("SIGINT");
    expect(await exited).to.equal(0);
    expect(output).to.include("Stopped.");
    // esbuild's service processes (tsx's, Vite's) exit by themselves once their parent's pipe
    // closes, a moment after the parent: allow a short grace period, then nothing may remain.
    let left = tree.filter(alive);
    for (let waited = 0; left.length > 0 && waited < 5_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      left = tree.filter(alive);
    }
    const described = left.map((pid) => `${pid} ${commands.get(pid) ?? "?"}`);
    expect(described, "processes left behind").to.deep.equal([]);
    await fetch(`${service}/health`).then(
      () => expect.fail("the service still answers"),
      () => {},
    );
  });
});
