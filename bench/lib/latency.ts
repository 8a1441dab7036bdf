/**
 * Shared by the latency benchmarks: a webhook receiver in a process of its own (so that the
 * process under test does not delay the arrival timestamps), bounded waits and percentiles.
 * Times are `performance.timeOrigin + performance.now()` in milliseconds in both processes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** Milliseconds on the clock the receiver process stamps arrivals with. */
export const now = () => performance.timeOrigin + performance.now();

// One line "<idempotency key>\t<ms>" per request; answers 200.
const RECEIVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const t = performance.timeOrigin + performance.now();
    process.stdout.write(req.headers["idempotency-key"] + "\\t" + t + "\\n");
    res.writeHead(200).end("ok");
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => process.stdout.write("port\\t" + server.address().port + "\\n"));
`;

export type Receiver = {
  url: string;
  /** First arrival time of each idempotency key. */
  arrivals: Map<string, number>;
  /** Requests received, repeats included. */
  count(): number;
  stop(): void;
};

export async function startReceiver(): Promise<Receiver> {
  const child: ChildProcess = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  const arrivals = new Map<string, number>();
  let received = 0;
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const [key = "", value = ""] = line.split("\t");
      if (key === "port") return resolve(Number(value));
      received++;
      if (!arrivals.has(key)) arrivals.set(key, Number(value));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    count: () => received,
    stop: () => child.kill(),
  };
}

export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (v: number) => Math.round(v * 10) / 10;
