/**
 * The service's HTTP API as the page calls it. The response types are the service's own
 * (imported type-only, so nothing of the service is bundled): `npm run typecheck` fails when a
 * route's shape changes under the page.
 */
import type { ErrorBody } from "../../service/src/errors.js";
import type { AlertListResponse } from "../../service/src/routes/alerts.js";
import type { AccountClaimsResponse, ClaimResponse } from "../../service/src/routes/claims.js";
import type { HelpSearchResponse } from "../../service/src/routes/help.js";
import type { RelayResponse } from "../../service/src/routes/relay.js";
import type { StatsResponse } from "../../service/src/routes/stats.js";
import type { Language } from "../../service/src/tracking/i18n.js";

export type {
  AccountClaimsResponse,
  AlertListResponse,
  ClaimResponse,
  HelpSearchResponse,
  Language,
  RelayResponse,
  StatsResponse,
};
export type ClaimStage = ClaimResponse["timeline"][number];
export type ClaimSummary = AccountClaimsResponse["items"][number];
export type SlaState = NonNullable<ClaimStage["state"]>;
export type ClaimStatus = ClaimResponse["status"];
export type ClaimKind = ClaimResponse["kind"];

/** A failed call: `status` 0 when the service did not answer at all. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ServiceError";
  }

  /** The service is down or cannot read the chain's index right now (worth a fallback). */
  get unavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ServiceError(0, "unreachable", "the station's service does not answer");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
    throw new ServiceError(
      response.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `HTTP ${response.status}`,
    );
  }
  return (await response.json()) as T;
}

const q = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  return search.toString();
};

export const service = {
  claim: (id: bigint, lang: Language) => api<ClaimResponse>(`/v1/claims/${id}?${q({ lang })}`),
  accountClaims: (address: string, lang: Language, cursor?: string) =>
    api<AccountClaimsResponse>(`/v1/accounts/${address}/claims?${q({ lang, limit: 10, cursor })}`),
  alerts: (lang: Language) => api<AlertListResponse>(`/v1/alerts?${q({ lang })}`),
  help: (query: string, lang: Language) => api<HelpSearchResponse>(`/v1/help?${q({ q: query, lang, limit: 5 })}`),
  stats: () => api<StatsResponse>("/v1/stats"),
  relay: (body: unknown) =>
    api<RelayResponse>("/v1/relay/claims", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
};
