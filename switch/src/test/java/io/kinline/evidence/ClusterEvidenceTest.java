package io.kinline.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.KinlineSwitch;
import io.kinline.TestNodes;
import io.kinline.cli.Kinline;
import io.kinline.config.KinlineConfig;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence keys in a cluster (issue 14 with issue 10): the recording signing key and the key-encryption key
 * are the cluster's, as the PIN pepper is. Two nodes on one PostgreSQL with a cluster key and encryption at
 * rest: the second node fetches both keys, each node seals its recordings in its own manifests with the one
 * signing key, either node's admin API decrypts and hashes the other's recording, and {@code kinline verify}
 * accepts each node's data directory while the other node's records sit in the same database.
 */
class ClusterEvidenceTest {

    private static final String CLUSTER_KEY = "8899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677";

    @TempDir
    Path root;

    private KinlineConfig config(StoreConfig db, Path dir, String id, int mediaBase) throws Exception {
        KinlineConfig cfg = TestNodes.config(db, dir, id, mediaBase);
        cfg.store.recordingsDir = root.resolve("shared-recordings").toString();
        cfg.cluster.keyFile = root.resolve("cluster-key").toString();
        cfg.media.recording.encryption = true;
        return cfg;
    }

    /** A recording as the node's recorder leaves it (its format, its part of the shared directory), sealed. */
    private static String recordAndSeal(KinlineSwitch node, String callId, Instant start) throws Exception {
        Evidence e = node.evidence();
        String day = LocalDate.ofInstant(start, ZoneOffset.UTC).toString();
        Path f = Recordings.write(e.recordingsDir(), day, callId + e.fileExtension(), e.recordingFormat(), 900,
                callId.hashCode());
        String sha = e.seal(callId, f).sha256();
        node.store().calls().record(CallRecord.builder(callId).funding(Funding.FREE).startedAt(start)
                .acceptedAt(start.plusSeconds(5)).endedAt(start.plusSeconds(30)).outcome(CallOutcome.COMPLETED)
                .recording(f.toString()).recordingSha256(sha).build());
        return f.toString();
    }

    @Test
    void bothNodesSignAndEncryptWithTheClustersKeysAndEachVerifies() throws Exception {
        Files.writeString(root.resolve("cluster-key"), CLUSTER_KEY + "\n");
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        StoreConfig db = TestDatabases.postgres(Files.createDirectories(a));
        Instant start = Instant.now().minusSeconds(60);
        String fileA;
        String fileB;
        KinlineConfig cfgA = config(db, a, "node-a", 36000);
        KinlineConfig cfgB = config(db, b, "node-b", 37000);
        try (KinlineSwitch nodeA = new KinlineSwitch(cfgA).start()) {
            try (KinlineSwitch nodeB = new KinlineSwitch(cfgB).start()) {
                // Node B started with an empty data directory and the cluster key: it fetched A's keys.
                for (String key : new String[] {SigningKey.FILE, RecordingKeys.FILE}) {
                    assertArrayEquals(Files.readAllBytes(a.resolve("secrets").resolve(key)),
                            Files.readAllBytes(b.resolve("secrets").resolve(key)), key + " is the cluster's");
                }
                assertEquals(nodeA.evidence().publicKey().pem(), nodeB.evidence().publicKey().pem());
                assertTrue(nodeA.evidence().recordingsDir().endsWith("node-a"), "node A seals its own part");

                fileA = recordAndSeal(nodeA, "call-on-a", start);
                fileB = recordAndSeal(nodeB, "call-on-b", start.plusSeconds(1));

                // Any node serves any recording: B decrypts A's file to the WAV A sealed, and the reverse.
                EvidenceRecordings servedByB = new EvidenceRecordings(nodeB.evidence());
                EvidenceRecordings servedByA = new EvidenceRecordings(nodeA.evidence());
                assertEquals(nodeA.store().calls().get("call-on-a").orElseThrow().recordingSha256(),
                        servedByB.sha256(Path.of(fileA)));
                assertEquals(nodeB.store().calls().get("call-on-b").orElseThrow().recordingSha256(),
                        servedByA.sha256(Path.of(fileB)));
                try (InputStream in = Files.newInputStream(Path.of(fileA))) {
                    assertTrue(new String(in.readNBytes(16), StandardCharsets.ISO_8859_1).indexOf("RIFF") < 0,
                            "stored encrypted");
                }
            }
        }
        // The nodes are stopped (as an operator runs verify); each data directory verifies, the other node's
        // records in the same database notwithstanding, with the one public key.
        for (Path dir : new Path[] {a, b}) {
            Path yaml = root.resolve(dir.getFileName() + ".yaml");
            Files.writeString(yaml, "store:\n  jdbcUrl: \"" + db.jdbcUrl() + "\"\n  username: " + db.user()
                    + "\n  password: " + db.password() + "\n  recordingsDir: \"" + root.resolve("shared-recordings")
                    + "\"\n");
            String[] run = run("verify", "--config", yaml.toString(), "--data-dir", dir.toString());
            assertEquals("0", run[0], dir + ": " + run[1] + run[2]);
            assertTrue(run[1].startsWith("OK: ") && run[1].contains(" 1 call records with recordings, 1 files, "
                    + "1 manifest lines"), run[1]);
        }
        // A recording altered on the shared storage is found by the node that sealed it.
        Path altered = Path.of(fileB);
        altered.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(altered);
        bytes[bytes.length - 1] ^= 1;
        Files.write(altered, bytes);
        Path yamlB = root.resolve("b.yaml");
        String[] run = run("verify", "--config", yamlB.toString(), "--data-dir", b.toString());
        assertEquals("1", run[0], run[1] + run[2]);
        assertTrue(run[1].contains("ALTERED"), run[1]);
    }

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            rc = Kinline.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
