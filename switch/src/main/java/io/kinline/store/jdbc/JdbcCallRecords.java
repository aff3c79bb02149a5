package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;
import static io.kinline.store.jdbc.Db.ts;

import io.kinline.store.CallOutcome;
import io.kinline.store.CallQuery;
import io.kinline.store.CallRecord;
import io.kinline.store.CallRecords;
import io.kinline.store.Funding;
import io.kinline.store.LegQuality;
import io.kinline.store.RecordingFidelity;
import io.kinline.store.StartedCall;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Call records. The static helpers let {@link JdbcLedger} write a record inside the billing engine's transaction. */
public final class JdbcCallRecords implements CallRecords {

    private final Db db;
    /** This node's id, written on its start rows and records; null outside a node. */
    private final String nodeId;

    JdbcCallRecords(Db db, String nodeId) {
        this.db = db;
        this.nodeId = nodeId;
    }

    @Override
    public CallRecord record(CallRecord r) {
        try {
            return db.tx(c -> insertIfAbsent(c, r, nodeId));
        } catch (io.kinline.store.ConflictException raced) {
            // A concurrent writer inserted the same callId first: theirs wins.
            return get(r.callId()).orElseThrow(() -> raced);
        }
    }

    /**
     * Inserts the record unless one with the same callId exists; returns the stored record.
     * Callers of the same callId are serialized by the primary key; a concurrent duplicate fails
     * its transaction with a unique violation, which {@link #record} turns into a re-read.
     * Removes the call's {@code call_start} row in the same transaction, whichever record wins.
     */
    static CallRecord insertIfAbsent(Connection c, CallRecord r) throws SQLException {
        return insertIfAbsent(c, r, null);
    }

    /** As {@link #insertIfAbsent(Connection, CallRecord)}, noting which node wrote the record. */
    static CallRecord insertIfAbsent(Connection c, CallRecord r, String nodeId) throws SQLException {
        // Every record is written here (record(), Billing.settle and Billing.reconcile), so this is
        // the one place that closes a started call. Deleting the row, rather than keeping it and
        // letting the record's existence decide, keeps call_start as small as the calls in progress:
        // the startup reconcile reads just those rows, with no anti-join against the ever-growing
        // call_record and no purge job, and a normal call pays only a primary-key delete inside a
        // transaction it commits anyway. Same transaction as the insert: a crash leaves either the
        // row (reconcile writes the record) or the record, never neither, never both.
        // A record written without the SIP Call-ID (the crash reconcile's) takes it from the start row.
        if (r.sipCallId() == null) {
            String sip = Db.one(c, "SELECT sip_call_id FROM call_start WHERE call_id = ?", rs -> rs.getString(1),
                    r.callId()).orElse(null);
            if (sip != null) {
                r = r.toBuilder().sipCallId(sip).build();
            }
        }
        Db.update(c, "DELETE FROM call_start WHERE call_id = ?", r.callId());
        Optional<CallRecord> existing = find(c, r.callId());
        if (existing.isPresent()) {
            return existing.get();
        }
        LegQuality iq = r.inmateQuality();
        LegQuality cq = r.calledQuality();
        RecordingFidelity rf = r.recordingFidelity();
        Db.update(c, "INSERT INTO call_record (call_id, facility, station, inmate_id, dialed, btn, funding, started_at, "
                        + "answered_at, accepted_at, ended_at, outcome, reason, billed_seconds, charge, recording, "
                        + "privileged, inmate_packets_lost, inmate_loss_fraction, inmate_jitter_ms, "
                        + "called_packets_lost, called_loss_fraction, called_jitter_ms, recording_sha256, three_way, "
                        + "sip_call_id, trunk_call_id, recording_gap_frames_inmate, recording_gap_frames_called, "
                        + "recording_late_frames) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.callId(), str(r.facility()), str(r.station()), str(r.inmateId()), str(r.dialed()), str(r.btn()),
                r.funding().wireName(), r.startedAt(), ts(r.answeredAt()), ts(r.acceptedAt()), ts(r.endedAt()),
                r.outcome().wireName(), str(r.reason()), r.billedSeconds(), r.charge(), str(r.recording()),
                r.privileged(),
                iq == null ? Db.Null.BIGINT : iq.packetsLost(), iq == null ? Db.Null.DOUBLE : iq.lossFraction(),
                iq == null ? Db.Null.DOUBLE : iq.jitterMs(),
                cq == null ? Db.Null.BIGINT : cq.packetsLost(), cq == null ? Db.Null.DOUBLE : cq.lossFraction(),
                cq == null ? Db.Null.DOUBLE : cq.jitterMs(), str(r.recordingSha256()),
                r.threeWay(), str(r.sipCallId()), str(r.trunkCallId()),
                rf == null ? Db.Null.BIGINT : rf.gapFramesInmate(), rf == null ? Db.Null.BIGINT : rf.gapFramesCalled(),
                rf == null ? Db.Null.BIGINT : rf.lateFrames());
        if (nodeId != null) {
            Db.update(c, "UPDATE call_record SET node_id = ? WHERE call_id = ?", nodeId, r.callId());
        }
        return find(c, r.callId()).orElseThrow();
    }

    static Optional<CallRecord> find(Connection c, String callId) throws SQLException {
        return Db.one(c, "SELECT * FROM call_record WHERE call_id = ?", JdbcCallRecords::map, callId);
    }

    @Override
    public void started(StartedCall call) {
        db.tx(c -> Db.update(c, "INSERT INTO call_start (call_id, facility_id, station_id, inmate_id, started_at, "
                        + "node_id, sip_call_id) VALUES (?,?,?,?,?,?,?)", call.callId(), str(call.facilityId()),
                call.stationId(), str(call.inmateId()), call.startedAt(), str(nodeId), str(call.sipCallId())));
    }

    @Override
    public void identified(String callId, String inmateId) {
        db.tx(c -> Db.update(c, "UPDATE call_start SET inmate_id = ? WHERE call_id = ?", str(inmateId), callId));
    }

    /**
     * The calls without a record: a node's own (and rows older than node ids, see {@link #unfinished(Connection,
     * String)}); for a store opened without a node id (a tool, a test looking at the database), all of them.
     */
    @Override
    public List<StartedCall> unfinished() {
        return nodeId == null
                ? db.tx(c -> Db.list(c, "SELECT * FROM call_start ORDER BY started_at, call_id", JdbcCallRecords::started))
                : db.tx(c -> unfinished(c, nodeId));
    }

    /**
     * The start rows of node {@code nodeId}'s calls, and the rows that name no node (written before nodes had
     * ids, or by a store opened without one). Another node's rows are its live calls, never ours to close.
     */
    static List<StartedCall> unfinished(Connection c, String nodeId) throws SQLException {
        return nodeId == null
                ? Db.list(c, "SELECT * FROM call_start WHERE node_id IS NULL ORDER BY started_at, call_id",
                        JdbcCallRecords::started)
                : Db.list(c, "SELECT * FROM call_start WHERE node_id = ? OR node_id IS NULL ORDER BY started_at, call_id",
                        JdbcCallRecords::started, nodeId);
    }

    @Override
    public int claimUsage(String callId, String inmateId, Instant now, Instant nodesSeenSince) {
        return db.tx(c -> {
            // The inmate's row is the lock: concurrent checks of one inmate queue here, on every node.
            if (Db.one(c, "SELECT id FROM inmate WHERE id = ? FOR UPDATE", rs -> 1, inmateId).isEmpty()) {
                return 0;
            }
            int others = Db.one(c, "SELECT COUNT(*) FROM call_start s WHERE s.inmate_id = ? AND s.call_id <> ? "
                    + "AND s.counted_at IS NOT NULL AND (s.node_id IS NULL OR s.node_id = ? OR EXISTS (SELECT 1 FROM "
                    + "cluster_node n WHERE n.node_id = s.node_id AND n.stopped_at IS NULL AND n.seen_at >= ?))",
                    rs -> rs.getInt(1), inmateId, callId, str(nodeId), nodesSeenSince).orElse(0);
            Db.update(c, "UPDATE call_start SET counted_at = ? WHERE call_id = ?", now, callId);
            return others;
        });
    }

    /** The call's start row, locked until the transaction ends (the billing engine's reconcile). */
    static Optional<StartedCall> startedForUpdate(Connection c, String callId) throws SQLException {
        return Db.one(c, "SELECT * FROM call_start WHERE call_id = ? FOR UPDATE", JdbcCallRecords::started, callId);
    }

    static StartedCall started(ResultSet rs) throws SQLException {
        return new StartedCall(rs.getString("call_id"), rs.getString("facility_id"), rs.getString("station_id"),
                rs.getString("inmate_id"), Db.instant(rs, "started_at"), rs.getString("sip_call_id"));
    }

    @Override
    public Optional<CallRecord> get(String callId) {
        return db.tx(c -> find(c, callId));
    }

    @Override
    public boolean attachRecording(String callId, String recording, String recordingSha256) {
        if (recording == null || recording.isEmpty()) {
            throw new IllegalArgumentException("recording must not be empty");
        }
        return db.tx(c -> Db.update(c, "UPDATE call_record SET recording = ?, recording_sha256 = ? "
                + "WHERE call_id = ? AND recording IS NULL", recording, str(recordingSha256), callId)) == 1;
    }

    @Override
    public List<CallRecord> withRecording(Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("SELECT * FROM call_record WHERE recording IS NOT NULL");
        List<Object> args = new ArrayList<>();
        if (from != null) {
            sql.append(" AND started_at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" AND started_at < ?");
            args.add(to);
        }
        sql.append(" ORDER BY started_at, call_id");
        return db.tx(c -> Db.list(c, sql.toString(), JdbcCallRecords::map, args.toArray()));
    }

    @Override
    public List<CallRecord> search(CallQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM call_record WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.facilityId() != null) {
            sql.append(" AND facility = ?");
            args.add(q.facilityId());
        }
        if (q.btn() != null) {
            sql.append(" AND btn = ?");
            args.add(q.btn());
        }
        if (q.inmateId() != null) {
            sql.append(" AND inmate_id = ?");
            args.add(q.inmateId());
        }
        if (q.dialed() != null) {
            sql.append(" AND dialed = ?");
            args.add(q.dialed());
        }
        if (q.from() != null) {
            sql.append(" AND started_at >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND started_at < ?");
            args.add(q.to());
        }
        if (q.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(q.outcome().wireName());
        }
        if (q.sipCallId() != null) {
            sql.append(" AND (sip_call_id = ? OR trunk_call_id = ?)");
            args.add(q.sipCallId());
            args.add(q.sipCallId());
        }
        // Who may see what is part of the query, before the LIMIT: a filter on the rows returned would
        // shorten pages and tell the searcher that something was there.
        if (!q.includePrivileged()) {
            sql.append(" AND privileged = FALSE");
        }
        if (q.facilities() != null) {
            if (q.facilities().isEmpty()) {
                return List.of();
            }
            sql.append(" AND facility IN (").append(String.join(",", java.util.Collections.nCopies(q.facilities().size(), "?")))
                    .append(')');
            args.addAll(new java.util.TreeSet<>(q.facilities()));
        }
        sql.append(" ORDER BY started_at DESC, call_id DESC LIMIT ").append(q.limit());
        return db.tx(c -> Db.list(c, sql.toString(), JdbcCallRecords::map, args.toArray()));
    }

    @Override
    public int countCalls(String inmateId, Instant from, Instant to) {
        return db.tx(c -> Db.one(c, "SELECT COUNT(*) FROM call_record WHERE inmate_id = ? AND accepted_at IS NOT NULL "
                + "AND privileged = FALSE AND started_at >= ? AND started_at < ?", rs -> rs.getInt(1), inmateId, from, to).orElse(0));
    }

    @Override
    public long billedSeconds(String inmateId, Instant from, Instant to) {
        return db.tx(c -> Db.one(c, "SELECT COALESCE(SUM(billed_seconds), 0) FROM call_record WHERE inmate_id = ? "
                + "AND privileged = FALSE AND started_at >= ? AND started_at < ?", rs -> rs.getLong(1), inmateId, from, to).orElse(0L));
    }

    @Override
    public Optional<Instant> lastCallEnd(String inmateId) {
        return db.tx(c -> Db.one(c, "SELECT MAX(ended_at) FROM call_record WHERE inmate_id = ? "
                + "AND accepted_at IS NOT NULL", rs -> Db.instant(rs, 1), inmateId));
    }

    static CallRecord map(ResultSet rs) throws SQLException {
        Long ipl = Db.longOrNull(rs, "inmate_packets_lost");
        Long cpl = Db.longOrNull(rs, "called_packets_lost");
        Long gapInmate = Db.longOrNull(rs, "recording_gap_frames_inmate");
        RecordingFidelity rf = gapInmate == null ? null : new RecordingFidelity(gapInmate,
                rs.getLong("recording_gap_frames_called"), rs.getLong("recording_late_frames"));
        LegQuality iq = ipl == null ? null : new LegQuality(ipl, rs.getDouble("inmate_loss_fraction"),
                rs.getDouble("inmate_jitter_ms"));
        LegQuality cq = cpl == null ? null : new LegQuality(cpl, rs.getDouble("called_loss_fraction"),
                rs.getDouble("called_jitter_ms"));
        return CallRecord.builder(rs.getString("call_id")).facility(rs.getString("facility"))
                .station(rs.getString("station")).inmateId(rs.getString("inmate_id")).dialed(rs.getString("dialed"))
                .btn(rs.getString("btn")).funding(Funding.fromWire(rs.getString("funding")))
                .startedAt(Db.instant(rs, "started_at")).answeredAt(Db.instant(rs, "answered_at"))
                .acceptedAt(Db.instant(rs, "accepted_at")).endedAt(Db.instant(rs, "ended_at"))
                .outcome(CallOutcome.fromWire(rs.getString("outcome"))).reason(rs.getString("reason"))
                .billedSeconds(rs.getLong("billed_seconds")).charge(Db.money(rs, "charge"))
                .recording(rs.getString("recording")).privileged(rs.getBoolean("privileged"))
                .inmateQuality(iq).calledQuality(cq).recordingSha256(rs.getString("recording_sha256"))
                .threeWay(rs.getBoolean("three_way")).sipCallId(rs.getString("sip_call_id"))
                .trunkCallId(rs.getString("trunk_call_id")).recordingFidelity(rf).build();
    }
}
