package io.kinline.store;

import java.nio.file.Path;

/** The same cases against a real PostgreSQL. */
class PostgresSecurityStoreTest extends SecurityStoreContractTest {
    @Override
    StoreConfig newConfig(Path dir) {
        return TestDatabases.postgres(dir);
    }
}
