package io.kinline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store.poolSize}: read from the YAML, checked, and handed to the store's pool. */
class StorePoolConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultIsTenAndTheFileOverridesIt() throws Exception {
        assertEquals(10, KinlineConfig.load(null).store.poolSize);
        Path file = Files.writeString(dir.resolve("k.yaml"), "store:\n  poolSize: 24\n");
        KinlineConfig cfg = KinlineConfig.load(file);
        assertEquals(24, cfg.store.poolSize);
        assertEquals(24, StoreConfig.embedded(dir).withPoolSize(cfg.store.poolSize).maxPoolSize());
    }

    @Test
    void aPoolOfNothingOrThousandsIsRefusedWithTheKeyNamed() {
        for (int n : new int[] {0, -1, 1001}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StoreConfig.embedded(dir).withPoolSize(n));
            assertTrue(e.getMessage().contains("store.poolSize"), e.getMessage());
        }
    }
}
