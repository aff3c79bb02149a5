package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.SipPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings as evidence, on the real switch ({@code kinline.jar run} in a child JVM) with JAIN-SIP and RTP
 * peers: a recording is never overwritten by another call.
 */
@Timeout(300)
class EvidenceTest {

    @TempDir
    Path tmp;
    Path dataDir;
    Path logDir;
    int run;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @BeforeEach
    void dirs(TestInfo info) throws IOException {
        dataDir = tmp.resolve("data");
        logDir = Files.createDirectories(Path.of("target", "crash-logs",
                info.getTestMethod().orElseThrow().getName()).toAbsolutePath());
    }

    private SwitchProcess start(SipPeer trunk) throws Exception {
        return SwitchProcess.start(dataDir, trunk.port(), logDir, ++run);
    }

    // ---------------------------------------------------------------- the overwrite attack

    /**
     * The attack of issue 10: a second INVITE reusing a finished call's Call-ID (from another station, with
     * another inmate's PIN) used to record over the first call's WAV. Recording files are created with
     * CREATE_NEW: the first call's file stays byte for byte what was recorded.
     */
    @Test
    void aReplayedCallIdNeverOverwritesTheFirstCallsRecording() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = start(trunk);
            try {
                String callId;
                try (InmateCallDriver first = new InmateCallDriver(sw, trunk)) {
                    first.dialToGreeting();
                    callId = first.callId();
                    first.acceptAndAwaitTalking();
                    Thread.sleep(3000);
                    first.hangUp();
                }
                JsonNode cdr = awaitCdr(sw, callId);
                assertTrue(cdr.path("recorded").asBoolean(), cdr.toString());
                Path wav = recordingFile(callId);
                byte[] evidence = Files.readAllBytes(wav);
                assertTrue(evidence.length > 44 + 32000, "about 3 s recorded: " + evidence.length + " bytes");

                try (InmateCallDriver second = new InmateCallDriver(sw, trunk)) {
                    second.callIdOverride = callId;
                    second.dialToGreeting("1002", "5678");
                    Thread.sleep(500);
                    second.calledRtp.sendDigits("1", 160, 0);
                    Thread.sleep(3000); // whatever the switch does with it, give it time to record
                    if (sw.liveCall(callId) != null) {
                        second.call.bye();
                    }
                    awaitGone(sw, callId);
                }
                assertArrayEquals(evidence, Files.readAllBytes(wav), "the first call's recording is untouched");
            } finally {
                sw.kill();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Path recordingFile(String callId) throws IOException {
        String safe = callId.replaceAll("[^A-Za-z0-9._-]", "_");
        try (Stream<Path> files = Files.walk(dataDir.resolve("recordings"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(safe + ".wav")).findFirst()
                    .orElseThrow(() -> new AssertionError("no recording of " + callId));
        }
    }

    private static JsonNode awaitCdr(SwitchProcess sw, String callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode c = sw.cdr(callId);
            if (c != null) {
                return c;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no record for " + callId + "\n" + sw.logTail());
    }

    private static void awaitGone(SwitchProcess sw, String callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (sw.liveCall(callId) == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("call " + callId + " still live\n" + sw.logTail());
    }
}
