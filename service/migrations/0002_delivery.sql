-- Delivery side of the service: the status feed's cursors, webhook subscriptions and their
-- deliveries, and alerts (SLA, coverage expiring, operators' risk alerts).

-- One row per feed stream. `position` is the stream's last processed position: the Ponder event
-- id (its checkpoint string, which sorts in chain order) for event tables, a stream-specific
-- value for state tables. `tx_hash` is the transaction of that row, to notice a reorg that
-- replaced it.
CREATE TABLE feed_cursors (
  stream text PRIMARY KEY,
  position text NOT NULL DEFAULT '',
  tx_hash text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- Every indexer row the feed has turned into events, whether or not anyone subscribed to it.
-- Used to walk the cursor back over rows a reorg removed and to never process a row twice.
CREATE TABLE feed_events (
  stream text NOT NULL,
  source_id text NOT NULL,
  event_key text NOT NULL,
  tx_hash text,
  block_number bigint,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, source_id)
);
--> statement-breakpoint
CREATE TABLE webhook_subscriptions (
  id uuid PRIMARY KEY,
  address text NOT NULL,
  url text NOT NULL,
  event_types text[] NOT NULL,
  description text,
  -- `enc:v1:<base64 iv|ciphertext|tag>` (AES-256-GCM under WEBHOOK_SECRET_KEY) or `plain:<secret>`.
  secret text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
--> statement-breakpoint
CREATE INDEX webhook_subscriptions_address_idx ON webhook_subscriptions (address);
--> statement-breakpoint
CREATE TABLE webhook_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_type text NOT NULL,
  -- `chainId:txHash:logIndex` for chain events, `alert:<alert id>` for alerts.
  idempotency_key text NOT NULL,
  -- The exact JSON body sent on every attempt.
  body text NOT NULL,
  -- `<stream>:<source id>` of the indexer row behind a chain event (to cancel it on a reorg).
  source text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  UNIQUE (subscription_id, idempotency_key)
);
--> statement-breakpoint
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX webhook_deliveries_lease_idx ON webhook_deliveries (lease_until) WHERE status = 'in_flight';
--> statement-breakpoint
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, id);
--> statement-breakpoint
CREATE INDEX webhook_deliveries_source_idx ON webhook_deliveries (source) WHERE source IS NOT NULL;
--> statement-breakpoint
CREATE TABLE webhook_attempts (
  delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status_code integer,
  error text,
  worker text NOT NULL,
  PRIMARY KEY (delivery_id, attempt, started_at)
);
--> statement-breakpoint
-- Alerts raised by the watchers. The id is the dedupe key itself (`sla:<claim>:<stage>:<level>`,
-- `coverage:<beneficiary>:<coveredUntil>`): inserting it is what makes an alert fire exactly once,
-- across restarts and replicas.
CREATE TABLE alert_events (
  id text PRIMARY KEY,
  kind text NOT NULL,
  address text,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
--> statement-breakpoint
-- Operators' data risk alerts (chain upgrade, switch to the backup endpoint, ...).
CREATE TABLE risk_alerts (
  id uuid PRIMARY KEY,
  title jsonb NOT NULL,
  message jsonb NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  chains text[] NOT NULL DEFAULT '{}',
  kinds text[] NOT NULL DEFAULT '{}',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  -- Set in the transaction that enqueued its deliveries; null until then.
  fanned_out_at timestamptz,
  recipients integer
);
--> statement-breakpoint
CREATE INDEX risk_alerts_pending_idx ON risk_alerts (created_at) WHERE fanned_out_at IS NULL;
