import type { Logger } from "./router.js";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;

/** One JSON object per line on stderr: easy to grep, easy to ship. */
export function createLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  const emit = (lvl: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }) + "\n");
  };
  return {
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}
