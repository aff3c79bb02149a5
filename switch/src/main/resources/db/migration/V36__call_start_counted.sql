-- Limits across nodes (issue 14). A call that has passed its limits check (daily calls, cool-down) is marked
-- counted on its start row; an inmate's other counted calls in progress, on any running node, count against
-- those limits too, so two calls placed at the same instant from two phones cannot both pass a limit of one.
-- The check locks the inmate's row, which serializes it across nodes.
ALTER TABLE call_start ADD COLUMN counted_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX call_start_inmate ON call_start(inmate_id);
