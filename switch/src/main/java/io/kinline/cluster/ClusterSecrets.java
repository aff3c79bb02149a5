package io.kinline.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets every node of a cluster must hold the same: the PIN pepper (a PIN enrolled through one node is
 * looked up with it on every other) and the recording keys. They are files in {@code <dataDir>/secrets}, as on a
 * single node; the database they share ({@code cluster_secret}) keeps, for each, its fingerprint and, when the
 * nodes are given a cluster key ({@code cluster.keyFile}), the secret wrapped by that key.
 *
 * <p>A node starting on PostgreSQL calls {@link #begin} before anything reads a secret: under the cluster's
 * start-up lock (a PostgreSQL advisory lock, so two nodes starting at once on an empty database cannot both
 * make a pepper) it fetches the secrets the cluster has and it lacks (with the key), and refuses, with a
 * message that says what to do, to run with a secret that is not the cluster's, or without one the cluster has.
 * Once its components have made the secrets a first node makes, {@link #publish} records the new ones and
 * lets the next node start.
 */
public final class ClusterSecrets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecrets.class);
    /**
     * The files in {@code <dataDir>/secrets} that are the cluster's, not the node's: the PIN pepper, the key that
     * signs the recordings' manifests, and the key-encryption key of encrypted recordings (made when encryption
     * is first switched on). A file a node does not have and the cluster has none of is skipped.
     */
    public static final List<String> SHARED = List.of("pin-pepper", "evidence-signing-key.pem", "recording-kek");
    /** pg_advisory_lock key of the start-up lock ("KINL"). */
    static final long LOCK = 0x4B494E4CL;
    private static final String LABEL = "kinline cluster secret v1:";
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection connection;
    private final Path secrets;
    private final byte[] key;
    private final String nodeId;
    private final Map<String, Row> rows;
    private boolean locked;

    private record Row(String fingerprint, String wrapped, String keyCheck, String setBy, Instant setAt) {
    }

    private ClusterSecrets(Connection connection, Path secrets, byte[] key, String nodeId, Map<String, Row> rows) {
        this.connection = connection;
        this.secrets = secrets;
        this.key = key;
        this.nodeId = nodeId;
        this.rows = rows;
        this.locked = true;
    }

    /**
     * Takes the start-up lock and makes the node's secrets the cluster's (see the class comment).
     *
     * @param keyFile the cluster key (32 bytes as 64 hex digits), or null: the secrets are provisioned as files
     * @throws ClusterException when a secret is not the cluster's, or missing and not to be had, or the key
     *                          does not open the cluster's secrets
     */
    public static ClusterSecrets begin(String jdbcUrl, String user, String password, Path dataDir, Path keyFile,
            String nodeId) {
        byte[] key = keyFile == null ? null : readKey(keyFile);
        Connection c = null;
        try {
            // The table must exist before the store's own migration runs, which comes after the secrets.
            Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration").load().migrate();
            c = DriverManager.getConnection(jdbcUrl, user, password);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            }
            ClusterSecrets s = new ClusterSecrets(c, dataDir.resolve("secrets"), key, nodeId, read(c));
            s.adopt();
            return s;
        } catch (SQLException | IOException | RuntimeException e) {
            if (c != null) {
                try {
                    c.close(); // the session's end releases the advisory lock
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            if (e instanceof ClusterException ce) {
                throw ce;
            }
            throw new ClusterException("cannot check the cluster's secrets: " + e.getMessage(), e);
        }
    }

    private static Map<String, Row> read(Connection c) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM cluster_secret")) {
            while (rs.next()) {
                var at = rs.getObject("set_at", java.time.OffsetDateTime.class);
                rows.put(rs.getString("name"), new Row(rs.getString("fingerprint"), rs.getString("wrapped"),
                        rs.getString("key_check"), rs.getString("set_by"), at == null ? null : at.toInstant()));
            }
        }
        return rows;
    }

    private void adopt() throws IOException {
        for (String name : SHARED) {
            Row row = rows.get(name);
            if (row == null) {
                continue; // the cluster has none yet: this node's own (or new) one becomes the cluster's
            }
            Path file = secrets.resolve(name);
            byte[] local = Files.exists(file) ? Files.readAllBytes(file) : null;
            if (local != null) {
                if (!fingerprint(name, local).equals(row.fingerprint())) {
                    throw new ClusterException("node " + nodeId + ": its " + name + " (" + file + ", fingerprint "
                            + fingerprint(name, local).substring(0, 12) + ") is not the cluster's (fingerprint "
                            + row.fingerprint().substring(0, 12) + ", set by node " + row.setBy() + " at " + row.setAt()
                            + "). Every node must hold the cluster's secrets: a node with another PIN pepper finds no "
                            + "PIN enrolled through the others. Give this node the cluster's secrets (copy "
                            + secrets + " from a node of the cluster, or configure cluster.keyFile) and start it again; "
                            + "see docs/DEPLOYMENT.md, \"Secrets\"");
                }
                if (key != null && row.wrapped() == null) {
                    wrapInto(name, local); // the cluster moves from files to a cluster key
                }
                continue;
            }
            if (row.wrapped() == null || key == null) {
                throw new ClusterException("node " + nodeId + ": it has no " + name + " (" + file + ") and the cluster "
                        + "has one (set by node " + row.setBy() + " at " + row.setAt() + "); starting would make a new one "
                        + "that is not the cluster's. " + (row.wrapped() == null
                        ? "Copy " + secrets + " from a node of the cluster before starting this node"
                        : "Configure cluster.keyFile with the cluster key, or copy " + secrets + " from a node of the "
                                + "cluster") + "; see docs/DEPLOYMENT.md, \"Secrets\"");
            }
            if (!fingerprint("cluster-key", key).equals(row.keyCheck())) {
                throw new ClusterException("node " + nodeId + ": its cluster key (cluster.keyFile, fingerprint "
                        + fingerprint("cluster-key", key).substring(0, 12) + ") is not the key the cluster's secrets are "
                        + "wrapped with (fingerprint " + (row.keyCheck() == null ? "none" : row.keyCheck().substring(0, 12))
                        + "); give it the cluster's key");
            }
            byte[] secret = unwrap(name, row.wrapped());
            if (!fingerprint(name, secret).equals(row.fingerprint())) {
                throw new ClusterException("node " + nodeId + ": the cluster's " + name + " unwrapped to something else "
                        + "than its fingerprint says: the cluster_secret table was altered");
            }
            writeSecret(file, secret);
            log.info("node {}: {} fetched from the cluster (set by node {})", nodeId, name, row.setBy());
        }
    }

    /**
     * Records the secrets this node holds that the cluster does not have yet (a first node's, made by its
     * components at start), then releases the start-up lock.
     */
    public void publish() {
        try {
            for (String name : SHARED) {
                Path file = secrets.resolve(name);
                if (rows.containsKey(name) || !Files.exists(file)) {
                    continue;
                }
                byte[] secret = Files.readAllBytes(file);
                try (PreparedStatement ps = connection.prepareStatement("INSERT INTO cluster_secret "
                        + "(name, fingerprint, wrapped, key_check, set_by, set_at) VALUES (?,?,?,?,?,?)")) {
                    ps.setString(1, name);
                    ps.setString(2, fingerprint(name, secret));
                    ps.setString(3, key == null ? null : wrap(name, secret));
                    ps.setString(4, key == null ? null : fingerprint("cluster-key", key));
                    ps.setString(5, nodeId);
                    ps.setObject(6, java.time.OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS),
                            java.time.ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                log.info("node {}: {} is now the cluster's ({})", nodeId, name,
                        key == null ? "fingerprint; other nodes need a copy of the file" : "wrapped by the cluster key");
            }
        } catch (SQLException | IOException e) {
            throw new ClusterException("cannot record the cluster's secrets: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    private void wrapInto(String name, byte[] secret) throws IOException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE cluster_secret SET wrapped = ?, key_check = ? WHERE name = ? AND wrapped IS NULL")) {
            ps.setString(1, wrap(name, secret));
            ps.setString(2, fingerprint("cluster-key", key));
            ps.setString(3, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Releases the start-up lock (also when the start failed). */
    @Override
    public void close() {
        if (!locked) {
            return;
        }
        locked = false;
        try (connection) {
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        } catch (SQLException e) {
            log.debug("start-up lock: {}", e.toString()); // the session's end releases it anyway
        }
    }

    /** SHA-256 over a label, the secret's name and its bytes: tells two secrets apart, reveals nothing of them. */
    static String fingerprint(String name, byte[] secret) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((LABEL + name + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String wrap(String name, byte[] secret) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD((LABEL + name).getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(secret);
            byte[] out = new byte[NONCE + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private byte[] unwrap(String name, String wrapped) {
        try {
            byte[] in = Base64.getDecoder().decode(wrapped);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, in, 0, NONCE));
            c.updateAAD((LABEL + name).getBytes(StandardCharsets.UTF_8));
            return c.doFinal(in, NONCE, in.length - NONCE);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ClusterException("node " + nodeId + ": the cluster key does not open the cluster's " + name
                    + " (" + e.getClass().getSimpleName() + "): give this node the cluster's key");
        }
    }

    private static byte[] readKey(Path keyFile) {
        try {
            String hex = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
            byte[] k = HexFormat.of().parseHex(hex);
            if (k.length != 32) {
                throw new ClusterException("cluster.keyFile " + keyFile + " holds " + k.length + " bytes; the cluster key "
                        + "is 32 random bytes as 64 hex digits (docker/init-secrets.sh makes one)");
            }
            return k;
        } catch (IOException e) {
            throw new ClusterException("cannot read cluster.keyFile " + keyFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ClusterException("cluster.keyFile " + keyFile + " is not hex: the cluster key is 32 random bytes "
                    + "as 64 hex digits (docker/init-secrets.sh makes one)");
        }
    }

    private static void writeSecret(Path file, byte[] secret) throws IOException {
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve("." + file.getFileName() + ".fetch");
        Files.deleteIfExists(tmp);
        if (posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(tmp, secret, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
