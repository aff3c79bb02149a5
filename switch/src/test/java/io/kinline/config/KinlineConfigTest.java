package io.kinline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: the file is layered over the defaults, and a value that cannot work is refused with its key. */
class KinlineConfigTest {

    @TempDir
    Path dir;

    @Test
    void withNoFileTheDefaultsAreTheClassItself() throws Exception {
        KinlineConfig loaded = KinlineConfig.load(null);
        KinlineConfig fresh = new KinlineConfig();
        assertEquals(fresh.sip.maxCallsPerSecond, loaded.sip.maxCallsPerSecond, "sip.maxCallsPerSecond");
        assertEquals(fresh.media.portMin, loaded.media.portMin, "media.portMin");
    }

    @Test
    void aFileNamesOnlyWhatItChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("k.yaml"), "sip:\n  maxBodyBytes: 2048\n  trunk:\n    transport: tcp\n");
        KinlineConfig cfg = KinlineConfig.load(file);
        assertEquals(2048, cfg.sip.maxBodyBytes, "the file's value");
        assertEquals("tcp", cfg.sip.trunk.transport, "the file's value");
        assertEquals(new KinlineConfig().sip.maxHeaderBlockBytes, cfg.sip.maxHeaderBlockBytes, "untouched: the default");
    }

    @Test
    void aModeThatDoesNotExistIsRefusedWithTheKeyNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("k.yaml"), "mode: b2bua\n");
        KinlineConfig.ConfigException e = assertThrows(KinlineConfig.ConfigException.class,
                () -> KinlineConfig.load(file));
        assertTrue(e.getMessage().contains("'mode'") && e.getMessage().contains("b2bua"), e.getMessage());
    }
}
