package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.AccountTables.keyColumn;
import static io.kinline.store.jdbc.AccountTables.table;
import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.AccountKind;
import io.kinline.store.CallRecord;
import io.kinline.store.Ledger;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.StoreException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** {@link Ledger} in SQL; each method joins the transaction open on this thread, if any. */
final class JdbcLedger implements Ledger {

    private final Db db;
    /** The node whose reservations and records this ledger writes; null outside a node. */
    private final String nodeId;

    JdbcLedger(Db db, String nodeId) {
        this.db = db;
        this.nodeId = nodeId;
    }

    @Override
    public Optional<Balance> lockAccount(AccountKind kind, String key) {
        return db.tx(c -> Db.one(c, "SELECT balance, held FROM " + table(kind) + " WHERE " + keyColumn(kind)
                + " = ? FOR UPDATE", rs -> new Balance(Db.money(rs, "balance"), Db.money(rs, "held")), key));
    }

    @Override
    public boolean hold(AccountKind kind, String key, BigDecimal amount) {
        // Conditional, so it cannot overdraw even if the caller forgot the lock.
        return db.tx(c -> Db.update(c, "UPDATE " + table(kind) + " SET held = held + ? WHERE " + keyColumn(kind)
                + " = ? AND balance - held >= ?", amount, key, amount)) == 1;
    }

    @Override
    public void releaseHold(AccountKind kind, String key, BigDecimal amount) {
        db.tx(c -> Db.update(c, "UPDATE " + table(kind) + " SET held = held - ? WHERE " + keyColumn(kind) + " = ?",
                amount, key));
    }

    @Override
    public void charge(AccountKind kind, String key, BigDecimal charge, BigDecimal held) {
        int n = db.tx(c -> Db.update(c, "UPDATE " + table(kind) + " SET balance = balance - ?, held = held - ? WHERE "
                + keyColumn(kind) + " = ?", charge, held, key));
        if (n != 1) {
            throw new StoreException("account " + kind + " " + key + " vanished");
        }
    }

    @Override
    public Reservation openReservation(NewReservation r) {
        return db.tx(c -> {
            Db.update(c, "INSERT INTO reservation (call_id, account_kind, account_key, amount, rate, rounding_seconds, "
                            + "allowed_seconds, created_at, status, facility_id, station_id, inmate_id, dialed, node_id) "
                            + "VALUES (?,?,?,?,?,?,?,?,'OPEN',?,?,?,?,?)",
                    r.callId(), r.kind(), r.accountKey(), r.amount(), r.rate(), r.roundingSeconds(), r.allowedSeconds(),
                    r.createdAt(), str(r.facilityId()), str(r.stationId()), str(r.inmateId()), str(r.dialed()),
                    str(nodeId));
            return reservation(c, r.callId(), false).orElseThrow();
        });
    }

    @Override
    public Optional<Reservation> reservation(String callId, boolean lock) {
        return db.tx(c -> reservation(c, callId, lock));
    }

    private static Optional<Reservation> reservation(java.sql.Connection c, String callId, boolean lock)
            throws java.sql.SQLException {
        return Db.one(c, "SELECT * FROM reservation WHERE call_id = ?" + (lock ? " FOR UPDATE" : ""),
                JdbcAccounts::reservation, callId);
    }

    @Override
    public void closeReservation(long id, Reservation.Status status, BigDecimal charge) {
        db.tx(c -> Db.update(c, "UPDATE reservation SET status = ?, charge = ? WHERE id = ? AND status = 'OPEN'",
                status, charge, id));
    }

    @Override
    public void accepted(String callId, Instant at) {
        db.tx(c -> Db.update(c, "UPDATE reservation SET accepted_at = COALESCE(accepted_at, ?), heartbeat_at = ? "
                + "WHERE call_id = ? AND status = 'OPEN'", at, at, callId));
    }

    @Override
    public void heartbeat(String callId, Instant at) {
        db.tx(c -> Db.update(c, "UPDATE reservation SET heartbeat_at = ? WHERE call_id = ? AND status = 'OPEN' "
                + "AND accepted_at IS NOT NULL AND (heartbeat_at IS NULL OR heartbeat_at < ?)", at, callId, at));
    }

    @Override
    public Optional<CallRecord> callRecord(String callId) {
        return db.tx(c -> JdbcCallRecords.find(c, callId));
    }

    @Override
    public CallRecord recordIfAbsent(CallRecord r) {
        return db.tx(c -> JdbcCallRecords.insertIfAbsent(c, r, nodeId));
    }

    @Override
    public Optional<StartedCall> lockStarted(String callId) {
        return db.tx(c -> JdbcCallRecords.startedForUpdate(c, callId));
    }

    @Override
    public java.util.List<Reservation> openReservations(String node) {
        return db.tx(c -> node == null
                ? Db.list(c, "SELECT * FROM reservation WHERE status = 'OPEN' AND node_id IS NULL ORDER BY id",
                        JdbcAccounts::reservation)
                : Db.list(c, "SELECT * FROM reservation WHERE status = 'OPEN' AND (node_id = ? OR node_id IS NULL) "
                        + "ORDER BY id", JdbcAccounts::reservation, node));
    }

    @Override
    public java.util.List<StartedCall> unfinished(String node) {
        return db.tx(c -> JdbcCallRecords.unfinished(c, node));
    }
}
