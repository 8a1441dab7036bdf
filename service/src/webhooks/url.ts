/**
 * Which receivers the service may call.
 *
 * A receiver URL must use https; plain http only for 127.0.0.1 / localhost / [::1], and only when
 * local receivers are allowed (WEBHOOK_ALLOW_LOCAL, on by default in local mode). Its host, a name
 * or an IP literal, must lead only to globally reachable addresses: a name is resolved (every
 * address it has) when the subscription is created and again before every delivery attempt, and
 * refused if any answer is private, loopback, link-local, unique-local, CGNAT, multicast,
 * unspecified, reserved or documentation space, IPv4 or IPv6 (IPv6 forms embedding an IPv4
 * address are judged by that address; Node's `net.BlockList` does the matching). Loopback is accepted only when local receivers are
 * allowed. The delivery then connects to the addresses that were checked, never to a fresh DNS
 * answer (see post.ts), so a name cannot be rebound to an internal address between check and
 * connect.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Every address `hostname` resolves to (A and AAAA). Rejects when it does not resolve. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver (getaddrinfo, as connections would use). */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: "verbatim" })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

// ─── Address space ────────────────────────────────────────────────────────────

/** Special-purpose IPv4 blocks (RFC 6890 and successors) that are not globally reachable. */
const V4_BLOCKS: ReadonlyArray<readonly [string, number, string]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignment"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "6to4 relay"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const V6_BLOCKS: ReadonlyArray<readonly [string, number, string]> = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["100::", 64, "discard-only"],
  ["2001:db8::", 32, "documentation"],
  ["fc00::", 7, "unique local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

/**
 * IPv6 prefixes whose addresses carry an IPv4 address: the prefix's value, its length, and the
 * bit offset of the IPv4 address inside the 128 bits.
 */
const V6_EMBEDDING_V4: ReadonlyArray<readonly [bigint, number, number]> = [
  [0xffffn << 32n, 96, 96], // IPv4-mapped ::ffff:0:0/96
  [0n, 96, 96], // IPv4-compatible ::/96 (deprecated)
  [0x64ff9bn << 96n, 96, 96], // NAT64 64:ff9b::/96
  [0x2002n << 112n, 16, 16], // 6to4 2002::/16
];

const v4Value = (dotted: string) => dotted.split(".").reduce((n, part) => n * 256n + BigInt(part), 0n);
const v6Text = (value: bigint) =>
  Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(":");

/**
 * One `net.BlockList` per kind of address, in the order they are judged: IPv6's own blocks first,
 * then each IPv4 block together with the IPv6 subnets that embed it (the IPv4 block's bits sit at
 * a fixed offset, so "embeds an address of 10.0.0.0/8" is itself an IPv6 subnet). Node does the
 * address parsing and matching; the tables above are the only input.
 */
const CLASSES: ReadonlyArray<{ kind: string; list: BlockList }> = [
  ...V6_BLOCKS.map(([base, bits, kind]) => {
    const list = new BlockList();
    list.addSubnet(base, bits, "ipv6");
    return { kind, list };
  }),
  ...V4_BLOCKS.map(([base, bits, kind]) => {
    const list = new BlockList();
    list.addSubnet(base, bits, "ipv4");
    for (const [prefix, , offset] of V6_EMBEDDING_V4) {
      list.addSubnet(v6Text(prefix | (v4Value(base) << BigInt(128 - offset - 32))), offset + bits, "ipv6");
    }
    return { kind, list };
  }),
];

/**
 * What kind of non-public address `address` is ("private", "loopback", …), or undefined for a
 * globally reachable one. Throws for a string that is not an IP address.
 */
export function specialAddressKind(address: string): string | undefined {
  const bare = address.replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  const type = family === 4 ? "ipv4" : "ipv6";
  return CLASSES.find(({ list }) => list.check(bare, type))?.kind;
}

// "an unspecified", "an IETF …", but "a unique local".
const article = (kind: string) => (/^(?:[aeio]|un(?!i))/i.test(kind) ? "an" : "a");

/** Why the service must not connect to `address`, or undefined when it may. */
export function addressProblem(address: string, allowLocal: boolean): string | undefined {
  const kind = specialAddressKind(address);
  if (kind === undefined || (kind === "loopback" && allowLocal)) return undefined;
  return `${article(kind)} ${kind} address`;
}

// ─── Receiver URLs ────────────────────────────────────────────────────────────

/** Why `raw` cannot be a receiver URL judged by its text alone, or undefined when it can. */
export function webhookUrlProblem(raw: string, allowLocal: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid absolute URL";
  }
  if (url.username !== "" || url.password !== "") return "must not contain credentials";
  if (url.hash !== "") return "must not contain a #fragment";
  const loopback = LOOPBACK_NAMES.has(url.hostname.toLowerCase());
  if (url.protocol === "http:") {
    if (!loopback) return "must use https (plain http is accepted only for 127.0.0.1 or localhost, locally)";
    if (!allowLocal) return "must use https: local receivers are not allowed by this deployment";
    return undefined;
  }
  if (url.protocol !== "https:") return "must use https";
  return undefined;
}

/** A receiver the service may call now: its URL and the checked addresses to connect to. */
export type CheckedTarget = { url: URL; host: string; addresses: ResolvedAddress[] };

/** A receiver URL that must not be called; `reason` says why in a sentence fragment. */
export class WebhookTargetError extends Error {
  constructor(
    readonly reason: string,
    /** The URL's text is fine but its host leads somewhere it must not (or nowhere). */
    readonly kind: "url" | "address" | "dns",
  ) {
    super(reason);
    this.name = "WebhookTargetError";
  }
}

const DNS_MISSING = new Set(["ENOTFOUND", "ENODATA", "ENONAME", "EAI_NONAME", "EAI_NODATA"]);

/**
 * Checks a receiver URL and the addresses its host leads to right now. Throws a
 * `WebhookTargetError` when the URL is malformed, when the name does not resolve, or when any of
 * its addresses is not public (loopback allowed with `allowLocal`).
 */
export async function checkWebhookTarget(
  raw: string,
  options: { allowLocal: boolean; resolve: HostResolver },
): Promise<CheckedTarget> {
  const problem = webhookUrlProblem(raw, options.allowLocal);
  if (problem !== undefined) throw new WebhookTargetError(problem, "url");
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await options.resolve(host);
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as Error).message;
      const why = DNS_MISSING.has(code) ? "does not resolve" : "could not be resolved";
      throw new WebhookTargetError(`host ${host} ${why} (${code})`, "dns");
    }
    if (addresses.length === 0) throw new WebhookTargetError(`host ${host} resolves to no address`, "dns");
  }
  for (const { address } of addresses) {
    const refused = addressProblem(address, options.allowLocal);
    if (refused === undefined) continue;
    const others = addresses.length > 1 ? ` (one of ${addresses.length} addresses)` : "";
    throw new WebhookTargetError(
      literal !== 0 ? `${address} is ${refused}` : `host ${host} resolves to ${address}${others}, ${refused}`,
      "address",
    );
  }
  const unique = [...new Map(addresses.map((a) => [a.address, a])).values()];
  return { url, host, addresses: unique };
}
