-- When a stored record (an opening statement or a message) first cited the file; NULL while none
-- has. A file no record cites is deleted CASE_UPLOAD_TTL_HOURS after its upload (cases/sweep.ts).
-- Files stored before this column count as cited, and are kept as before.
ALTER TABLE case_attachments ADD COLUMN cited_at bigint;
--> statement-breakpoint
UPDATE case_attachments SET cited_at = created_at;
--> statement-breakpoint
CREATE INDEX case_attachments_uncited ON case_attachments (created_at) WHERE cited_at IS NULL;
-- stored_in gains two passing states for files in the bucket. 'uploading': the row is written
-- before the bytes are sent, so every object the service puts in the bucket is named by a row
-- (a failed upload leaves a row the sweep finds, never an object nothing names). 'sweeping': the
-- sweep deletes the object, then the row; nothing cites the file or uploads it again meanwhile.
--> statement-breakpoint
-- Erasing one case keeps the files its claimant cites in another: found by author and claimant.
CREATE INDEX case_messages_author_idx ON case_messages (author);
--> statement-breakpoint
CREATE INDEX case_openings_claimant_idx ON case_openings (claimant);
