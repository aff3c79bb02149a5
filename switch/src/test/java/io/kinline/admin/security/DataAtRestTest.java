package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, finding 4: everything the switch keeps on disk is readable by the switch's user only, and the
 * embedded database has a password. These tests run in a JVM whose umask is the usual 022.
 */
class DataAtRestTest {

    @TempDir
    Path tmp;

    static KinlineConfig config(Path dataDir) {
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.port = 0;
        cfg.admin.port = 0;
        cfg.store.dataDir = dataDir.toString();
        return cfg;
    }

    /** Every path under {@code root} (and root) whose mode lets group or others in; directories must be 0700. */
    static List<String> exposed(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Set<PosixFilePermission> perms;
                try {
                    perms = Files.getPosixFilePermissions(p);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                String mode = PosixFilePermissions.toString(perms);
                boolean dir = Files.isDirectory(p);
                if (dir ? !mode.equals("rwx------") : !mode.substring(3).equals("------")) {
                    out.add(mode + " " + root.relativize(p));
                }
            }
        }
        return out;
    }

    @Test
    void aFreshDataDirectoryIsTheSwitchUsersOnly() throws Exception {
        Path data = tmp.resolve("kinline-data");
        try (KinlineSwitch node = new KinlineSwitch(config(data)).start()) {
            assertTrue(Files.isRegularFile(data.resolve("admin-token")));
            assertTrue(Files.isDirectory(data.resolve("recordings")));
            assertEquals(List.of(), exposed(data));
        }
        assertEquals(List.of(), exposed(data), "after a clean stop too");
    }

    @Test
    void theEmbeddedDatabaseHasAGeneratedPassword() throws Exception {
        Path data = tmp.resolve("pw");
        StoreConfig cfg = StoreConfig.embedded(data);
        try (Store store = Store.open(cfg)) {
            store.facilities().list();
        }
        Path secret = data.resolve("secrets").resolve("h2-password");
        assertTrue(Files.isRegularFile(secret), "the password is kept with the other secrets");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        String password = Files.readString(secret).strip();
        assertTrue(password.length() >= 32, "a generated password, not a word");
        assertThrows(SQLException.class, () -> DriverManager.getConnection(cfg.effectiveJdbcUrl(), "sa", "").close());
        try (Connection c = DriverManager.getConnection(cfg.effectiveJdbcUrl(), "sa", password)) {
            assertTrue(c.isValid(2));
        }
        try (Store store = Store.open(cfg)) {
            store.facilities().list(); // reopens with the stored password
        }
    }

    @Test
    void aPasswordlessDatabaseFromAnEarlierVersionIsGivenOne() throws Exception {
        Path data = tmp.resolve("old");
        StoreConfig cfg = StoreConfig.embedded(data);
        Files.createDirectories(data.resolve("db"));
        try (Connection c = DriverManager.getConnection(cfg.effectiveJdbcUrl(), "sa", "");
             Statement st = c.createStatement()) {
            // In a schema of its own: an earlier version's database had its tables in "public", made by
            // Flyway, which this one migrates further.
            st.execute("CREATE SCHEMA earlier");
            st.execute("CREATE TABLE earlier.marker (x INT)");
        }
        try (Store store = Store.open(cfg)) {
            store.facilities().list();
        }
        String password = Files.readString(data.resolve("secrets").resolve("h2-password")).strip();
        assertThrows(SQLException.class, () -> DriverManager.getConnection(cfg.effectiveJdbcUrl(), "sa", "").close());
        try (Connection c = DriverManager.getConnection(cfg.effectiveJdbcUrl(), "sa", password);
             Statement st = c.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM earlier.marker").close(); // the data is still there
        }
    }

    @Test
    void aDataDirectoryOthersCanReadIsWarnedAbout() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("loose"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> app = new ListAppender<>();
        app.start();
        root.addAppender(app);
        try (KinlineSwitch node = new KinlineSwitch(config(data)).start()) {
            List<String> warnings = app.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(data.toString())).toList();
            assertFalse(warnings.isEmpty(), "no warning about " + data);
            assertTrue(warnings.get(0).contains("rwxr-xr-x"), warnings.get(0));
            // What the switch creates inside is private whatever the directory around it allows.
            assertEquals(List.of("rwxr-xr-x "), exposed(data));
        } finally {
            root.detachAppender(app);
        }
    }
}
