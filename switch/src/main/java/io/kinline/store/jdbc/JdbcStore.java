package io.kinline.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kinline.media.files.PrivateFiles;
import io.kinline.store.Accounts;
import io.kinline.store.AuditLog;
import io.kinline.store.Blocks;
import io.kinline.store.CallRecords;
import io.kinline.store.Facilities;
import io.kinline.store.Incidents;
import io.kinline.store.IdempotencyKeys;
import io.kinline.store.Inmates;
import io.kinline.store.PinLocks;
import io.kinline.store.Ledger;
import io.kinline.store.Numbers;
import io.kinline.store.PinHasher;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.StoreException;
import io.kinline.store.Tokens;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JDBC implementation of {@link Store} for H2 (embedded) and PostgreSQL. */
public final class JdbcStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    private final HikariDataSource ds;
    private final Db db;
    private final boolean embedded;
    private final String nodeId;
    private final JdbcFacilities facilities;
    private final JdbcInmates inmates;
    private final JdbcPinLocks pinLocks;
    private final JdbcNumbers numbers;
    private final JdbcBlocks blocks;
    private final JdbcAccounts accounts;
    private final JdbcCallRecords calls;
    private final JdbcIncidents incidents;
    private final JdbcAuditLog audit;
    private final JdbcTokens tokens;
    private final JdbcStaffAccounts staff;
    private final JdbcIncidentReviews incidentReviews;
    private final JdbcLedger ledger;
    private final JdbcNodes nodes;
    private final JdbcIdempotencyKeys idempotencyKeys;
    private final JdbcStationCredentials stationCredentials;

    private JdbcStore(HikariDataSource ds, PinHasher pins, boolean embedded, String nodeId) {
        this.ds = ds;
        this.db = new Db(ds);
        this.embedded = embedded;
        this.nodeId = nodeId;
        this.facilities = new JdbcFacilities(db);
        this.inmates = new JdbcInmates(db, pins);
        this.pinLocks = new JdbcPinLocks(db);
        this.numbers = new JdbcNumbers(db);
        this.blocks = new JdbcBlocks(db);
        this.accounts = new JdbcAccounts(db);
        this.calls = new JdbcCallRecords(db, nodeId);
        this.incidents = new JdbcIncidents(db);
        this.audit = new JdbcAuditLog(db);
        this.tokens = new JdbcTokens(db);
        this.staff = new JdbcStaffAccounts(db);
        this.incidentReviews = new JdbcIncidentReviews(db);
        this.ledger = new JdbcLedger(db, nodeId);
        this.nodes = new JdbcNodes(db);
        this.idempotencyKeys = new JdbcIdempotencyKeys(db);
        this.stationCredentials = new JdbcStationCredentials(db);
    }

    /** Opens the pool, migrates the schema with Flyway and loads the PIN pepper. */
    public static JdbcStore open(StoreConfig config) {
        byte[] pepper = loadOrCreatePepper(config.dataDir());
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.effectiveJdbcUrl());
        if (config.user() != null) {
            hc.setUsername(config.user());
        } else if (config.isEmbedded()) {
            hc.setUsername(EmbeddedPassword.USER);
        }
        if (config.password() != null) {
            hc.setPassword(config.password());
        } else if (config.isEmbedded()) {
            hc.setPassword(EmbeddedPassword.prepare(config));
        }
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setMinimumIdle(1);
        hc.setPoolName("kinline-store");
        if (config.isEmbedded()) {
            try {
                PrivateFiles.directory(config.dataDir().resolve("db"));
            } catch (IOException e) {
                throw new StoreException("cannot create " + config.dataDir(), e);
            }
        }
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("schema migration failed: " + e.getMessage(), e);
        }
        if (config.isEmbedded()) {
            restrictDatabaseFiles(config.dataDir().resolve("db"));
        }
        log.info("store open: {}", config.isEmbedded() ? config.effectiveJdbcUrl() : config.jdbcUrl());
        return new JdbcStore(ds, new PinHasher(pepper), config.isEmbedded(), config.nodeId());
    }

    /**
     * H2 creates its files with the process's umask (usually 022: world-readable): the database files are
     * made 0600 at every start. Their directory is 0700 besides, which also covers files H2 makes later
     * (a trace file).
     */
    private static void restrictDatabaseFiles(Path dbDir) {
        try (java.util.stream.Stream<Path> files = Files.list(dbDir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    PrivateFiles.restrict(f);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot restrict the database files in " + dbDir, e);
        }
    }

    /**
     * Reads the PIN pepper from {@code <dataDir>/secrets/pin-pepper}, creating 32 random bytes
     * (owner read/write only, in a 0700 directory) on first start. Creation fails if the file exists,
     * so two processes starting at once cannot end up with different peppers.
     */
    static byte[] loadOrCreatePepper(Path dataDir) {
        Path dir = dataDir.resolve("secrets");
        Path file = dir.resolve("pin-pepper");
        try {
            PrivateFiles.directory(dir);
            if (!Files.exists(file)) {
                byte[] p = new byte[32];
                new SecureRandom().nextBytes(p);
                try {
                    PrivateFiles.writeNew(file, (HexFormat.of().formatHex(p) + "\n").getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII));
                    log.info("created PIN pepper {}", file);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            return HexFormat.of().parseHex(Files.readString(file).trim());
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("cannot read or create PIN pepper " + file, e);
        }
    }

    @Override
    public <T> T inTransaction(java.util.function.Supplier<T> body) {
        return db.inTransaction(body);
    }

    @Override
    public java.util.Optional<String> meta(String name) {
        return db.tx(c -> Db.one(c, "SELECT meta_value FROM kinline_meta WHERE name = ?", rs -> rs.getString(1), name));
    }

    @Override
    public boolean putMetaIfAbsent(String name, String value) {
        try {
            return db.tx(c -> {
                if (Db.one(c, "SELECT 1 FROM kinline_meta WHERE name = ?", rs -> 1, name).isPresent()) {
                    return false;
                }
                Db.update(c, "INSERT INTO kinline_meta (name, meta_value) VALUES (?, ?)", name, value);
                return true;
            });
        } catch (io.kinline.store.ConflictException raced) {
            return false;
        }
    }

    /** The transaction helper, for tests that inject faults with SQL; main code goes through {@link Store}. */
    public Db db() {
        return db;
    }

    @Override
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        // HikariCP's own binding (hikaricp_connections_active, _idle, _pending, _timeout_total, ...), tagged
        // pool="kinline-store"; set on the running pool.
        ds.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
    }

    @Override
    public boolean healthy() {
        try {
            return db.tx(c -> c.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public boolean embedded() {
        return embedded;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override public Facilities facilities() { return facilities; }
    @Override public Inmates inmates() { return inmates; }
    @Override public PinLocks pinLocks() { return pinLocks; }
    @Override public Numbers numbers() { return numbers; }
    @Override public Blocks blocks() { return blocks; }
    @Override public Accounts accounts() { return accounts; }
    @Override public CallRecords calls() { return calls; }
    @Override public Incidents incidents() { return incidents; }
    @Override public AuditLog audit() { return audit; }
    @Override public Tokens tokens() { return tokens; }
    @Override public io.kinline.store.StationCredentials stationCredentials() { return stationCredentials; }
    @Override public io.kinline.store.StaffAccounts staff() { return staff; }
    @Override public io.kinline.store.IncidentReviews incidentReviews() { return incidentReviews; }
    @Override public Ledger ledger() { return ledger; }
    @Override public io.kinline.store.Nodes nodes() { return nodes; }
    @Override public IdempotencyKeys idempotencyKeys() { return idempotencyKeys; }

    @Override
    public void close() {
        ds.close();
    }
}
