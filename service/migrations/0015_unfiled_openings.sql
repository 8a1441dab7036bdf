-- When the sweep found the opening statement's claim on-chain (a claim whose evidenceHash is its
-- hash); NULL until then. An opening no claim was filed with within CASE_OPENING_TTL_DAYS is
-- deleted, contact handle included (cases/sweep.ts).
ALTER TABLE case_openings ADD COLUMN filed_at bigint;
--> statement-breakpoint
CREATE INDEX case_openings_unfiled ON case_openings (created_at) WHERE filed_at IS NULL;
