package io.kinline.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.KinlineSwitch;
import io.kinline.TestNodes;
import io.kinline.store.Inmate;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets every node of a cluster must share (issue 14). Found when two nodes were started on one
 * PostgreSQL: each made its own PIN pepper, and an inmate enrolled through node A failed every PIN on node B.
 * Now a node either gets the cluster's secrets (as files, or fetched with the cluster key) or refuses to start
 * with a message that says what to do.
 */
class ClusterSecretsTest {

    @TempDir
    Path root;

    private StoreConfig db;

    @BeforeEach
    void database() throws Exception {
        db = TestDatabases.postgres(Files.createDirectories(root.resolve("first")));
    }

    private Path key(String name, String hex) throws Exception {
        Path f = root.resolve(name);
        Files.writeString(f, hex + "\n");
        return f;
    }

    private static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    /** What a node does at start, up to its store: the cluster's secrets, the store, the new secrets published. */
    private Store startNode(Path dir, Path keyFile, String node) {
        ClusterSecrets s = ClusterSecrets.begin(new StoreConfig(dir, db.jdbcUrl(), db.user(), db.password(), 4, node),
                keyFile, node);
        try {
            Store store = Store.open(new StoreConfig(dir, db.jdbcUrl(), db.user(), db.password(), 4, node));
            s.publish();
            return store;
        } finally {
            s.close();
        }
    }

    private static KinlineSwitch node(StoreConfig db, Path dir, String id) throws Exception {
        return new KinlineSwitch(TestNodes.config(db, dir, id, 35000));
    }

    @Test
    void aNodeWithoutTheClustersPepperRefusesToStartInsteadOfFailingEveryPin() throws Exception {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        try (KinlineSwitch nodeA = node(db, a, "node-a").start()) {
            nodeA.store().facilities().create(io.kinline.store.Facility.builder("f1").name("F").build());
            nodeA.store().inmates().create(Inmate.of("I1", "f1", "Jane Roe", "en", null), "4321");

            ClusterException none = assertThrows(ClusterException.class, () -> node(db, b, "node-b").start());
            assertTrue(none.getMessage().contains("it has no pin-pepper") && none.getMessage().contains("Copy "),
                    none.getMessage());

            // A pepper of its own (a node set up alone, then pointed at the cluster): refused too.
            Files.createDirectories(b.resolve("secrets"));
            Files.writeString(b.resolve("secrets/pin-pepper"), "ab".repeat(32) + "\n");
            ClusterException other = assertThrows(ClusterException.class, () -> node(db, b, "node-b").start());
            assertTrue(other.getMessage().contains("its pin-pepper") && other.getMessage().contains("is not the cluster's")
                    && other.getMessage().contains("set by node node-a"), other.getMessage());

            // The cluster's pepper alone is not enough: the evidence signing key is the cluster's too.
            Files.copy(a.resolve("secrets/pin-pepper"), b.resolve("secrets/pin-pepper"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ClusterException noKey = assertThrows(ClusterException.class, () -> node(db, b, "node-b").start());
            assertTrue(noKey.getMessage().contains("it has no evidence-signing-key.pem"), noKey.getMessage());

            // The cluster's secrets, copied: node B starts and finds the PIN enrolled through node A.
            TestNodes.copySecrets(a, b);
            try (KinlineSwitch nodeB = node(db, b, "node-b").start()) {
                assertEquals("I1", nodeB.store().inmates().findByPin("f1", "4321").orElseThrow().id());
            }
        }
    }

    @Test
    void withTheClusterKeyANewNodeFetchesTheSecretsAndAnotherKeyIsRefused() throws Exception {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        Path k = key("cluster-key", KEY);
        try (Store nodeA = startNode(a, k, "node-a")) {
            nodeA.facilities().create(io.kinline.store.Facility.builder("f1").name("F").build());
            nodeA.inmates().create(Inmate.of("I1", "f1", "Jane Roe", "en", null), "4321");
        }
        try (Store nodeB = startNode(b, k, "node-b")) {
            assertArrayEquals(Files.readAllBytes(a.resolve("secrets/pin-pepper")),
                    Files.readAllBytes(b.resolve("secrets/pin-pepper")), "node B fetched the cluster's pepper");
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(b.resolve("secrets/pin-pepper"))));
            assertEquals("I1", nodeB.inmates().findByPin("f1", "4321").orElseThrow().id());
        }
        Path wrong = key("wrong-key", KEY.replace('0', '1'));
        ClusterException e = assertThrows(ClusterException.class,
                () -> startNode(root.resolve("c"), wrong, "node-c"));
        assertTrue(e.getMessage().contains("its cluster key") && e.getMessage().contains("is not the key"),
                e.getMessage());
        assertTrue(!Files.exists(root.resolve("c/secrets/pin-pepper")), "nothing written with a wrong key");
        Path shortKey = key("short-key", "abcd");
        assertThrows(ClusterException.class, () -> startNode(root.resolve("d"), shortKey, "node-d"));
    }

    @Test
    void aClusterOfFilesTakesAKeyLater() throws Exception {
        Path a = root.resolve("a");
        startNode(a, null, "node-a").close(); // fingerprint only
        Path b = root.resolve("b");
        Files.createDirectories(b.resolve("secrets"));
        Files.copy(a.resolve("secrets/pin-pepper"), b.resolve("secrets/pin-pepper"));
        Path k = key("cluster-key", KEY);
        startNode(b, k, "node-b").close(); // holds the cluster's copy and the key: wraps it for the others
        Path c = root.resolve("c");
        startNode(c, k, "node-c").close(); // an empty data directory and the key: fetched
        assertArrayEquals(Files.readAllBytes(a.resolve("secrets/pin-pepper")),
                Files.readAllBytes(c.resolve("secrets/pin-pepper")));
    }

    @Test
    void twoNodesStartingAtOnceOnAnEmptyDatabaseEndWithOnePepper() throws Exception {
        Path k = key("cluster-key", KEY);
        CyclicBarrier go = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (String n : List.of("a", "b")) {
                fs.add(pool.submit(() -> {
                    go.await();
                    startNode(root.resolve(n), k, "node-" + n).close();
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(Files.readAllBytes(root.resolve("a/secrets/pin-pepper")),
                Files.readAllBytes(root.resolve("b/secrets/pin-pepper")), "the start-up lock let one node make it");
    }
}
