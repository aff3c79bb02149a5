package io.kinline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The configurations docker/ ships are ones the switch accepts (unknown keys are an error): a setting renamed
 * in {@link KinlineConfig} must be renamed there too, or the compose stack would not start.
 */
class DeploymentConfigTest {

    private static final Path DOCKER = Path.of("../docker/config");

    @Test
    void theImageDefaultAndBothComposeNodesLoad() throws Exception {
        KinlineConfig image = KinlineConfig.load(DOCKER.resolve("kinline.yaml"));
        assertEquals("0.0.0.0", image.admin.bind, "the HEALTHCHECK and Prometheus reach the admin API");
        for (String node : new String[] {"a", "b"}) {
            Path f = DOCKER.resolve("node-" + node + ".yaml");
            KinlineConfig c = KinlineConfig.load(f);
            assertEquals("kinline-" + node, c.cluster.nodeId, f.toString());
            assertEquals("/run/secrets/kinline_cluster_key", c.cluster.keyFile, f.toString());
            assertEquals("/run/secrets/kinline_db_password", c.store.passwordFile, f.toString());
            assertNotNull(c.store.jdbcUrl, f.toString());
        }
        // The dispatcher list names the nodes' SIP ports.
        String ds = Files.readString(Path.of("../docker/kamailio/dispatcher.list"));
        assertEquals(5070, KinlineConfig.load(DOCKER.resolve("node-a.yaml")).sip.port);
        assertEquals(true, ds.contains("sip:127.0.0.1:5070") && ds.contains("sip:127.0.0.1:5071"), ds);
    }
}
