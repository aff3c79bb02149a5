package io.kinline.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives.
 *
 * <ul>
 *   <li>Embedded (default): {@code jdbcUrl == null}; an H2 file database
 *       {@code <dataDir>/db/kinline.mv.db} is created on first start.</li>
 *   <li>PostgreSQL: {@code jdbcUrl = "jdbc:postgresql://host:5432/kinline"} plus user/password.</li>
 * </ul>
 * In both cases {@code dataDir} holds the PIN pepper ({@code <dataDir>/secrets/pin-pepper}),
 * which must be backed up with the database: without it no PIN can be looked up.
 *
 * <p>{@code nodeId} names the node that opens the store (a cluster of nodes shares one PostgreSQL): the
 * rows of the calls it carries are marked with it, and its startup reconcile finishes only those. Null: a
 * store used outside a node (tools, tests); its rows carry no node.
 */
public record StoreConfig(Path dataDir, String jdbcUrl, String user, String password, int maxPoolSize,
        String nodeId) {

    /** Pooled connections unless {@code store.poolSize} says otherwise. */
    public static final int DEFAULT_POOL_SIZE = 10;

    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (maxPoolSize <= 0) {
            maxPoolSize = DEFAULT_POOL_SIZE;
        }
    }

    public StoreConfig(Path dataDir, String jdbcUrl, String user, String password, int maxPoolSize) {
        this(dataDir, jdbcUrl, user, password, maxPoolSize, null);
    }

    /** The same store, opened by node {@code id}. */
    public StoreConfig withNodeId(String id) {
        return new StoreConfig(dataDir, jdbcUrl, user, password, maxPoolSize, id);
    }

    public static StoreConfig embedded(Path dataDir) {
        return new StoreConfig(dataDir, null, null, null, DEFAULT_POOL_SIZE);
    }

    public static StoreConfig postgres(Path dataDir, String jdbcUrl, String user, String password) {
        return new StoreConfig(dataDir, Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password, DEFAULT_POOL_SIZE);
    }

    /**
     * The same store with {@code n} pooled connections. Each call holds one only for the length of a
     * transaction, so 10 serve 50 calls a second on 2 cores; more help a database on another host,
     * where each transaction waits longer on the network.
     */
    public StoreConfig withPoolSize(int n) {
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("store.poolSize must be between 1 and 1000, not " + n);
        }
        return new StoreConfig(dataDir, jdbcUrl, user, password, n, nodeId);
    }

    public boolean isEmbedded() {
        return jdbcUrl == null;
    }

    public String effectiveJdbcUrl() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        // PostgreSQL mode keeps the SQL portable; lower-case identifiers match PostgreSQL's folding.
        // A generous lock timeout because reservations against one BTN serialize on its row.
        // WRITE_DELAY=0: H2 otherwise writes commits in the background up to 500 ms later, and a
        // kill -9 would lose committed reservations and charges (KillRecoveryTest shows it).
        // TRACE_LEVEL_FILE=4: H2's own error trace goes to SLF4J (our log) instead of a kinline.trace.db
        // file that H2 would create with the process's umask.
        Path db = dataDir.toAbsolutePath().resolve("db").resolve("kinline");
        return "jdbc:h2:file:" + db + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=4";
    }
}
