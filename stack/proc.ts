/**
 * Child processes that never outlive their parent: each runs in its own process group (so a stop
 * reaches everything it spawned, e.g. esbuild under Ponder), writes stdout+stderr to a log file
 * (never the terminal), and is killed — group and all — when this process exits or is stopped by a
 * signal nobody else handles.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (this file is stack/proc.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Git-ignored folder for everything a run leaves behind (logs, PGlite data). */
export const DATA_DIR = path.join(REPO_ROOT, ".data");

/** A fresh path under .data/<kind>/ unique to this process and moment. */
export function runPath(kind: string, name: string): string {
  const dir = path.join(DATA_DIR, kind);
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it; callers retry on a clash). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") reject(new Error("no port"));
        else resolve(address.port);
      });
    });
  });
}

export type Managed = {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** SIGTERM to the group, SIGKILL to the group after `timeoutMs`. Idempotent. */
  stop(options?: { timeoutMs?: number }): Promise<number | string>;
};

const live = new Set<Managed>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    for (const m of live) killGroup(m.pid, "SIGKILL");
  });
  // Our children sit in their own process groups, so a terminal's Ctrl-C does not reach them.
  // If nobody else handles the signal, forward it and exit as the default action would have.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const m of live) killGroup(m.pid, "SIGTERM");
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    };
    process.on(signal, handler);
  }
}

/**
 * The V8 flags the service's process runs with (`npm start`, `npm run service`, the soak and the
 * read benches): a young generation of 64 MB semi-spaces instead of V8's 16. A claim read
 * allocated ~25 KB (its answer, its headers, Node's request and response; ~21 KB since), so
 * with 16 MB the process stopped for a scavenge every ~500–600 reads, 3–6 ms each beside a heap
 * of half a gigabyte; with 64 MB those pauses took a third of the time per read (8–11 µs to
 * 3–4), for ~60 MB more memory (docs/operations.md, "The young generation"). Run the service
 * yourself with these flags too; `npm run service` writes them out (test/station/Start.ts holds
 * it to these).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];

/** `node` arguments that run the service (service/src/index.ts) as `npm start` does. */
export function serviceArgs(): string[] {
  return [...SERVICE_NODE_FLAGS, "--import", "tsx", path.join(REPO_ROOT, "service", "src", "index.ts")];
}

/** Spawns `command args` in its own process group with stdout+stderr appended to `logFile`. */
export function spawnManaged(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Managed {
  installExitHooks();
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  const pid = child.pid;
  let exitedFlag = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      exitedFlag = true;
      live.delete(managed);
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", () => {
      exitedFlag = true;
      live.delete(managed);
      resolve("spawn-error");
    });
  });
  let stopping: Promise<number | string> | undefined;
  const managed: Managed = {
    child,
    pid,
    logFile: options.logFile,
    exited,
    hasExited: () => exitedFlag,
    stop({ timeoutMs = 10_000 } = {}) {
      stopping ??= (async () => {
        if (!exitedFlag) {
          killGroup(pid, "SIGTERM");
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([
            exited.then(() => false),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(true), timeoutMs);
            }),
          ]);
          clearTimeout(timer);
          if (timedOut) killGroup(pid, "SIGKILL");
        }
        const result = await exited;
        // Whatever the leader left in its group (it exited cleanly or not) goes too.
        killGroup(pid, "SIGKILL");
        return result;
      })();
      return stopping;
    },
  };
  live.add(managed);
  return managed;
}

/** Polls `probe` every `intervalMs` until it returns true; fails early if `child` exits. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; child?: Managed },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.child?.hasExited()) {
      throw new Error(`${what}: process exited with ${await options.child.exited} (log: ${options.child.logFile})`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${options.timeoutMs} ms` + (options.child ? ` (log: ${options.child.logFile})` : ""),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
