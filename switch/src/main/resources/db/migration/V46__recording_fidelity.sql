-- Issue 17, goal 1: a recording that degrades says so on the call record. Counts in 20 ms frames of the
-- recording (docs/ARCHITECTURE.md, "Recording"): audio missing from each channel between its first and last
-- audio, and audio that arrived too late to be written. NULL for a call without a recording.
ALTER TABLE call_record ADD COLUMN recording_gap_frames_inmate BIGINT;
ALTER TABLE call_record ADD COLUMN recording_gap_frames_called BIGINT;
ALTER TABLE call_record ADD COLUMN recording_late_frames BIGINT;
