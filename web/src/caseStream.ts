/**
 * Following a case live over the service's Server-Sent Events stream (`GET /v1/cases/{id}/stream`:
 * `message` for a new message or one whose standing changed, `transition` for a new on-chain
 * transition), shared by the claimant's conversation (./sections/conversation.ts) and the
 * assessors' desk (./sections/desk.ts). The stream is read with fetch (it needs the session's
 * Authorization header, which EventSource cannot send) and reconnects with backoff.
 */
import { type CaseMessageItem, type CaseView, ServiceError, cases, parseStreamedMessage } from "./api.js";

/** One Server-Sent Event: its `event:` name ("message" when none) and its `data:` lines joined. */
export type SseEvent = { event: string; data: string };

/**
 * Splits what a stream has sent so far into complete events and the unfinished rest (kept for the
 * next chunk). Comments (`: keep-alive`) and fields other than `event` and `data` are skipped.
 */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const text = buffer.replace(/\r\n/g, "\n");
  const blocks = text.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: SseEvent[] = [];
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return { events, rest };
}

/** Adds or replaces a message (by its number) and moves `next` past it: what a stream event does to the view. */
export function withMessage(view: CaseView, item: CaseMessageItem): CaseView {
  const messages = [...view.messages.filter((m) => m.seq !== item.seq), item].sort((a, b) => a.seq - b.seq);
  const next = item.seq >= view.next.seq ? { seq: item.seq + 1, prev: item.hash } : view.next;
  return { ...view, messages, next };
}

/** A case's event as the view needs it: a message to merge, or a transition (the view is read again). */
export type CaseEvent = { kind: "message"; item: CaseMessageItem } | { kind: "transition" };

const RECONNECT_MAX_MS = 30_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });

/**
 * Follows case `claimId` until `signal` aborts or the session ends (401: `unauthorized`, then it
 * returns). After each (re)connection `resync` reads whatever happened while there was no stream;
 * `state` says whether the stream is live or waiting to reconnect (1 s, doubling up to 30 s).
 */
export async function followCase(o: {
  token: string;
  claimId: bigint | string;
  signal: AbortSignal;
  resync(): Promise<void>;
  event(e: CaseEvent): Promise<void> | void;
  state(s: "live" | "reconnecting"): void;
  unauthorized(): void;
}): Promise<void> {
  let delay = 1_000;
  while (!o.signal.aborted) {
    try {
      const res = await cases.stream(o.token, o.claimId, o.signal);
      if (!res.body) throw new Error("the stream has no body");
      o.state("live");
      delay = 1_000;
      await o.resync();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done || o.signal.aborted) break;
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        for (const e of parsed.events) {
          if (e.event === "message") await o.event({ kind: "message", item: parseStreamedMessage(e.data) });
          else if (e.event === "transition") await o.event({ kind: "transition" });
        }
      }
    } catch (error) {
      if (o.signal.aborted) return;
      if (error instanceof ServiceError && error.status === 401) {
        o.unauthorized();
        return;
      }
    }
    if (o.signal.aborted) return;
    o.state("reconnecting");
    await sleep(delay, o.signal);
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  }
}
