package io.kinline.store;

import java.nio.file.Path;

class H2SecurityStoreTest extends SecurityStoreContractTest {
    @Override
    StoreConfig newConfig(Path dir) {
        return TestDatabases.h2(dir);
    }
}
