-- Where a case file's sealed bytes are: 'database' (case_attachments.sealed, as before) or 'object'
-- (an S3-compatible bucket, CASE_FILES_S3_URL; `sealed` stays NULL). Files stored before stay where
-- they are, and are served from there whatever the service is configured with now.
ALTER TABLE case_attachments ADD COLUMN stored_in text NOT NULL DEFAULT 'database';
