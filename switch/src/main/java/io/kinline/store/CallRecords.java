package io.kinline.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/** Call detail records. */
public interface CallRecords {

    /**
     * Writes a call record, idempotent by callId: if a record with this callId exists it is left
     * unchanged and returned (the first write wins). Billed calls should be written through
     * {@code Billing.settle}, which writes the record in the same transaction as the charge. Either
     * way the call's {@link #started} row is removed in the same transaction.
     */
    CallRecord record(CallRecord record);

    /**
     * Notes that a call has started (its script is about to prompt the inmate), so that a crash before
     * its record is written still leaves one: {@code Billing.reconcile()} turns every started call that
     * has no record into a {@code failed / switch_restart} record at the next start. Writing the call's
     * record (here, {@code Billing.settle} or {@code Billing.reconcile}) removes the row in the same
     * transaction, so only calls in progress have one. One insert, no read.
     *
     * @throws ConflictException if a call with this id has started and has no record yet
     */
    void started(StartedCall call);

    /**
     * Names the inmate on a started call once the PIN identified them, so a crash record says who was
     * calling. One update, no read; nothing happens if the call has no row (its record is written).
     */
    void identified(String callId, String inmateId);

    /**
     * Started calls that have no record yet (calls in progress, or left by a crash), oldest first. A store opened
     * by a node lists that node's and any row that names no node (with several nodes on one database, the other
     * nodes' rows are their live calls); a store opened without a node id (a tool) lists them all.
     */
    List<StartedCall> unfinished();

    /**
     * The limits check of a call in progress: counts the inmate's other calls in progress that passed theirs
     * (on this node, on a node seen since {@code nodesSeenSince}, or on no node), and marks this call as
     * counted, in one transaction that holds the inmate's row, so that concurrent checks of one inmate, on any
     * node, are serialized: of two calls placed at once, the second counts the first. Calls of a node that has
     * gone silent (killed) no longer count. Returns how many others there are; 0 when this call has no start
     * row.
     */
    int claimUsage(String callId, String inmateId, Instant now, Instant nodesSeenSince);

    Optional<CallRecord> get(String callId);

    /**
     * Sets the recording of a record that has none (a record written by {@code Billing.reconcile} after a
     * crash, when the call's recording is found on disk). Never replaces a recording; returns whether it
     * was set.
     */
    default boolean attachRecording(String callId, String recording) {
        return attachRecording(callId, recording, null);
    }

    /** As {@link #attachRecording(String, String)}, with the recording's sealed SHA-256 (hex, may be null). */
    boolean attachRecording(String callId, String recording, String recordingSha256);

    /**
     * Records that name a recording and started in [from, to) ({@code null}: unbounded), oldest first: what
     * {@code kinline verify} checks against the files and the manifests.
     */
    List<CallRecord> withRecording(Instant from, Instant to);

    /** Search, newest first. */
    List<CallRecord> search(CallQuery query);

    /**
     * Connected calls (acceptedAt set) of the inmate that started in [from, to). Privileged
     * calls (attorneys, hotlines) do not count against limits and are excluded here and below.
     */
    int countCalls(String inmateId, Instant from, Instant to);

    /** Sum of billed seconds of the inmate's non-privileged calls that started in [from, to). */
    long billedSeconds(String inmateId, Instant from, Instant to);

    /** End time of the inmate's last connected call (for the cool-down). */
    Optional<Instant> lastCallEnd(String inmateId);

    /** Connected calls since facility-local midnight. */
    default int callsToday(String inmateId, ZoneId zone, Instant now) {
        ZonedDateTime start = LocalDate.ofInstant(now, zone).atStartOfDay(zone);
        return countCalls(inmateId, start.toInstant(), start.plusDays(1).toInstant());
    }

    /** Billed minutes (rounded up) since the first of the facility-local month. */
    default long minutesThisMonth(String inmateId, ZoneId zone, Instant now) {
        ZonedDateTime start = LocalDate.ofInstant(now, zone).withDayOfMonth(1).atStartOfDay(zone);
        long secs = billedSeconds(inmateId, start.toInstant(), start.plusMonths(1).toInstant());
        return (secs + 59) / 60;
    }
}
