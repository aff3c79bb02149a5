package io.kinline.load;

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
 * CI smoke of the load runner (issue 6): {@code tests/load/run.sh --smoke} offers 50 complete inmate
 * calls at 5 calls/s (PIN by RFC 4733, the called party accepts with 1, G.711 both ways, the inmate or
 * the called party hangs up first) to a switch it starts from this module's class path, and checks
 * afterwards that every call has its record and a stereo recording of the right length with audio on
 * both channels, that the charges equal the balance decreases and that nothing is left open or held.
 * This test asserts on the runner's exit status and on its check results.
 *
 * <p>Needs SIPp and python3: without them it fails when {@code CI=true} and is skipped elsewhere.
 */
class LoadSmokeTest {

    private static final Path RUN_SH = Path.of("load/run.sh");
    private static final long BOUND_SECONDS = 240;

    @TempDir
    Path reports;

    @Test
    void fiftyFullCallsAtFiveCpsHaveNoFailuresAndCompleteRecords() throws Exception {
        ScriptRuns.requireTool(Sipp.available(), "SIPp not found at " + Sipp.binary() + " (Debian package sip-tester)");
        ScriptRuns.requireTool(ScriptRuns.onPath("python3"), "python3 not found on PATH");
        ScriptRuns.requireTool(ScriptRuns.onPath("curl"), "curl not found on PATH");
        assertTrue(Files.isRegularFile(RUN_SH), "run from the tests module: " + RUN_SH.toAbsolutePath());

        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // SIP base, admin +20, trunk +30, handsets +40
        int base = ScriptRuns.freeBase(21000, 30000, 0, 20, 30, 40);
        ProcessBuilder pb = new ProcessBuilder("bash", RUN_SH.toString(), "--smoke")
                .redirectErrorStream(true)
                .redirectOutput(reports.resolve("run.out").toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA", java);
        env.put("SWITCH_CLASSPATH", classPath);
        env.put("BASE_PORT", Integer.toString(base));
        env.put("MEDIA_MIN", "2000");      // 2000-9999: clear of a concurrent manual run (12000-19999)
        env.put("SIPP_MP", "10600");
        env.put("REPORT_DIR", reports.toString());
        env.put("RUN_TIMEOUT_S", Long.toString(BOUND_SECONDS - 20));
        env.put("JAVA_OPTS", "-Xms128m -Xmx768m");
        Process p = pb.start();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("run.sh --smoke did not finish in " + BOUND_SECONDS + " s:\n" + output());
        }
        String out = output();
        assertEquals(0, p.exitValue(), "run.sh --smoke failed:\n" + out);
        assertTrue(out.contains("SIPp handsets: 50 successful, 0 failed, 0 shed with 503; called parties: 0 failed"),
                "SIPp summary:\n" + out);

        Matcher work = Pattern.compile("work files(?: kept)?: (\\S+)").matcher(out);
        assertTrue(work.find(), "no work directory in the output:\n" + out);
        JsonNode check = new ObjectMapper().readTree(Path.of(work.group(1), "check.json").toFile());
        assertEquals(0, check.get("problem_count").asInt(), "problems: " + check.get("problems"));
        assertEquals(50, check.get("cdrs").asInt(), "one call record per call");
        // every smoke call is accepted and talks: each has a recording that was read and checked
        assertEquals(50, check.get("recordings_checked").asInt(), "one checked recording per call");
        assertEquals(check.get("charges").asText(), check.get("balance_decrease").asText());
        assertTrue(check.get("charges").asText().compareTo("0") > 0, "the calls were charged");
        assertEquals("0.00", check.get("held_after").asText(), "nothing left on hold");
        assertEquals(0, check.get("open_calls_after").asInt());
        JsonNode kinds = check.get("by_kind");
        assertEquals(kinds.path("accept_inmate_hangup").path("completed/inmate_hangup").asInt()
                + kinds.path("accept_called_hangup").path("completed/called_hangup").asInt(), 50,
                "every call completed, hung up by the side the plan says: " + kinds);
        try (var files = Files.list(reports)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("smoke-.*\\.md")),
                    "a Markdown report was written");
        }
    }

    private String output() throws IOException {
        Path f = reports.resolve("run.out");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

}
