-- Three-way detection (docs/THREEWAY.md): each facility's answer to a detected attempt, and the mark on
-- the call record. Existing facilities keep the default, FLAG (never cut a call off until someone says so).
ALTER TABLE facility ADD COLUMN three_way VARCHAR(16) DEFAULT 'FLAG' NOT NULL;
ALTER TABLE call_record ADD COLUMN three_way BOOLEAN DEFAULT FALSE NOT NULL;
