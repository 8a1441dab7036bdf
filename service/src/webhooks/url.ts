/**
 * Which receiver URLs a subscription may use. https only; plain http only for 127.0.0.1 /
 * localhost / [::1] and only when local receivers are allowed (WEBHOOK_ALLOW_LOCAL, on by default
 * in local mode). When local receivers are not allowed, https URLs naming a loopback, private or
 * link-local address literally are refused too. (A public name that resolves to a private
 * address is not caught here: that needs an egress proxy or resolver-level filtering.)
 */
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase();
  if (LOOPBACK_NAMES.has(h) || h.endsWith(".localhost") || h === "0.0.0.0") return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4 !== null) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (h.startsWith("[")) {
    const v6 = h.slice(1, -1);
    return v6 === "::" || v6 === "::1" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith("::ffff:");
  }
  return false;
}

/** Why `raw` cannot be a receiver URL, or undefined when it can. */
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
  if (!allowLocal && isPrivateHost(url.hostname)) return "must not point to a loopback or private address";
  return undefined;
}
