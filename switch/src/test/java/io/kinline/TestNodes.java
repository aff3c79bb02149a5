package io.kinline;

import io.kinline.config.KinlineConfig;
import io.kinline.store.StoreConfig;
import java.nio.file.Path;

/** A node's configuration on a test database: ephemeral SIP and admin ports, no demo data, a given node id. */
public final class TestNodes {

    private TestNodes() {
    }

    /** @param mediaBase the first of 1,000 RTP ports (below the ephemeral range, one block per test class) */
    public static KinlineConfig config(StoreConfig db, Path dataDir, String nodeId, int mediaBase) throws Exception {
        KinlineConfig cfg = KinlineConfig.load(null);
        cfg.store.jdbcUrl = db.jdbcUrl();
        cfg.store.username = db.user();
        cfg.store.password = db.password();
        cfg.store.dataDir = dataDir.toString();
        cfg.store.loadDemoData = false;
        cfg.cluster.nodeId = nodeId;
        cfg.sip.port = 0;
        cfg.admin.port = 0;
        cfg.media.portMin = mediaBase;
        cfg.media.portMax = mediaBase + 999;
        return cfg;
    }

    /**
     * Gives a node's data directory the cluster's secrets as an operator does without a cluster key: a copy of
     * each shared file another node holds (the PIN pepper, the evidence signing key, the recording KEK).
     */
    public static void copySecrets(Path fromDataDir, Path toDataDir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(toDataDir.resolve("secrets"));
        for (String name : io.kinline.cluster.ClusterSecrets.SHARED) {
            Path from = fromDataDir.resolve("secrets").resolve(name);
            if (java.nio.file.Files.exists(from)) {
                java.nio.file.Files.copy(from, toDataDir.resolve("secrets").resolve(name),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
