-- Sign-In with Ethereum: single-use nonces and sessions (only a hash of the token is stored).
CREATE TABLE auth_nonces (
  nonce text PRIMARY KEY,
  expires_at bigint NOT NULL,
  used_at bigint
);
--> statement-breakpoint
CREATE TABLE auth_sessions (
  token_hash text PRIMARY KEY,
  address text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX auth_sessions_expires_idx ON auth_sessions (expires_at);
