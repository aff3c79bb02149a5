-- Issue 10, item 3: wrong PINs are counted per station across calls. With PIN-only identification a wrong
-- PIN names no inmate, so only the station can be held to account. pin_failures counts consecutive wrong
-- PINs (a right one resets it; one older than the window does not count); at the facility's
-- pinMaxAttempts the station's PIN entry is locked until pin_locked_until.
ALTER TABLE station ADD COLUMN pin_failures INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE station ADD COLUMN pin_failed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE station ADD COLUMN pin_locked_until TIMESTAMP WITH TIME ZONE;
