-- Recordings as evidence (issue 10): the SHA-256 (hex) of the call's recording as sealed when it was
-- closed, the WAV the admin API serves. It is also in the day's signed manifest (<dataDir>/evidence), which
-- `kinline verify` checks the record, the file and the chain against. NULL: no recording, or one that
-- could not be sealed (verify reports it as unsigned), or a record from before V10.
ALTER TABLE call_record ADD COLUMN recording_sha256 VARCHAR(64);
