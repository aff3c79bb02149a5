-- A call that has started and has no call record yet. Written once when the call's script starts
-- (before the PIN prompt), given the inmate when the PIN names one, and deleted in the same
-- transaction that writes the call's record (JdbcCallRecords.insertIfAbsent). So the table holds
-- only the calls in progress; after a crash, Billing.reconcile() turns each row left here into a
-- call record (failed / switch_restart, no charge), and a call killed in the IVR, before any
-- reservation, still appears in the call records.
CREATE TABLE call_start (
    call_id      VARCHAR(128) PRIMARY KEY,
    facility_id  VARCHAR(64),
    station_id   VARCHAR(64)  NOT NULL,
    inmate_id    VARCHAR(64),
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
