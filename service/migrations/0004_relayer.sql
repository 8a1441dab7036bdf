-- Gasless claims relayed by the service: one row per EIP-712 request digest, so a request is
-- never relayed twice (the digest is the primary key), and the rate limits count these rows.
CREATE TABLE relay_requests (
  digest text PRIMARY KEY,
  claimant text NOT NULL,
  ip text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'mined', 'failed')),
  tx_hash text,
  claim_id text,
  gas_used text,
  gas_cost_wei text,
  error text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX relay_requests_claimant_idx ON relay_requests (claimant, created_at);
--> statement-breakpoint
CREATE INDEX relay_requests_ip_idx ON relay_requests (ip, created_at);
