-- The case conversation (issue 12). The chain holds commitments (evidenceHash, noteHash); these
-- tables hold the words, sealed at rest (`sealed` columns: AES-256-GCM under a key derived from
-- WEBHOOK_SECRET_KEY, the record's hash bound as associated data; `plain:` in local mode without
-- a key). Erasure nulls the sealed content and sets erased_at; hashes stay.

-- A wallet's delegation of a session key: its Sign-In with Ethereum message and signature.
-- `id` is keccak256 of the message. Kept after the session ends: exported bundles cite them.
CREATE TABLE case_delegations (
  id text PRIMARY KEY,
  address text NOT NULL,
  session_key text NOT NULL,
  message text NOT NULL,
  signature text NOT NULL,
  created_at bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE auth_sessions ADD COLUMN delegation_id text REFERENCES case_delegations (id);
--> statement-breakpoint
-- Uploaded files, by content hash and uploader (the same screenshot from two people is two rows).
CREATE TABLE case_attachments (
  sha256 text NOT NULL,
  owner text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  sealed text,
  created_at bigint NOT NULL,
  erased_at bigint,
  PRIMARY KEY (sha256, owner)
);
--> statement-breakpoint
-- Opening statements by hash (= the claim's evidenceHash once filed). Stored before the claim is.
CREATE TABLE case_openings (
  hash text PRIMARY KEY,
  claimant text NOT NULL,
  sealed text,
  contact_sealed text,
  created_at bigint NOT NULL,
  erased_at bigint
);
--> statement-breakpoint
CREATE TABLE case_messages (
  claim_id text NOT NULL,
  seq integer NOT NULL,
  hash text NOT NULL UNIQUE,
  prev text NOT NULL,
  author text NOT NULL,
  role text NOT NULL,
  action text,
  sealed text,
  signature text NOT NULL,
  delegation_id text NOT NULL REFERENCES case_delegations (id),
  at bigint NOT NULL,
  created_at bigint NOT NULL,
  erased_at bigint,
  -- The station's reply figures (public, content-free): the claim's kind and tier, and for a staff
  -- message the seconds the claimant had been waiting (since filing for the first reply, else
  -- since their first message after the last staff one; null when nobody was waiting).
  kind text NOT NULL,
  tier integer NOT NULL,
  reply_seconds bigint,
  first_reply boolean NOT NULL DEFAULT false,
  PRIMARY KEY (claim_id, seq)
);
--> statement-breakpoint
CREATE INDEX case_messages_created_idx ON case_messages (created_at);
--> statement-breakpoint
CREATE INDEX case_messages_replies_idx ON case_messages (created_at) WHERE reply_seconds IS NOT NULL;
--> statement-breakpoint
-- `assessor`: who resolved the claim on-chain (approved or rejected it), so ratings add up per assessor.
CREATE TABLE case_ratings (
  claim_id text PRIMARY KEY,
  assessor text,
  hash text NOT NULL,
  author text NOT NULL,
  stars integer NOT NULL,
  sealed text,
  signature text NOT NULL,
  delegation_id text NOT NULL REFERENCES case_delegations (id),
  at bigint NOT NULL,
  created_at bigint NOT NULL,
  erased_at bigint
);
