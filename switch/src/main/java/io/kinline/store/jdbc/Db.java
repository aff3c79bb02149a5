package io.kinline.store.jdbc;

import io.kinline.store.ConflictException;
import io.kinline.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Thin JDBC helper: one transaction per unit of work, portable type conversions and SQLSTATE
 * mapping. Public because the billing engine composes its own multi-statement transactions
 * with it; not an API for other modules.
 */
public final class Db {

    /** A unit of work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The connection of the enclosing {@link #inTransaction} on this thread, if any. */
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();

    private final DataSource ds;

    Db(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     * Constraint violations (SQLSTATE 23505 unique, 23503 foreign key, 23514 check) become
     * {@link ConflictException}, other SQL errors {@link StoreException}.
     */
    public <T> T tx(Work<T> work) {
        Connection joined = CURRENT.get();
        if (joined != null) {
            // Inside Store.inTransaction on this thread: join the open transaction.
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw translate(e);
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T r = work.run(c);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException re) {
                    e.addSuppressed(re);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Runs {@code body} in one transaction that every store call made by this thread inside it
     * joins; committed if {@code body} returns, rolled back if it throws. Nested calls join too.
     */
    public <T> T inTransaction(java.util.function.Supplier<T> body) {
        if (CURRENT.get() != null) {
            return body.get();
        }
        return tx(c -> {
            CURRENT.set(c);
            try {
                return body.get();
            } finally {
                CURRENT.remove();
            }
        });
    }

    static StoreException translate(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("23")) {
            return new ConflictException(e.getMessage(), e);
        }
        return new StoreException(e.getMessage(), e);
    }

    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    // --- statement helpers ---

    public static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, args);
        return ps;
    }

    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int idx = i + 1;
            switch (a) {
                case null -> ps.setNull(idx, Types.NULL);
                case Instant t -> ps.setObject(idx, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
                case BigDecimal b -> ps.setBigDecimal(idx, b);
                case Enum<?> en -> ps.setString(idx, en.name());
                case Null n -> ps.setNull(idx, n.sqlType);
                default -> ps.setObject(idx, a);
            }
        }
    }

    /** A typed SQL NULL, for drivers (PostgreSQL) that dislike untyped nulls in some positions. */
    public record Null(int sqlType) {
        public static final Null TIMESTAMP = new Null(Types.TIMESTAMP_WITH_TIMEZONE);
        public static final Null VARCHAR = new Null(Types.VARCHAR);
        public static final Null INTEGER = new Null(Types.INTEGER);
        public static final Null DECIMAL = new Null(Types.DECIMAL);
        public static final Null BIGINT = new Null(Types.BIGINT);
        public static final Null DOUBLE = new Null(Types.DOUBLE);
    }

    public static Object ts(Instant t) {
        return t == null ? Null.TIMESTAMP : t;
    }

    public static Object str(String s) {
        return s == null ? Null.VARCHAR : s;
    }

    public static Object num(Integer i) {
        return i == null ? Null.INTEGER : i;
    }

    public static Object dec(BigDecimal d) {
        return d == null ? Null.DECIMAL : d;
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Inserts and returns the generated id (the identity column must be the table's first column). */
    public static long insertReturningId(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                if (!rs.next()) {
                    throw new SQLException("no generated key");
                }
                return rs.getLong(1);
            }
        }
    }

    public static <T> List<T> list(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(m.map(rs));
            }
            return out;
        }
    }

    public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(m.map(rs)) : Optional.empty();
        }
    }

    // --- result helpers ---

    public static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Integer intOrNull(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    public static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    public static Double doubleOrNull(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    /** Money columns come back with scale 2; normalize anyway (H2 may strip trailing zeros). */
    public static BigDecimal money(ResultSet rs, String col) throws SQLException {
        BigDecimal v = rs.getBigDecimal(col);
        return v == null ? null : v.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    public static BigDecimal rate(ResultSet rs, String col) throws SQLException {
        BigDecimal v = rs.getBigDecimal(col);
        if (v == null) {
            return null;
        }
        v = v.stripTrailingZeros();
        return v.scale() < 2 ? v.setScale(2, java.math.RoundingMode.UNNECESSARY) : v;
    }
}
