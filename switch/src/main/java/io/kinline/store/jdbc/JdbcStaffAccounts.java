package io.kinline.store.jdbc;

import io.kinline.store.ConflictException;
import io.kinline.store.StaffAccount;
import io.kinline.store.StaffAccounts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

final class JdbcStaffAccounts implements StaffAccounts {

    private final Db db;

    JdbcStaffAccounts(Db db) {
        this.db = db;
    }

    @Override
    public StaffAccount create(String username, String displayName, String role, String passwordHash,
                               Set<String> facilities) {
        String u = username.toLowerCase(Locale.ROOT);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return db.tx(c -> {
            if (Db.one(c, "SELECT id FROM staff_account WHERE username = ?", rs -> rs.getLong(1), u).isPresent()) {
                throw new ConflictException("username " + u + " is taken");
            }
            long id = Db.insertReturningId(c, "INSERT INTO staff_account (username, display_name, role, password_hash, "
                    + "created_at) VALUES (?,?,?,?,?)", u, displayName, role, passwordHash, now);
            for (String f : new TreeSet<>(facilities)) {
                Db.update(c, "INSERT INTO staff_account_facility (staff_id, facility_id) VALUES (?,?)", id, f);
            }
            return new StaffAccount(id, u, displayName, role, passwordHash, facilities, 0, null, null, now, null);
        });
    }

    @Override
    public Optional<StaffAccount> byUsername(String username) {
        String u = username.toLowerCase(Locale.ROOT);
        return db.tx(c -> one(c, "SELECT * FROM staff_account WHERE username = ?", u));
    }

    @Override
    public Optional<StaffAccount> get(long id) {
        return db.tx(c -> one(c, "SELECT * FROM staff_account WHERE id = ?", id));
    }

    private static Optional<StaffAccount> one(Connection c, String sql, Object arg) throws SQLException {
        Optional<StaffAccount> a = Db.one(c, sql, rs -> map(rs, Set.of()), arg);
        if (a.isEmpty()) {
            return a;
        }
        return Optional.of(withFacilities(a.get(), facilities(c, a.get().id())));
    }

    @Override
    public List<StaffAccount> list() {
        return db.tx(c -> {
            Map<Long, Set<String>> scopes = new HashMap<>();
            for (Object[] row : Db.list(c, "SELECT staff_id, facility_id FROM staff_account_facility",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)})) {
                scopes.computeIfAbsent((Long) row[0], k -> new TreeSet<>()).add((String) row[1]);
            }
            return Db.list(c, "SELECT * FROM staff_account ORDER BY username",
                    rs -> map(rs, scopes.getOrDefault(rs.getLong("id"), Set.of())));
        });
    }

    @Override
    public int countAttempt(long id, Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.MICROS);
        return db.tx(c -> {
            // One UPDATE: the row lock serialises parallel attempts, each reads its own count back.
            Db.update(c, "UPDATE staff_account SET failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? "
                    + "THEN 1 ELSE failed_attempts + 1 END, locked_until = CASE WHEN locked_until IS NOT NULL AND "
                    + "locked_until <= ? THEN NULL ELSE locked_until END WHERE id = ?", t, t, id);
            return Db.one(c, "SELECT failed_attempts FROM staff_account WHERE id = ?", rs -> rs.getInt(1), id)
                    .orElse(0);
        });
    }

    @Override
    public void lock(long id, Instant until) {
        db.tx(c -> Db.update(c, "UPDATE staff_account SET locked_until = ? WHERE id = ?",
                until.truncatedTo(ChronoUnit.MICROS), id));
    }

    @Override
    public void recordSuccess(long id, Instant at) {
        db.tx(c -> Db.update(c, "UPDATE staff_account SET failed_attempts = 0, locked_until = NULL, "
                + "last_sign_in_at = ? WHERE id = ?", at.truncatedTo(ChronoUnit.MICROS), id));
    }

    @Override
    public boolean update(long id, String role, Set<String> facilities, String passwordHash, boolean unlock) {
        return db.tx(c -> {
            if (Db.one(c, "SELECT id FROM staff_account WHERE id = ?", rs -> rs.getLong(1), id).isEmpty()) {
                return false;
            }
            if (role != null) {
                Db.update(c, "UPDATE staff_account SET role = ? WHERE id = ?", role, id);
            }
            if (passwordHash != null) {
                Db.update(c, "UPDATE staff_account SET password_hash = ? WHERE id = ?", passwordHash, id);
            }
            if (unlock || passwordHash != null) {
                Db.update(c, "UPDATE staff_account SET failed_attempts = 0, locked_until = NULL WHERE id = ?", id);
            }
            if (facilities != null) {
                Db.update(c, "DELETE FROM staff_account_facility WHERE staff_id = ?", id);
                for (String f : new TreeSet<>(facilities)) {
                    Db.update(c, "INSERT INTO staff_account_facility (staff_id, facility_id) VALUES (?,?)", id, f);
                }
            }
            return true;
        });
    }

    @Override
    public boolean disable(long id, Instant at) {
        return db.tx(c -> Db.update(c, "UPDATE staff_account SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                at.truncatedTo(ChronoUnit.MICROS), id) == 1);
    }

    @Override
    public boolean anyEnabled(String role) {
        return db.tx(c -> Db.one(c, "SELECT COUNT(*) FROM staff_account WHERE role = ? AND disabled_at IS NULL",
                rs -> rs.getLong(1), role).orElse(0L) > 0);
    }

    private static Set<String> facilities(Connection c, long id) throws SQLException {
        return new TreeSet<>(Db.list(c, "SELECT facility_id FROM staff_account_facility WHERE staff_id = ?",
                rs -> rs.getString(1), id));
    }

    private static StaffAccount withFacilities(StaffAccount a, Set<String> f) {
        return new StaffAccount(a.id(), a.username(), a.displayName(), a.role(), a.passwordHash(), f,
                a.failedAttempts(), a.lockedUntil(), a.lastSignInAt(), a.createdAt(), a.disabledAt());
    }

    private static StaffAccount map(ResultSet rs, Set<String> facilities) throws SQLException {
        return new StaffAccount(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                rs.getString("role"), rs.getString("password_hash"), facilities, rs.getInt("failed_attempts"),
                Db.instant(rs, "locked_until"), Db.instant(rs, "last_sign_in_at"), Db.instant(rs, "created_at"),
                Db.instant(rs, "disabled_at"));
    }
}
