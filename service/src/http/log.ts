import type { Logger } from "./router.js";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;

export type LoggerOptions = {
  /**
   * How long an info line may wait to be written with others (LOG_FLUSH_MS); 0 writes each line
   * at once. Warnings and errors are always written at once, after the lines waiting before them.
   */
  flushMs?: number;
  /** Where the lines go (tests); stderr by default. */
  write?: (text: string) => void;
};

/** Waiting lines are written together once they come to this many characters. */
const BATCH_CHARS = 32_768;

/**
 * One JSON object per line on stderr: easy to grep, easy to ship.
 *
 * Info lines (one per answered request, the access log) are written in batches: a write to a pipe
 * or a file is a system call, and at 1,000 requests a second one call per line cost the server
 * 18 µs of CPU a request more than batches did (docs/operations.md, "The access log"). A
 * batch is written when it reaches 32 KB, `flushMs` after its first line, before any warning or
 * error, and when the process exits; a process killed outright (SIGKILL) loses at most the last
 * `flushMs` of info lines.
 */
export function createLogger(level: keyof typeof LEVELS, o: LoggerOptions = {}): Logger {
  const min = LEVELS[level];
  const write = o.write ?? ((text: string) => void process.stderr.write(text));
  const flushMs = o.flushMs ?? 0;
  let waiting = "";
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    batches.delete(flush);
    if (waiting === "") return;
    const text = waiting;
    waiting = "";
    write(text);
  };
  const emit = (lvl: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    waiting += JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }) + "\n";
    if (lvl !== "info" || flushMs <= 0 || waiting.length >= BATCH_CHARS) flush();
    // Armed by a batch's first line only: an idle server has no timer to wake it.
    else if (timer === undefined) {
      timer = setTimeout(flush, flushMs).unref();
      waitAtExit(flush);
    }
  };
  return {
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

/** The batches waiting, written by the process's exit: one listener for every logger, none kept after its batch. */
const batches = new Set<() => void>();
let exitHooked = false;
function waitAtExit(flush: () => void): void {
  batches.add(flush);
  if (exitHooked) return;
  exitHooked = true;
  process.on("exit", () => {
    for (const waiting of [...batches]) waiting();
  });
}
