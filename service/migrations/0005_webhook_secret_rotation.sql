-- Webhook secret rotation: after POST /v1/webhooks/:id/rotate-secret the secret that was current
-- keeps signing alongside the new one (a second `v1=` entry) until `previous_secret_expires_at`,
-- then it is dropped. Sealed like `secret` (AES-256-GCM under WEBHOOK_SECRET_KEY, or `plain:`).
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret text;
--> statement-breakpoint
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret_expires_at timestamptz;
--> statement-breakpoint
ALTER TABLE webhook_subscriptions ADD COLUMN secret_rotated_at timestamptz;
--> statement-breakpoint
ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_previous_secret_check
  CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL));
--> statement-breakpoint
CREATE INDEX webhook_subscriptions_previous_secret_idx ON webhook_subscriptions (previous_secret_expires_at)
  WHERE previous_secret IS NOT NULL;
