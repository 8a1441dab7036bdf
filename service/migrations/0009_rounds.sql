-- Incident rounds (issue 13): the Merkle distribution behind each `openIncident`, kept so that a
-- claimant finds their leaf and proof by address instead of being handed a file. A staff member
-- uploads the CSV as a draft (tree built, every leaf's proof stored); once the operator has opened
-- the round on-chain with the draft's root and total, the draft is published under its incident id.

CREATE TABLE rounds (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('draft', 'published')),
  -- The on-chain incident id (decimal), set on publication; one round per incident.
  incident_id text UNIQUE,
  root text NOT NULL,
  -- Wei, decimal.
  total text NOT NULL,
  count integer NOT NULL,
  created_by text NOT NULL,
  created_at bigint NOT NULL,
  published_by text,
  published_at bigint,
  -- The incident's window as IncidentOpened stated it (unix seconds), copied at publication.
  claimable_at bigint,
  claim_deadline bigint,
  CHECK ((status = 'published') = (incident_id IS NOT NULL))
);
--> statement-breakpoint
-- One leaf per (round, account): a claimant's proof is one primary-key lookup.
CREATE TABLE round_leaves (
  round text NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
  -- Checksummed.
  account text NOT NULL,
  leaf_index integer NOT NULL,
  -- Wei, decimal.
  amount text NOT NULL,
  -- The proof's 32-byte siblings, one after the other.
  proof bytea NOT NULL,
  PRIMARY KEY (round, account)
);
--> statement-breakpoint
-- Every round an account is in (its eligible rounds).
CREATE INDEX round_leaves_account_idx ON round_leaves (account);
