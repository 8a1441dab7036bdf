/**
 * Keeps a child process of the local stack running: when it exits without being asked to, the
 * supervisor says so (name, exit code or signal, log file), waits a little longer each time and
 * starts it again; after `maxRestarts` restarts within `windowMs` it gives up and says so, so a
 * child that crashes on start does not spin forever.
 */
export type SupervisedChild = {
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code or signal name once the process has exited. */
  readonly exited: Promise<number | string>;
  stop(): Promise<unknown>;
};

export type SupervisorEvent =
  | { kind: "exited"; name: string; pid: number; code: number | string; logFile: string }
  | { kind: "restarting"; name: string; attempt: number; delayMs: number }
  | { kind: "restarted"; name: string; pid: number; attempt: number }
  | { kind: "restart-failed"; name: string; attempt: number; error: string }
  | { kind: "gave-up"; name: string; restarts: number; windowMs: number };

export type SupervisorOptions = {
  /** Restarts allowed within `windowMs` before giving up. Default 5. */
  maxRestarts?: number;
  /** Default 10 minutes. */
  windowMs?: number;
  /** Delay before the n-th restart in a row: backoffMs × 2^(n-1), at most 30 s. Default 1000. */
  backoffMs?: number;
  onEvent(event: SupervisorEvent): void;
};

export type Supervisor<T extends SupervisedChild> = {
  /** The process running now (a new one after each restart). */
  current(): T;
  /** Restarts so far. */
  restarts(): number;
  /** Resolves when the supervisor gave up (the child stays down). */
  readonly gaveUp: Promise<void>;
  /** Stops supervising and stops the current process. */
  stop(): Promise<void>;
};

/** Supervises `first`; `restart` starts a replacement (and waits until it is up). */
export function supervise<T extends SupervisedChild>(
  name: string,
  first: T,
  restart: (previous: T) => Promise<T>,
  options: SupervisorOptions,
): Supervisor<T> {
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.windowMs ?? 600_000;
  const backoffMs = options.backoffMs ?? 1_000;
  let current = first;
  let stopping = false;
  let wake: (() => void) | undefined;
  const restartTimes: number[] = [];
  let resolveGaveUp!: () => void;
  const gaveUp = new Promise<void>((resolve) => (resolveGaveUp = resolve));

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = async () => {
    let inARow = 0;
    let upSince = Date.now();
    for (;;) {
      const code = await current.exited;
      if (stopping) return;
      // A child that ran for a minute before failing earns its backoff back.
      if (Date.now() - upSince > 60_000) inARow = 0;
      options.onEvent({ kind: "exited", name, pid: current.pid, code, logFile: current.logFile });
      for (;;) {
        const now = Date.now();
        while (restartTimes.length > 0 && restartTimes[0]! < now - windowMs) restartTimes.shift();
        if (restartTimes.length >= maxRestarts) {
          options.onEvent({ kind: "gave-up", name, restarts: restartTimes.length, windowMs });
          resolveGaveUp();
          return;
        }
        inARow++;
        restartTimes.push(now);
        const delayMs = Math.min(backoffMs * 2 ** (inARow - 1), 30_000);
        options.onEvent({ kind: "restarting", name, attempt: restartTimes.length, delayMs });
        await sleep(delayMs);
        if (stopping) return;
        try {
          current = await restart(current);
        } catch (error) {
          options.onEvent({ kind: "restart-failed", name, attempt: restartTimes.length, error: String(error) });
          continue;
        }
        if (stopping) {
          await current.stop();
          return;
        }
        options.onEvent({ kind: "restarted", name, pid: current.pid, attempt: restartTimes.length });
        upSince = Date.now();
        break;
      }
    }
  };
  const running = loop();

  return {
    current: () => current,
    restarts: () => restartTimes.length,
    gaveUp,
    async stop() {
      stopping = true;
      wake?.();
      await current.stop();
      await running;
    },
  };
}

/** One line for the terminal per supervisor event. */
export function describeEvent(e: SupervisorEvent): string {
  switch (e.kind) {
    case "exited":
      return `! the ${e.name} (pid ${e.pid}) exited unexpectedly with ${e.code} — log: ${e.logFile}`;
    case "restarting":
      return `  restarting the ${e.name} in ${(e.delayMs / 1000).toFixed(0)} s (restart ${e.attempt})…`;
    case "restarted":
      return `  the ${e.name} is back (pid ${e.pid})`;
    case "restart-failed":
      return `! the ${e.name} did not come back (restart ${e.attempt}): ${e.error}`;
    case "gave-up":
      return `! the ${e.name} failed ${e.restarts} times within ${Math.round(e.windowMs / 60_000)} min: giving up`;
  }
}
