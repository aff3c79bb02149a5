package io.kinline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.cli.Kinline;
import io.kinline.store.ApiToken;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on PostgreSQL can be administered (issue 14): the first node on a store without a usable admin token
 * writes one to {@code <data-dir>/admin-token} (mode 600), as on the embedded default; the second node of the
 * cluster finds it and writes none; and {@code kinline token create} makes another on the store when it is lost.
 * Before the fix a node on PostgreSQL made no token at all and no command made one.
 */
class PostgresAdminTokenTest {

    @TempDir
    Path nodeA;
    @TempDir
    Path nodeB;
    @TempDir
    Path ops;

    @Test
    void theFirstNodeOnPostgresWritesTheTokenAndTheCliMakesAnother() throws Exception {
        StoreConfig db = TestDatabases.postgres(nodeA);
        String secret;
        try (KinlineSwitch a = new KinlineSwitch(TestNodes.config(db, nodeA, "node-a", 34000)).start()) {
            Path file = a.adminTokenFile();
            assertNotNull(file, "a node on PostgreSQL with no admin token writes one");
            assertEquals(nodeA.resolve("admin-token").toAbsolutePath(), file);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            secret = Files.readString(file).strip();
            assertEquals(ApiToken.Role.ADMIN, a.store().tokens().authenticate(secret).orElseThrow().role());
            TestNodes.copySecrets(nodeA, nodeB);
            try (KinlineSwitch b = new KinlineSwitch(TestNodes.config(db, nodeB, "node-b", 34000)).start()) {
                assertNull(b.adminTokenFile(), "the cluster has an admin token: the second node makes none");
                assertTrue(b.store().tokens().authenticate(secret).isPresent(), "node A's token works on node B");
            }
        }
        // The token is lost: make another on the store from the node's configuration.
        Path yaml = ops.resolve("node.yaml");
        Files.writeString(yaml, "store:\n  jdbcUrl: \"" + db.jdbcUrl() + "\"\n  username: " + db.user()
                + "\n  password: " + db.password() + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            rc = Kinline.execute("token", "create", "--config", yaml.toString(), "--data-dir", ops.toString(),
                    "--name", "recovery", "--role", "admin");
            assertEquals(2, Kinline.execute("token", "create", "--config", yaml.toString(), "--data-dir",
                    ops.toString(), "--name", "x", "--role", "root"), "an unknown role is refused");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        String made = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(made.startsWith("kl_") && !made.contains("\n"), "only the secret on standard output: " + made);
        try (Store s = Store.open(db)) {
            ApiToken t = s.tokens().authenticate(made).orElseThrow();
            assertEquals(ApiToken.Role.ADMIN, t.role());
            assertEquals("recovery", t.name());
            assertTrue(s.audit().list(null, null, null, null, 100).stream()
                    .anyMatch(e -> e.action().equals("token.create") && e.target().equals("token:" + t.id())),
                    "the audit log says who made it");
        }
    }
}
