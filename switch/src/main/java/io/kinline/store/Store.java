package io.kinline.store;

import io.kinline.store.jdbc.JdbcStore;

/**
 * The switch's persistent state. Open with {@link #open(StoreConfig)}: it starts the connection
 * pool and runs the Flyway migrations. Thread-safe; every method is one database transaction.
 */
public interface Store extends AutoCloseable {

    static Store open(StoreConfig config) {
        return JdbcStore.open(config);
    }

    Facilities facilities();

    Inmates inmates();

    /** Stations and inmates locked out of PIN entry (issue 10.3). */
    PinLocks pinLocks();

    Numbers numbers();

    Blocks blocks();

    Accounts accounts();

    CallRecords calls();

    Incidents incidents();

    AuditLog audit();

    Tokens tokens();

    /** Tablets' SIP digest credentials (HA1 only). */
    StationCredentials stationCredentials();

    /** People who sign in to the staff console. */
    StaffAccounts staff();

    /** Acknowledgements and notes on incidents. */
    IncidentReviews incidentReviews();

    /** The node this store was opened by ({@link StoreConfig#nodeId()}), or null. */
    default String nodeId() {
        return null;
    }

    /** Holds, charges and reservations, for the billing engine (compose them with {@link #inTransaction}). */
    Ledger ledger();

    /** The nodes of a cluster that share this database. */
    Nodes nodes();

    /**
     * Exports the connection pool's meters ({@code hikaricp_connections_*}) to {@code registry}; the stores
     * without a pool export nothing.
     */
    default void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    }

    /** Whether the database answers now (the health check); never throws. */
    boolean healthy();
    /** Idempotency keys of admin API requests. */
    IdempotencyKeys idempotencyKeys();

    /**
     * Runs {@code body} as one database transaction: every store call this thread makes inside it
     * (any repository) joins it, and it is committed when {@code body} returns or rolled back
     * entirely when it throws. Use it for multi-step admin changes, e.g. create an inmate, fund
     * the debit account and append the audit entry atomically. Keep it short (it holds a
     * connection and row locks) and do not call {@code Billing} inside it. An exception caught
     * inside {@code body} still dooms the transaction on PostgreSQL; let it propagate.
     */
    <T> T inTransaction(java.util.function.Supplier<T> body);

    /** A named store-level marker (e.g. {@code demo-data}), if set. */
    java.util.Optional<String> meta(String name);

    /** Sets a marker unless it exists; returns whether this call set it. */
    boolean putMetaIfAbsent(String name, String value);

    @Override
    void close();
}
