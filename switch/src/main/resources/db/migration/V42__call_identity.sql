-- Issue 10, item 1: a call is keyed by the switch's own id (a UUID made at the INVITE), never by the
-- peer's SIP Call-ID, which a handset or gateway chooses and may reuse. The SIP Call-IDs of both legs
-- are kept for search and for lining a record up with packet captures and gateway logs. Several
-- records may carry the same sip_call_id (a replayed Call-ID is a new call).
ALTER TABLE call_start ADD COLUMN sip_call_id VARCHAR(256);
ALTER TABLE call_record ADD COLUMN sip_call_id VARCHAR(256);
ALTER TABLE call_record ADD COLUMN trunk_call_id VARCHAR(256);
CREATE INDEX call_record_sip_call_id ON call_record(sip_call_id);
CREATE INDEX call_record_trunk_call_id ON call_record(trunk_call_id);
