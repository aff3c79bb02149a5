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
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import io.kinline.store.SharedSecrets;
import io.kinline.store.StoreConfig;
import io.kinline.store.StoreException;
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
    private static final String LABEL = "kinline cluster secret v1:";
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SharedSecrets db;
    private final Path secrets;
    private final byte[] key;
    private final String nodeId;
    private final Map<String, SharedSecrets.Entry> rows;

    private ClusterSecrets(SharedSecrets db, Path secrets, byte[] key, String nodeId) {
        this.db = db;
        this.secrets = secrets;
        this.key = key;
        this.nodeId = nodeId;
        this.rows = db.entries();
    }

    /**
     * Takes the start-up lock and makes the node's secrets the cluster's (see the class comment).
     *
     * @param store   the PostgreSQL store the node is about to open
     * @param keyFile the cluster key (32 bytes as 64 hex digits), or null: the secrets are provisioned as files
     * @throws ClusterException when a secret is not the cluster's, or missing and not to be had, or the key
     *                          does not open the cluster's secrets
     */
    public static ClusterSecrets begin(StoreConfig store, Path keyFile, String nodeId) {
        byte[] key = keyFile == null ? null : readKey(keyFile);
        SharedSecrets db;
        try {
            db = SharedSecrets.lock(store);
        } catch (StoreException e) {
            throw new ClusterException(e.getMessage(), e);
        }
        ClusterSecrets s = new ClusterSecrets(db, store.dataDir().resolve("secrets"), key, nodeId);
        try {
            s.adopt();
            return s;
        } catch (IOException | RuntimeException e) {
            db.close();
            if (e instanceof ClusterException ce) {
                throw ce;
            }
            throw new ClusterException("cannot check the cluster's secrets: " + e.getMessage(), e);
        }
    }

    private void adopt() throws IOException {
        for (String name : SHARED) {
            SharedSecrets.Entry row = rows.get(name);
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
                    db.wrap(name, wrap(name, local), fingerprint("cluster-key", key)); // from files to a cluster key
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
                db.add(new SharedSecrets.Entry(name, fingerprint(name, secret), key == null ? null : wrap(name, secret),
                        key == null ? null : fingerprint("cluster-key", key), nodeId, Instant.now()));
                log.info("node {}: {} is now the cluster's ({})", nodeId, name,
                        key == null ? "fingerprint; other nodes need a copy of the file" : "wrapped by the cluster key");
            }
        } catch (IOException | StoreException e) {
            throw new ClusterException("cannot record the cluster's secrets: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    /** Releases the start-up lock (also when the start failed). */
    @Override
    public void close() {
        db.close();
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
