package io.kinline.store.jdbc;

import io.kinline.store.SharedSecrets;
import io.kinline.store.StoreConfig;
import io.kinline.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedSecrets} on PostgreSQL: one connection of its own holding {@code pg_advisory_lock} for as long as
 * a node starts, so two nodes starting at once on an empty database cannot both make the cluster's secrets.
 * The session's end releases the lock too, so a node that dies while starting holds nobody up.
 */
public final class JdbcSharedSecrets implements SharedSecrets {

    private static final Logger log = LoggerFactory.getLogger(JdbcSharedSecrets.class);
    /** pg_advisory_lock key of the start-up lock ("KINL"). */
    static final long LOCK = 0x4B494E4CL;

    private final Connection c;
    private final Map<String, Entry> entries;
    private boolean locked = true;

    private JdbcSharedSecrets(Connection c, Map<String, Entry> entries) {
        this.c = c;
        this.entries = entries;
    }

    /** See {@link SharedSecrets#lock}. */
    public static SharedSecrets lock(StoreConfig config) {
        if (config.isEmbedded()) {
            throw new IllegalArgumentException("the cluster's secrets live on PostgreSQL; an embedded store is one node");
        }
        Connection c = null;
        try {
            // The table must exist before the store's own migration, which comes after the secrets.
            Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
                    .locations("classpath:db/migration").load().migrate();
            c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            }
            Map<String, Entry> entries = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM cluster_secret")) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject("set_at", OffsetDateTime.class);
                    entries.put(rs.getString("name"), new Entry(rs.getString("name"), rs.getString("fingerprint"),
                            rs.getString("wrapped"), rs.getString("key_check"), rs.getString("set_by"),
                            at == null ? null : at.toInstant()));
                }
            }
            return new JdbcSharedSecrets(c, Map.copyOf(entries));
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                try {
                    c.close(); // the session's end releases the advisory lock
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            throw new StoreException("cannot read the cluster's secrets: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Entry> entries() {
        return entries;
    }

    @Override
    public void add(Entry e) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_secret "
                + "(name, fingerprint, wrapped, key_check, set_by, set_at) VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, e.name());
            ps.setString(2, e.fingerprint());
            ps.setString(3, e.wrapped());
            ps.setString(4, e.keyCheck());
            ps.setString(5, e.setBy());
            ps.setObject(6, OffsetDateTime.ofInstant(e.setAt().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new StoreException("cannot record the cluster's " + e.name() + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void wrap(String name, String wrapped, String keyCheck) {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE cluster_secret SET wrapped = ?, key_check = ? WHERE name = ? AND wrapped IS NULL")) {
            ps.setString(1, wrapped);
            ps.setString(2, keyCheck);
            ps.setString(3, name);
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new StoreException("cannot wrap the cluster's " + name + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        if (!locked) {
            return;
        }
        locked = false;
        try (c) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        } catch (SQLException e) {
            log.debug("start-up lock: {}", e.toString()); // the session's end releases it anyway
        }
    }
}
