-- Drafting a round of 100,000 accounts takes tens of seconds (CSV, tree, every proof stored). A
-- draft asked for asynchronously (`Prefer: respond-async`) exists from the start as 'building' and
-- reports its progress here, so any replica can answer how far it is; a build that fails ends as
-- 'failed' with its reason (its leaves deleted). root/total/count are known only once built.
ALTER TABLE rounds DROP CONSTRAINT rounds_status_check;
--> statement-breakpoint
ALTER TABLE rounds ADD CONSTRAINT rounds_status_check CHECK (status IN ('building', 'failed', 'draft', 'published'));
--> statement-breakpoint
ALTER TABLE rounds ALTER COLUMN root DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE rounds ALTER COLUMN total DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE rounds ALTER COLUMN count DROP NOT NULL;
--> statement-breakpoint
-- reading (the CSV), tree (hashing and proofs), storing (leaves written), done.
ALTER TABLE rounds ADD COLUMN phase text NOT NULL DEFAULT 'done';
--> statement-breakpoint
-- Rows (reading) or leaves (storing) handled so far, of how many.
ALTER TABLE rounds ADD COLUMN progress_done integer NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE rounds ADD COLUMN progress_of integer NOT NULL DEFAULT 0;
--> statement-breakpoint
-- Unix seconds of the build's last sign of life: a build older than a minute has stopped (its
-- process died) and is reported failed.
ALTER TABLE rounds ADD COLUMN heartbeat_at bigint;
--> statement-breakpoint
-- The first refused rows ({line, reason} JSON array) and how many were refused in all.
ALTER TABLE rounds ADD COLUMN rejected text;
--> statement-breakpoint
ALTER TABLE rounds ADD COLUMN rejected_count integer NOT NULL DEFAULT 0;
--> statement-breakpoint
-- Why a build failed ({code, message} JSON).
ALTER TABLE rounds ADD COLUMN error text;
