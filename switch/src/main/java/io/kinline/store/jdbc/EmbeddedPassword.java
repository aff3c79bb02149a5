package io.kinline.store.jdbc;

import io.kinline.media.files.PrivateFiles;
import io.kinline.store.StoreConfig;
import io.kinline.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database's password: 256 random bits generated on first start and kept in
 * {@code <dataDir>/secrets/h2-password} (0600), beside the PIN pepper and the recording keys.
 *
 * <p>A database made by an earlier version has user {@code sa} and no password: on the first start with
 * this version it is given one ({@code SET PASSWORD}). The new password is written to
 * {@code h2-password.new} first and renamed into place only once the database has it, so a crash at any
 * point leaves a password that opens the database: the next start tries no password, then the pending
 * one. The password protects the database against whoever can reach H2 but not the file (a TCP server
 * or console someone enables later); against whoever can read the file, the 0700 directories do.
 */
final class EmbeddedPassword {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPassword.class);
    static final String USER = "sa";
    static final String FILE = "h2-password";

    private EmbeddedPassword() {
    }

    /** The password to open the embedded database of {@code config} with, creating or migrating as needed. */
    static String prepare(StoreConfig config) {
        Path secrets = config.dataDir().resolve("secrets");
        Path file = secrets.resolve(FILE);
        Path pending = secrets.resolve(FILE + ".new");
        try {
            PrivateFiles.directory(secrets);
            PrivateFiles.directory(config.dataDir().resolve("db"));
            if (Files.exists(file)) {
                return read(file);
            }
            String password;
            if (Files.exists(pending)) {
                password = read(pending);
            } else {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
                PrivateFiles.writeNew(pending, (password + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            if (Files.exists(config.dataDir().resolve("db").resolve("kinline.mv.db"))) {
                migrate(config.effectiveJdbcUrl(), password);
            }
            Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
            PrivateFiles.restrict(file);
            return password;
        } catch (IOException e) {
            throw new StoreException("cannot read or create the database password in " + secrets, e);
        }
    }

    /** Gives a passwordless database from an earlier version the password (or finds it already has it). */
    private static void migrate(String url, String password) {
        try (Connection c = DriverManager.getConnection(url, USER, ""); Statement st = c.createStatement()) {
            st.execute("SET PASSWORD '" + password + "'"); // base64url: no quote can occur
            log.info("the embedded database had no password: it has one now, in secrets/{}", FILE);
        } catch (SQLException noPassword) {
            // Given the password before a crash, then not renamed: it opens with the pending one.
            try (Connection c = DriverManager.getConnection(url, USER, password)) {
                c.isValid(1);
            } catch (SQLException e) {
                e.addSuppressed(noPassword);
                throw new StoreException("cannot open the embedded database with its password or without one", e);
            }
        }
    }

    private static String read(Path p) throws IOException {
        String s = Files.readString(p, StandardCharsets.US_ASCII).strip();
        if (s.isEmpty()) {
            throw new IOException(p + " is empty");
        }
        return s;
    }
}
