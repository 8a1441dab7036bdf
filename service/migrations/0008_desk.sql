-- The assessors' desk (issue 13): who has taken which claim. Off-chain and advisory ("I take this
-- claim" so two assessors do not answer the same person); the chain still decides who may act.
-- One row per claim: a second assessor's take is refused while the first holds it.
CREATE TABLE desk_assignments (
  claim_id text PRIMARY KEY,
  assessor text NOT NULL,
  taken_at bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX desk_assignments_assessor_idx ON desk_assignments (assessor);
