-- Take-overs at the assessors' desk (issue 13): an assessor on call takes a claim from a colleague
-- who has gone quiet on it (or lost the role), or a guardian/admin reassigns it. Every take-over is
-- kept: who from, who to, when and why.
CREATE TABLE desk_takeovers (
  claim_id text NOT NULL,
  from_assessor text NOT NULL,
  to_assessor text NOT NULL,
  at bigint NOT NULL,
  -- Why the take-over was allowed: lead (guardian/admin), revoked (the holder lost the role), idle.
  grounds text NOT NULL CHECK (grounds IN ('lead', 'revoked', 'idle')),
  reason text NOT NULL
);
--> statement-breakpoint
CREATE INDEX desk_takeovers_claim_idx ON desk_takeovers (claim_id, at);
