-- Issue 10, item 3: how a caller identifies themselves at the facility's phones. PIN (the default, the
-- behaviour before this column): the PIN alone names the inmate. ID_PIN: the inmate number (the digits of
-- the inmate id), then the PIN, checked against that inmate only; wrong PINs then count against the inmate
-- too and lock their PIN (docs/CALLFLOW.md, docs/SECURITY.md).
ALTER TABLE facility ADD COLUMN identification VARCHAR(8) DEFAULT 'PIN' NOT NULL;
