/**
 * The soak's case conversations: claimants open their claims with a stored statement (its hash
 * is the evidenceHash), claimants and the assessor write messages through either replica, closed
 * claims are rated, and at the end every message and rating the driver saw stored must be in the
 * service exactly once, in order, on both replicas. Also measures message → visible latency: from
 * the 201 of one replica to the message being readable on the other.
 */
import type { Account, Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import {
  CASE_ENCODING,
  messageHash,
  newSalt,
  normalizeMessage,
  normalizeOpening,
  normalizeRating,
  openingHash,
  ratingHash,
  sessionKeyResource,
  type CaseMessage,
  type CaseRole,
} from "../../common/case.js";
import type { ClaimKind } from "../../common/claims.js";
import { signInSession, type StationConfig } from "../../cli/lib/station-client.js";

type Session = { token: string; wallet: Address; key: PrivateKeyAccount; role: CaseRole };
type Posted = { ok: true; body: unknown } | { ok: false; status: number; code?: string };

export class SoakCases {
  private readonly sessions = new Map<Address, Session>();
  /** Per claim: the message hashes the service acknowledged, in order. */
  readonly messages = new Map<bigint, Hex[]>();
  readonly ratings = new Map<bigint, Hex>();
  readonly claimantOf = new Map<bigint, Address>();
  /** Claims closed on-chain (paid or rejected), with when: rated once the indexer has them. */
  readonly closed = new Map<bigint, number>();
  readonly visibleMs: number[] = [];
  private readonly pending = new Set<Promise<void>>();
  counts: Record<string, number> = {
    openings: 0,
    openingFailures: 0,
    messages: 0,
    messageFailures: 0,
    ratings: 0,
    notVisible: 0,
  };

  private bump(name: string) {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }

  constructor(
    private readonly replicas: string[],
    private readonly chainId: number,
    private readonly pool: Address,
    private readonly now: () => number,
  ) {}

  async signIn(config: StationConfig, account: Account, role: CaseRole) {
    const key = privateKeyToAccount(generatePrivateKey());
    const s = await signInSession(config, account, {
      resources: [sessionKeyResource(key.address)],
      validForSeconds: 6 * 3600,
    });
    this.sessions.set(account.address, { token: s.token, wallet: account.address, key, role });
  }

  /** POST through replica `first`, then the other one on a network error or a 5xx. */
  private async post(first: number, route: string, token: string, body: unknown): Promise<Posted> {
    let last: Posted = { ok: false, status: 0 };
    for (const i of [first, 1 - first]) {
      try {
        const res = await fetch(`${this.replicas[i]}${route}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5_000),
        });
        const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
        if (res.ok) return { ok: true, body: json };
        last = { ok: false, status: res.status, ...(json.error?.code ? { code: json.error.code } : {}) };
        if (res.status < 500) return last;
      } catch {
        last = { ok: false, status: 0 };
      }
    }
    return last;
  }

  private async view(i: number, claimId: bigint, token: string) {
    const res = await fetch(`${this.replicas[i]}/v1/cases/${claimId}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`GET case ${claimId}: ${res.status}`);
    return (await res.json()) as {
      next: { seq: number; prev: Hex };
      messages: { hash: Hex }[];
      rating: { stars: number } | null;
    };
  }

  /** Stores a claimant's opening statement; its hash is the claim's evidenceHash (undefined: not stored). */
  async opening(claimant: Address, kind: ClaimKind, replica: number): Promise<Hex | undefined> {
    const s = this.sessions.get(claimant)!;
    const statement = normalizeOpening({
      encoding: CASE_ENCODING,
      type: "opening",
      chainId: this.chainId,
      pool: this.pool,
      claimant,
      kind,
      text: `Soak claim at ${this.now()}: the data feed stopped.`,
      channel: "text",
      contact: null,
      attachments: [],
      origin: null,
      salt: newSalt(),
    });
    const posted = await this.post(replica, "/v1/cases/openings", s.token, { statement });
    if (!posted.ok) {
      this.bump("openingFailures");
      return undefined;
    }
    this.bump("openings");
    return openingHash(statement);
  }

  /** A message on a claim the indexer already has, by its claimant or the assessor. */
  async say(claimId: bigint, author: Address, replica: number): Promise<void> {
    const s = this.sessions.get(author)!;
    let next: { seq: number; prev: Hex };
    try {
      next = (await this.view(replica, claimId, s.token)).next;
    } catch {
      try {
        next = (await this.view(1 - replica, claimId, s.token)).next;
      } catch {
        return; // not indexed yet, or both replicas down: nothing was sent
      }
    }
    const message: CaseMessage = normalizeMessage({
      encoding: CASE_ENCODING,
      type: "message",
      chainId: this.chainId,
      pool: this.pool,
      claimId: claimId.toString(),
      seq: next.seq,
      prev: next.prev,
      author,
      role: s.role,
      action: null,
      text: `message ${next.seq} at ${this.now()}`,
      attachments: [],
      article: null,
      at: Math.floor(Date.now() / 1000),
    });
    const hash = messageHash(message);
    const signature = await s.key.signMessage({ message: { raw: hash } });
    const posted = await this.post(replica, `/v1/cases/${claimId}/messages`, s.token, { message, signature });
    // A retry on the other replica after a lost answer finds it stored: a duplicate is a success.
    const stored = posted.ok || posted.code === "duplicate";
    if (!stored) {
      this.bump("messageFailures");
      return;
    }
    this.bump("messages");
    this.messages.set(claimId, [...(this.messages.get(claimId) ?? []), hash]);
    const at = this.now();
    const other = 1 - replica;
    const watch = (async () => {
      for (let waited = 0; waited < 10_000; waited += 50) {
        try {
          if ((await this.view(other, claimId, s.token)).messages.some((m) => m.hash === hash)) {
            this.visibleMs.push(this.now() - at);
            return;
          }
        } catch {
          // the other replica is down (a fault): keep asking until the bound
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      this.bump("notVisible");
    })();
    this.pending.add(watch);
    void watch.finally(() => this.pending.delete(watch));
  }

  /** Rates one claim closed at least `afterMs` ago and not rated yet; false when there is none. */
  async rateOne(replica: number, afterMs = 5_000): Promise<boolean> {
    const due = [...this.closed].find(([id, at]) => !this.ratings.has(id) && this.now() - at >= afterMs);
    if (due === undefined) return false;
    this.closed.delete(due[0]);
    await this.rate(due[0], replica);
    return true;
  }

  /** The claimant rates a closed claim, once. */
  async rate(claimId: bigint, replica: number): Promise<void> {
    if (this.ratings.has(claimId)) return;
    const claimant = this.claimantOf.get(claimId)!;
    const s = this.sessions.get(claimant)!;
    const rating = normalizeRating({
      encoding: CASE_ENCODING,
      type: "rating",
      chainId: this.chainId,
      pool: this.pool,
      claimId: claimId.toString(),
      author: claimant,
      stars: 1 + (Number(claimId) % 5),
      comment: "soak",
      at: Math.floor(Date.now() / 1000),
    });
    const hash = ratingHash(rating);
    const signature = await s.key.signMessage({ message: { raw: hash } });
    const posted = await this.post(replica, `/v1/cases/${claimId}/rating`, s.token, { rating, signature });
    if (posted.ok || posted.code === "already_rated") {
      this.ratings.set(claimId, hash);
      this.bump("ratings");
    }
  }

  /** Every acknowledged message and rating, exactly once and in order, on both replicas. */
  async check(): Promise<string[]> {
    await Promise.all([...this.pending]);
    const problems: string[] = [];
    const claims = new Set([...this.messages.keys(), ...this.ratings.keys()]);
    for (const claimId of claims) {
      const claimant = this.claimantOf.get(claimId)!;
      const token = this.sessions.get(claimant)!.token;
      const expected = this.messages.get(claimId) ?? [];
      for (const i of [0, 1]) {
        let v;
        try {
          v = await this.view(i, claimId, token);
        } catch (e) {
          problems.push(`case ${claimId}: replica ${i} unreadable (${(e as Error).message})`);
          continue;
        }
        const seen = v.messages.map((m) => m.hash);
        const missing = expected.filter((h) => !seen.includes(h)).length;
        const doubled = seen.length - new Set(seen).size;
        // A message stored while its answer was lost to a fault (and the retry failed too) is in
        // the case without the driver knowing: not a loss, not a double. Counted, not refused.
        const unacknowledged = seen.filter((h) => !expected.includes(h));
        if (i === 0) this.counts.unacknowledged = (this.counts.unacknowledged ?? 0) + unacknowledged.length;
        const inOrder = seen.filter((h) => expected.includes(h)).join() === expected.join();
        if (missing || doubled || !inOrder) {
          problems.push(
            `case ${claimId} on replica ${i}: ${missing} missing, ${doubled} doubled, in order: ${inOrder}`,
          );
        }
        if (this.ratings.has(claimId) && v.rating === null)
          problems.push(`case ${claimId}: rating missing on replica ${i}`);
      }
    }
    return problems;
  }
}
