package io.kinline.store.jdbc;

import io.kinline.store.AccountKind;
import io.kinline.store.Accounts;
import io.kinline.store.DebitAccount;
import io.kinline.store.Deposit;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Reservation;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

public final class JdbcAccounts implements Accounts {

    /** Who made a deposit that came through the old two-argument methods (demo data, tests, tools). */
    static final String SYSTEM = "system";

    private final Db db;

    JdbcAccounts(Db db) {
        this.db = db;
    }

    @Override
    public Optional<DebitAccount> debit(String inmateId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM debit_account WHERE inmate_id = ?", JdbcAccounts::debitRow, inmateId));
    }

    @Override
    public Optional<PrepaidAccount> prepaid(String btn) {
        return db.tx(c -> Db.one(c, "SELECT * FROM prepaid_account WHERE btn = ?", JdbcAccounts::prepaidRow, btn));
    }

    @Override
    public List<PrepaidAccount> prepaidAccounts() {
        return db.tx(c -> Db.list(c, "SELECT * FROM prepaid_account ORDER BY btn", JdbcAccounts::prepaidRow));
    }

    private static BigDecimal checkDeposit(BigDecimal amount) {
        if (amount == null || amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("a deposit is a positive amount in whole cents: " + amount);
        }
        return amount.setScale(2);
    }

    /**
     * Runs an upsert-style deposit; if two first deposits race, the loser's INSERT hits the
     * primary key and is retried once, when the row exists and the UPDATE path applies.
     */
    private <T> T retryOnce(Db.Work<T> work) {
        try {
            return db.tx(work);
        } catch (io.kinline.store.ConflictException first) {
            return db.tx(work);
        }
    }

    @Override
    public DebitAccount depositDebit(String inmateId, BigDecimal amount) {
        return deposit(AccountKind.DEBIT, inmateId, amount, SYSTEM, null, (c, d) -> Db.one(c,
                "SELECT * FROM debit_account WHERE inmate_id = ?", JdbcAccounts::debitRow, inmateId).orElseThrow());
    }

    @Override
    public PrepaidAccount depositPrepaid(String btn, BigDecimal amount) {
        return deposit(AccountKind.PREPAID, btn, amount, SYSTEM, null, (c, d) -> Db.one(c,
                "SELECT * FROM prepaid_account WHERE btn = ?", JdbcAccounts::prepaidRow, btn).orElseThrow());
    }

    @Override
    public Deposit deposit(AccountKind kind, String account, BigDecimal amount, String by, String reference) {
        return deposit(kind, account, amount, by, reference, (c, d) -> d);
    }

    /** What a deposit returns, read in its transaction. */
    @FunctionalInterface
    private interface Then<T> {
        T read(java.sql.Connection c, Deposit d) throws SQLException;
    }

    private <T> T deposit(AccountKind kind, String account, BigDecimal amount, String by, String reference,
            Then<T> then) {
        BigDecimal a = checkDeposit(amount);
        if (by == null || by.isEmpty() || by.length() > 200) {
            throw new IllegalArgumentException("a deposit names who made it (1-200 characters): " + by);
        }
        if (reference != null && reference.length() > 200) {
            throw new IllegalArgumentException("a deposit reference is at most 200 characters");
        }
        String table = AccountTables.table(kind);
        String key = AccountTables.keyColumn(kind);
        if (kind == AccountKind.DEBIT
                && db.tx(c -> Db.one(c, "SELECT 1 FROM inmate WHERE id = ?", rs -> 1, account)).isEmpty()) {
            throw new io.kinline.store.NotFoundException("no inmate " + account);
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return retryOnce(c -> {
            if (Db.update(c, "UPDATE " + table + " SET balance = balance + ? WHERE " + key + " = ?", a, account) == 0) {
                Db.update(c, "INSERT INTO " + table + " (" + key + ", balance, held) VALUES (?, ?, 0)", account, a);
            }
            // The account row is locked by the UPDATE/INSERT until commit, so this is the balance our
            // deposit produced, and the deposit's id is taken after any earlier deposit to this account
            // committed: for one account, newer ids mean later balances.
            BigDecimal balance = Db.one(c, "SELECT balance FROM " + table + " WHERE " + key + " = ?",
                    rs -> Db.money(rs, "balance"), account).orElseThrow();
            long id = Db.insertReturningId(c, "INSERT INTO deposit (account_kind, account_key, amount, balance, at, "
                    + "deposited_by, reference) VALUES (?,?,?,?,?,?,?)", kind.name(), account, a, balance, Db.ts(at),
                    by, Db.str(reference));
            return then.read(c, new Deposit(id, kind, account, a, balance, at, by, reference));
        });
    }

    @Override
    public List<Deposit> deposits(AccountKind kind, String account, Long beforeId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        long before = beforeId == null ? Long.MAX_VALUE : beforeId;
        return db.tx(c -> Db.list(c, "SELECT * FROM deposit WHERE account_kind = ? AND account_key = ? AND id < ? "
                + "ORDER BY id DESC LIMIT " + limit, JdbcAccounts::depositRow,
                kind.name(), account, before));
    }

    public static Deposit depositRow(ResultSet rs) throws SQLException {
        return new Deposit(rs.getLong("id"), AccountKind.valueOf(rs.getString("account_kind")),
                rs.getString("account_key"), Db.money(rs, "amount"), Db.money(rs, "balance"), Db.instant(rs, "at"),
                rs.getString("deposited_by"), rs.getString("reference"));
    }

    @Override
    public Optional<Reservation> reservation(String callId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM reservation WHERE call_id = ?", JdbcAccounts::reservation, callId));
    }

    @Override
    public List<Reservation> openReservations() {
        return db.tx(c -> Db.list(c, "SELECT * FROM reservation WHERE status = 'OPEN' ORDER BY id",
                JdbcAccounts::reservation));
    }

    public static DebitAccount debitRow(ResultSet rs) throws SQLException {
        return new DebitAccount(rs.getString("inmate_id"), Db.money(rs, "balance"), Db.money(rs, "held"));
    }

    public static PrepaidAccount prepaidRow(ResultSet rs) throws SQLException {
        return new PrepaidAccount(rs.getString("btn"), Db.money(rs, "balance"), Db.money(rs, "held"));
    }

    public static Reservation reservation(ResultSet rs) throws SQLException {
        return new Reservation(rs.getLong("id"), rs.getString("call_id"),
                AccountKind.valueOf(rs.getString("account_kind")), rs.getString("account_key"),
                Db.money(rs, "amount"), Db.rate(rs, "rate"), rs.getInt("rounding_seconds"),
                rs.getInt("allowed_seconds"), Db.instant(rs, "created_at"),
                Reservation.Status.valueOf(rs.getString("status")), Db.instant(rs, "accepted_at"),
                Db.instant(rs, "heartbeat_at"), Db.money(rs, "charge"), rs.getString("facility_id"),
                rs.getString("station_id"), rs.getString("inmate_id"), rs.getString("dialed"));
    }
}
