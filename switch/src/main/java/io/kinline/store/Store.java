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

    Numbers numbers();

    Blocks blocks();

    Accounts accounts();

    CallRecords calls();

    Incidents incidents();

    AuditLog audit();

    Tokens tokens();

    /** A named store-level marker (e.g. {@code demo-data}), if set. */
    java.util.Optional<String> meta(String name);

    /** Sets a marker unless it exists; returns whether this call set it. */
    boolean putMetaIfAbsent(String name, String value);

    @Override
    void close();
}
