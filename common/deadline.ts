/**
 * A claim deadline as people type it on the command line: `+<n>d`, `+<n>h` or `+<n>m` from now (the
 * caller decides what "now" is: the latest block), unix seconds, or an ISO 8601 date.
 */
export type Deadline = { relativeSeconds: number } | { at: number };

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60 } as const;

/** Parses `text`; throws with what is expected when it is none of the forms. */
export function parseDeadline(text: string): Deadline {
  const relative = /^\+(\d+)([dhm])$/.exec(text);
  if (relative !== null) {
    return { relativeSeconds: Number(relative[1]) * UNIT_SECONDS[relative[2] as keyof typeof UNIT_SECONDS] };
  }
  if (/^\d+$/.test(text)) return { at: Number(text) };
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new Error(`--deadline must be +<n>d, +<n>h, +<n>m, unix seconds or an ISO date, not "${text}"`);
  }
  return { at: Math.floor(ms / 1000) };
}

/** The deadline in unix seconds, a relative one counted from `now`. */
export const deadlineAt = (deadline: Deadline, now: number): number =>
  "at" in deadline ? deadline.at : now + deadline.relativeSeconds;
