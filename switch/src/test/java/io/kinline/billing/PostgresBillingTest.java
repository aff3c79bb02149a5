package io.kinline.billing;

import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.nio.file.Path;

class PostgresBillingTest extends BillingContractTest {
    @Override
    StoreConfig newConfig(Path dir) {
        return TestDatabases.postgres(dir);
    }
}
