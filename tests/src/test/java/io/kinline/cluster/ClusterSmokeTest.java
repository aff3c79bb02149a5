package io.kinline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinline.tests.harness.ScriptRuns;
import io.kinline.tests.sipp.Sipp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI smoke of the cluster (issue 14): {@code tests/cluster/run.sh --smoke} starts one PostgreSQL (Debian's), two
 * Kinline nodes from this module's class path and Kamailio with the project's dispatcher config, then offers full
 * inmate calls from SIPp handsets through Kamailio, kills node B with SIGKILL in the middle and starts it again.
 * This test asserts on the runner's exit status and on its checks: every call has exactly one record (those the
 * kill cut: a switch_restart record written by node B when it came back), Kamailio took B out within 5 s and sent
 * it calls again once it was back, no new call failed, the charges equal the balance decreases with nothing held,
 * every recording is served by both nodes, and a talking call asked for on the node that does not carry it is
 * redirected (307) to the one that does, where its audio flows over the WebSocket. Recordings are encrypted at
 * rest and sealed with the cluster's keys: {@code kinline verify} accepts each node's data directory.
 *
 * <p>Needs SIPp, Kamailio, PostgreSQL's server, python3 and curl: without them it fails when {@code CI=true}
 * and is skipped elsewhere. About 90 s on an idle 2-core machine.
 */
class ClusterSmokeTest {

    private static final Path RUN_SH = Path.of("cluster/run.sh");
    private static final long BOUND_SECONDS = 300;

    @TempDir
    Path reports;

    @Test
    void twoNodesBehindKamailioSurviveTheLossOfOne() throws Exception {
        ScriptRuns.requireTool(Sipp.available(), "SIPp not found at " + Sipp.binary() + " (Debian package sip-tester)");
        ScriptRuns.requireTool(Files.isExecutable(Path.of("/usr/sbin/kamailio")), "Kamailio not found (Debian package kamailio)");
        ScriptRuns.requireTool(postgresBin() != null, "PostgreSQL server not found (Debian package postgresql)");
        ScriptRuns.requireTool(ScriptRuns.onPath("python3"), "python3 not found on PATH");
        ScriptRuns.requireTool(ScriptRuns.onPath("curl"), "curl not found on PATH");
        assertTrue(Files.isRegularFile(RUN_SH), "run from the tests module: " + RUN_SH.toAbsolutePath());

        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder("bash", RUN_SH.toString(), "--smoke")
                .redirectErrorStream(true)
                .redirectOutput(reports.resolve("run.out").toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA", java);
        env.put("SWITCH_CLASSPATH", classPath);
        // Clear of LoadSmokeTest's block (21000-29999) and of the nodes' RTP ports (12000-19999).
        env.put("BASE_PORT", Integer.toString(ScriptRuns.freeBase(30100, 32600, 0, 1, 2, 9, 10, 21, 22, 30, 40)));
        env.put("MEDIA_MIN", "12000");      // nodes 12000-19999, below the ephemeral range
        env.put("SIPP_MP", "10800");
        env.put("REPORT_DIR", reports.toString());
        env.put("RUN_TIMEOUT_S", Long.toString(BOUND_SECONDS - 20));
        env.put("JAVA_OPTS", "-Xms128m -Xmx512m");
        Process p = pb.start();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("cluster/run.sh --smoke did not finish in " + BOUND_SECONDS + " s:\n" + output());
        }
        String out = output();
        assertEquals(0, p.exitValue(), "cluster/run.sh --smoke failed:\n" + out);

        Matcher work = Pattern.compile("work files(?: kept)?: (\\S+)").matcher(out);
        assertTrue(work.find(), "no work directory in the output:\n" + out);
        JsonNode check = new ObjectMapper().readTree(Path.of(work.group(1), "check.json").toFile());
        assertEquals(0, check.get("problem_count").asInt(), "problems: " + check.get("problems"));
        int planned = check.get("planned").asInt();
        assertEquals(160, planned, "4 calls a second for 30 s, and for 10 s once node B is back");
        assertEquals(planned, check.get("records").asInt() + check.get("cut_unrecorded_before_start_row").asInt(),
                "one record per call");
        assertTrue(check.get("calls_cut_by_kill").asInt() > 0, "the kill cut calls in progress on node B");
        assertTrue(check.get("kill_to_down_s").asDouble() <= 5.0, "Kamailio noticed within 5 s: " + check);
        assertTrue(check.get("calls_after_down").asInt() > 0, "calls came after Kamailio noticed");
        assertTrue(check.get("calls_on_rejoined_node").asInt() > 0, "node B took calls again after its restart");
        assertEquals(check.get("charges").asText(), check.get("balance_decrease").asText());
        assertEquals("0.00", check.get("held_after").asText(), "nothing left on hold after node B reconciled");
        assertEquals(0, check.get("open_calls_after").asInt());
        assertTrue(check.get("recordings_checked").asInt() > 20, "recordings were read: " + check);
        assertEquals(2 * check.get("recordings_checked").asInt(), check.get("recording_downloads").asInt(),
                "every recording checked was served by both nodes");
        JsonNode listen = check.get("listen_across_nodes");
        assertTrue(listen != null && listen.get("ok").asBoolean(), "a talking call asked for on the other node: " + listen);
        assertEquals(307, listen.get("first_status").asInt(), "the node that does not carry the call redirects");
        assertEquals(101, listen.get("followed_status").asInt(), "the node that carries it upgrades to WebSocket");
        // Encrypted at rest with the cluster's KEK (both nodes served every recording above, decrypted), sealed
        // with the cluster's signing key: kinline verify accepts each node's part, node B's cut calls included.
        for (String node : new String[] {"node-a", "node-b"}) {
            Matcher verified = Pattern.compile("kinline verify " + node + " \\((\\d+) encrypted, 0 plain recordings\\): "
                    + "OK: .*?(\\d+) call records with recordings").matcher(out);
            assertTrue(verified.find(), node + " verified, its recordings encrypted:\n" + out);
            assertTrue(Integer.parseInt(verified.group(1)) > 0 && Integer.parseInt(verified.group(2)) > 0,
                    node + " has sealed, encrypted recordings: " + verified.group());
        }
        try (var files = Files.list(reports)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("smoke-.*\\.md")),
                    "a Markdown report was written");
        }
    }

    private String output() throws IOException {
        Path f = reports.resolve("run.out");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    private static Path postgresBin() {
        try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin/initdb")).filter(Files::isExecutable).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

}
