-- Whether a consent key pressed while the called party is still hearing who is calling and that the
-- call is recorded (the notice) counts as an answer. FALSE, the default, is the safe choice: many
-- states require the called party to hear the recording notice before consenting, so the notice plays
-- to its end without barge-in and keys pressed during it are discarded. See docs/CALLFLOW.md.
ALTER TABLE facility ADD COLUMN consent_during_notice BOOLEAN DEFAULT FALSE NOT NULL;
