package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.ts;

import io.kinline.store.Inmate;
import io.kinline.store.PinLocks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Station PIN guards on the {@code station} row (V7); inmate locks are the inmate's own columns. */
final class JdbcPinLocks implements PinLocks {

    private final Db db;

    JdbcPinLocks(Db db) {
        this.db = db;
    }

    @Override
    public StationPinGuard stationFailed(String stationId, int maxAttempts, Duration window, Duration lockFor,
            Instant now) {
        return db.tx(c -> {
            // Under the row's lock: two calls failing at once on one station (they cannot, a station has one
            // handset, but a forged one could try) both count.
            Optional<StationPinGuard> row = Db.one(c, "SELECT * FROM station WHERE id = ? FOR UPDATE",
                    JdbcPinLocks::guard, stationId);
            if (row.isEmpty()) {
                return new StationPinGuard(stationId, null, 0, null, null);
            }
            StationPinGuard g = row.get();
            boolean stale = g.lastFailureAt() == null || g.lastFailureAt().isBefore(now.minus(window));
            int failures = (stale ? 0 : g.failures()) + 1;
            Instant lockedUntil = g.lockedUntil();
            if (failures >= maxAttempts) {
                lockedUntil = now.plus(lockFor);
                failures = 0; // the lock is the consequence; the count starts again after it
            }
            Db.update(c, "UPDATE station SET pin_failures = ?, pin_failed_at = ?, pin_locked_until = ? WHERE id = ?",
                    failures, now, ts(lockedUntil), stationId);
            return new StationPinGuard(stationId, g.facilityId(), failures, now, lockedUntil);
        });
    }

    @Override
    public Optional<Instant> stationLockedUntil(String stationId, Instant now) {
        return db.tx(c -> Db.one(c, "SELECT pin_locked_until FROM station WHERE id = ? AND pin_locked_until > ?",
                rs -> Db.instant(rs, 1), stationId, now));
    }

    @Override
    public void stationSucceeded(String stationId) {
        db.tx(c -> Db.update(c, "UPDATE station SET pin_failures = 0, pin_failed_at = NULL WHERE id = ? "
                + "AND pin_failures > 0", stationId));
    }

    @Override
    public List<StationPinGuard> lockedStations(Instant now, Set<String> facilities) {
        List<Object> args = new ArrayList<>(List.of(now));
        String sql = "SELECT * FROM station WHERE pin_locked_until > ?" + within(facilities, args) + " ORDER BY id";
        return db.tx(c -> Db.list(c, sql, JdbcPinLocks::guard, args.toArray()));
    }

    @Override
    public List<Inmate> lockedInmates(Instant now, Set<String> facilities) {
        List<Object> args = new ArrayList<>(List.of(now));
        String sql = "SELECT * FROM inmate WHERE pin_locked_until > ?" + within(facilities, args) + " ORDER BY id";
        return db.tx(c -> Db.list(c, sql, JdbcInmates::inmate, args.toArray()));
    }

    @Override
    public boolean clearStation(String stationId) {
        return db.tx(c -> Db.update(c, "UPDATE station SET pin_failures = 0, pin_failed_at = NULL, "
                + "pin_locked_until = NULL WHERE id = ? AND (pin_failures > 0 OR pin_locked_until IS NOT NULL)",
                stationId) > 0);
    }

    private static String within(Set<String> facilities, List<Object> args) {
        if (facilities == null) {
            return "";
        }
        if (facilities.isEmpty()) {
            return " AND 1 = 0";
        }
        args.addAll(new TreeSet<>(facilities));
        return " AND facility_id IN (" + String.join(",", java.util.Collections.nCopies(facilities.size(), "?")) + ")";
    }

    static StationPinGuard guard(ResultSet rs) throws SQLException {
        return new StationPinGuard(rs.getString("id"), rs.getString("facility_id"), rs.getInt("pin_failures"),
                Db.instant(rs, "pin_failed_at"), Db.instant(rs, "pin_locked_until"));
    }
}
