package io.kinline.store.jdbc;

import io.kinline.store.AccountKind;
import io.kinline.store.Accounts;
import io.kinline.store.DebitAccount;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Reservation;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class JdbcAccounts implements Accounts {

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
        BigDecimal a = checkDeposit(amount);
        if (db.tx(c -> Db.one(c, "SELECT 1 FROM inmate WHERE id = ?", rs -> 1, inmateId)).isEmpty()) {
            throw new io.kinline.store.NotFoundException("no inmate " + inmateId);
        }
        return retryOnce(c -> {
            if (Db.update(c, "UPDATE debit_account SET balance = balance + ? WHERE inmate_id = ?", a, inmateId) == 0) {
                Db.update(c, "INSERT INTO debit_account (inmate_id, balance, held) VALUES (?, ?, 0)", inmateId, a);
            }
            return Db.one(c, "SELECT * FROM debit_account WHERE inmate_id = ?", JdbcAccounts::debitRow, inmateId)
                    .orElseThrow();
        });
    }

    @Override
    public PrepaidAccount depositPrepaid(String btn, BigDecimal amount) {
        BigDecimal a = checkDeposit(amount);
        return retryOnce(c -> {
            if (Db.update(c, "UPDATE prepaid_account SET balance = balance + ? WHERE btn = ?", a, btn) == 0) {
                Db.update(c, "INSERT INTO prepaid_account (btn, balance, held) VALUES (?, ?, 0)", btn, a);
            }
            return Db.one(c, "SELECT * FROM prepaid_account WHERE btn = ?", JdbcAccounts::prepaidRow, btn)
                    .orElseThrow();
        });
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
