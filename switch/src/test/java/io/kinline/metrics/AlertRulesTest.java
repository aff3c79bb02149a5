package io.kinline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard under docker/: {@code promtool check rules} and {@code promtool test rules}
 * (Debian's {@code prometheus} package; missing promtool skips here and fails under CI=true), and the dashboard
 * is valid JSON whose every panel queries something. That every metric they name is exported is
 * {@link MetricsLabelsTest}'s.
 */
class AlertRulesTest {

    static final Path PROMETHEUS = Path.of("../docker/prometheus");
    static final Path DASHBOARD = Path.of("../docker/grafana/dashboards/kinline.json");

    @Test
    void rulesPassPromtool() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/promtool"));
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "promtool missing: .ci/run installs Debian's prometheus package");
        }
        assumeTrue(present, "promtool not installed (apt-get install -y prometheus)");
        assertEquals(0, promtool("check", "rules", "kinline-alerts.yml"));
        assertEquals(0, promtool("test", "rules", "kinline-alerts.test.yml"));
    }

    @Test
    void dashboardPanelsAllQuery() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertEquals("kinline-overview", d.get("uid").asText());
        assertTrue(d.get("panels").size() >= 10);
        for (JsonNode p : d.get("panels")) {
            assertTrue(p.get("targets").size() > 0, p.get("title").asText());
            for (JsonNode t : p.get("targets")) {
                assertTrue(t.get("expr").asText().matches(".*\\b(kinline|hikaricp|jvm)_[a-z_]+.*"),
                        p.get("title") + ": " + t.get("expr"));
            }
        }
    }

    private static int promtool(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "/usr/bin/promtool";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool hung");
        assertEquals(0, p.exitValue(), out);
        return p.exitValue();
    }
}
