package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.Goertzel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
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
 * peers: a recording is never overwritten by another call; {@code kinline verify} finds what was done to the
 * recordings and the manifest; downloads carry their digest; an encrypted recording survives SIGKILL.
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
        SwitchProcess sw = SwitchProcess.start(dataDir, trunk.port(), logDir, ++run);
        // InmateCallDriver accepts during the greeting (barge-in), as CrashRecoveryTest does: the demo
        // facility's default discards a key pressed before the notice's end.
        sw.patchOk("/api/facilities/" + io.kinline.store.DemoData.FACILITY, "{\"consentDuringNotice\":true}");
        return sw;
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
                String sipCallId;
                try (InmateCallDriver first = new InmateCallDriver(sw, trunk)) {
                    first.dialToGreeting();
                    callId = first.callId();
                    sipCallId = first.sipCallId();
                    first.acceptAndAwaitTalking();
                    Thread.sleep(3000);
                    first.hangUp();
                }
                JsonNode cdr = sw.awaitCdr(callId);
                assertTrue(cdr.path("recorded").asBoolean(), cdr.toString());
                Path wav = recordingFile(callId);
                byte[] evidence = Files.readAllBytes(wav);
                assertTrue(evidence.length > 44 + 32000, "about 3 s recorded: " + evidence.length + " bytes");

                try (InmateCallDriver second = new InmateCallDriver(sw, trunk)) {
                    second.callIdOverride = sipCallId; // the first INVITE's SIP Call-ID, replayed
                    second.dialToGreeting("1002", "5678");
                    Thread.sleep(500);
                    second.calledRtp.sendDigits("1", 160, 0);
                    Thread.sleep(3000); // whatever the switch does with it, give it time to record
                    if (sw.liveCall(sipCallId) != null) {
                        second.call.bye();
                    }
                    awaitGone(sw, sipCallId);
                }
                assertArrayEquals(evidence, Files.readAllBytes(wav), "the first call's recording is untouched");
            } finally {
                sw.kill();
            }
        }
    }

    // ---------------------------------------------------------------- kinline verify and the downloads' digest

    /**
     * Three recorded calls through the real switch. Each download carries the digest sealed in its record
     * ({@code Repr-Digest}, RFC 9530), the public key the API exports is what {@code kinline public-key} prints,
     * and the day's manifest checks out with openssl and sha256sum. Then one recording gets a flipped byte,
     * another is deleted and the third one's manifest line is removed: {@code kinline verify} names each.
     */
    @Test
    void verifyDetectsAFlippedByteADeletedFileAndARemovedManifestLine() throws Exception {
        List<String> ids = new ArrayList<>();
        String pem;
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = start(trunk);
            try {
                for (int i = 0; i < 3; i++) {
                    try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                        call.dialToGreeting();
                        ids.add(call.callId());
                        call.acceptAndAwaitTalking();
                        Thread.sleep(2000);
                        call.hangUp();
                    }
                    sw.awaitCdr(ids.get(i));
                }
                for (String id : ids) {
                    JsonNode cdr = sw.cdr(id);
                    String sealed = cdr.path("recordingSha256").asText();
                    assertEquals(64, sealed.length(), "the record carries the recording's digest: " + cdr);
                    HttpResponse<byte[]> whole = sw.getBytes("/api/recordings/" + id);
                    assertEquals(200, whole.statusCode());
                    assertEquals(sealed, sha256Hex(whole.body()), "the WAV served is the one sealed");
                    assertEquals(reprDigest(whole.body()), whole.headers().firstValue("Repr-Digest").orElse(""));
                    HttpResponse<byte[]> part = sw.getBytes("/api/recordings/" + id, "bytes=0-43");
                    assertEquals(206, part.statusCode());
                    assertEquals(reprDigest(whole.body()), part.headers().firstValue("Repr-Digest").orElse(""),
                            "a range carries the digest of the whole recording");
                }
                SwitchProcess.Response key = sw.get("/api/evidence/public-key");
                assertEquals(200, key.status());
                pem = key.text();
            } finally {
                sw.kill();
            }
        }
        SwitchProcess.CliResult exported = SwitchProcess.cli(logDir, "public-key", "--data-dir", dataDir.toString());
        assertEquals(0, exported.exit(), exported.output());
        assertEquals(pem, exported.output(), "the CLI and the API export the same key");
        SwitchProcess.CliResult clean = SwitchProcess.cli(logDir, "verify", "--data-dir", dataDir.toString());
        assertEquals(0, clean.exit(), clean.output());
        assertTrue(clean.output().contains("OK: "), clean.output());

        Path manifest;
        try (Stream<Path> m = Files.list(dataDir.resolve("evidence"))) {
            manifest = m.filter(p -> p.toString().endsWith(".manifest")).findFirst().orElseThrow();
        }
        Path keyFile = tmp.resolve("evidence-public.pem");
        Files.writeString(keyFile, pem);
        Process check = new ProcessBuilder("bash", Path.of("..", "docs", "check-manifest.sh").toString(),
                keyFile.toString(), manifest.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), "standard tools (openssl, sha256sum) accept the manifest: " + checked);

        // The attacks on the evidence.
        Path flipped = recordingFile(ids.get(0));
        byte[] b = Files.readAllBytes(flipped);
        b[b.length / 2] ^= 0x01;
        flipped.toFile().setWritable(true);
        Files.write(flipped, b);
        Files.delete(recordingFile(ids.get(1)));
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        assertTrue(lines.removeIf(l -> l.contains("\"callId\":\"" + ids.get(2) + "\"")), "the third call's line");
        Files.write(manifest, lines, StandardCharsets.UTF_8);

        SwitchProcess.CliResult found = SwitchProcess.cli(logDir, "verify", "--data-dir", dataDir.toString(),
                "--public-key", keyFile.toString());
        assertEquals(1, found.exit(), found.output());
        assertTrue(found.output().contains("ALTERED  call " + ids.get(0)), found.output());
        assertTrue(found.output().contains("MISSING  call " + ids.get(1)), found.output());
        assertTrue(found.output().contains("UNSIGNED call " + ids.get(2)), found.output());
        assertTrue(found.output().contains("FAILED: "), found.output());
    }

    // ---------------------------------------------------------------- encryption at rest, killed mid-call

    /**
     * With {@code media.recording.encryption} on, a call killed with SIGKILL while talking leaves an encrypted
     * file (no audio in the clear) that the restarted switch serves decrypted: the talk up to at most a second
     * before the kill, both parties on their channels, each stored chunk at most a second of audio.
     */
    @Test
    void anEncryptedRecordingSurvivesKill9AndDecryptsToTheAudioMinusAtMostASecond() throws Exception {
        Path config = tmp.resolve("encrypted.yaml");
        Files.writeString(config, "media:\n  recording:\n    encryption: true\n");
        List<String> args = List.of("--config", config.toString());
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = SwitchProcess.start(dataDir, trunk.port(), logDir, ++run, args);
            String callId;
            Instant acceptedAt;
            Instant killedAt;
            // The process is closed (killed if still alive) however the call goes: no switch outlives the test.
            try (SwitchProcess running = sw; InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                call.dialToGreeting();
                callId = call.callId();
                acceptedAt = call.acceptAndAwaitTalking();
                Instant killAt = acceptedAt.plusSeconds(6);
                while (Instant.now().isBefore(killAt)) {
                    assertEquals("talking", call.awaitState("talking", Duration.ofSeconds(10)).path("state").asText());
                    Thread.sleep(200);
                }
                killedAt = Instant.now();
                sw.kill();
            }
            Path enc = recordingFile(callId);
            assertTrue(enc.getFileName().toString().endsWith(".wav.enc"), enc.toString());
            byte[] stored = Files.readAllBytes(enc);
            assertEquals("KLINREC1", new String(stored, 0, 8, StandardCharsets.US_ASCII), "encrypted at rest");
            try (var reader = io.kinline.evidence.Evidence.existing(dataDir, dataDir.resolve("recordings")).cipher()
                    .orElseThrow().open(enc)) {
                assertTrue(!reader.terminated(), "killed: no last chunk");
                assertTrue(reader.longestChunkMillis() <= 1000, "a chunk of " + reader.longestChunkMillis() + " ms");
            }

            sw = SwitchProcess.start(dataDir, trunk.port(), logDir, ++run, args);
            try {
                JsonNode cdr = sw.awaitCdr(callId);
                assertTrue(cdr.path("recorded").asBoolean(), cdr.toString());
                HttpResponse<byte[]> download = sw.getBytes("/api/recordings/" + callId);
                assertEquals(200, download.statusCode());
                byte[] wav = download.body();
                assertEquals(cdr.path("recordingSha256").asText(), sha256Hex(wav), "sealed at the restart: " + cdr);
                assertEquals(reprDigest(wav), download.headers().firstValue("Repr-Digest").orElse(""));
                ByteBuffer h = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
                assertEquals(2, h.getShort(22), "stereo");
                long dataBytes = h.getInt(40) & 0xFFFFFFFFL;
                assertEquals(wav.length - 44, dataBytes, "the header matches the audio");
                double recorded = dataBytes / 32000.0;
                double talked = Duration.between(acceptedAt, killedAt).toMillis() / 1000.0;
                System.out.printf("encrypted recording of the killed call: %.2f s of %.2f s talked (%.2f s lost)%n",
                        recorded, talked, talked - recorded);
                assertTrue(talked - recorded <= 1.0, String.format("lost %.2f s (%.2f of %.2f s)", talked - recorded,
                        recorded, talked));
                assertTrue(talked - recorded >= -0.5, "not longer than the talk");
                int frames = (int) (dataBytes / 4);
                short[] left = new short[8000];
                short[] right = new short[8000];
                for (int i = 0; i < 8000; i++) {
                    left[i] = h.getShort(44 + (frames - 8000 + i) * 4);
                    right[i] = h.getShort(44 + (frames - 8000 + i) * 4 + 2);
                }
                assertEquals(InmateCallDriver.INMATE_HZ, Goertzel.strongest(left, 0, 8000, 8000,
                        InmateCallDriver.INMATE_HZ, InmateCallDriver.CALLED_HZ), "inmate on the left to the end");
                assertEquals(InmateCallDriver.CALLED_HZ, Goertzel.strongest(right, 0, 8000, 8000,
                        InmateCallDriver.INMATE_HZ, InmateCallDriver.CALLED_HZ), "called party on the right");
                HttpResponse<byte[]> part = sw.getBytes("/api/recordings/" + callId, "bytes=40000-80999");
                assertEquals(206, part.statusCode());
                assertArrayEquals(java.util.Arrays.copyOfRange(wav, 40_000, 81_000), part.body(), "a range, decrypted");
            } finally {
                sw.kill();
            }
        }
        SwitchProcess.CliResult verified = SwitchProcess.cli(logDir, "verify", "--data-dir", dataDir.toString(),
                "--config", config.toString());
        assertEquals(0, verified.exit(), verified.output());
    }

    // ---------------------------------------------------------------- helpers

    private static String sha256Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String reprDigest(byte[] b) throws Exception {
        return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(b)) + ":";
    }

    private Path recordingFile(String callId) throws IOException {
        String safe = callId.replaceAll("[^A-Za-z0-9._-]", "_");
        try (Stream<Path> files = Files.walk(dataDir.resolve("recordings"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(safe + ".wav")).findFirst()
                    .orElseThrow(() -> new AssertionError("no recording of " + callId));
        }
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
