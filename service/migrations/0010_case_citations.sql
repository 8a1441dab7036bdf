-- The files each case message cites (space-separated lower-case sha256, "" for none), kept in clear
-- beside the sealed message so that serving an attachment opens no message: the hashes are already
-- in clear in case_attachments. NULL on messages stored before this column (they are opened to
-- look) and on erased messages.
ALTER TABLE case_messages ADD COLUMN cites text;
