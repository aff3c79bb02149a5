package io.kinline.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.evidence.Evidence;
import io.kinline.evidence.EvidenceRecordings;
import io.kinline.media.files.PrivateFiles;
import io.kinline.media.record.RecordingFormat;
import io.kinline.media.record.RecordingOutput;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recordings as evidence through the admin API: the sealed digest in the call record and in the download's
 * {@code Repr-Digest} (RFC 9530), encrypted recordings served decrypted (ranges too), the public key.
 */
class EvidenceApiTest extends AdminTestBase {

    static final Instant T0 = Instant.parse("2026-11-21T15:00:00Z");
    static Evidence evidence;
    static byte[] plainWav;
    static Path encrypted;
    static Path tampered;

    @BeforeAll
    static void data() throws Exception {
        facility("ef");
        evidence = Evidence.open(dir, dir.resolve("recordings"), true, Clock.systemUTC());
        server.recordingAccess(new EvidenceRecordings(evidence));
        Path recordings = dir.resolve("recordings");
        plainWav = record(recordings.resolve("e-plain.wav"), RecordingFormat.WAV);
        encrypted = recordings.resolve("e-enc.wav.enc");
        record(encrypted, evidence.recordingFormat());
        tampered = recordings.resolve("e-tampered.wav");
        record(tampered, RecordingFormat.WAV);
        for (String id : new String[] {"e-plain", "e-enc", "e-tampered"}) {
            Path f = id.equals("e-enc") ? encrypted : recordings.resolve(id + ".wav");
            String sha = evidence.seal(id, f).sha256();
            store.calls().record(CallRecord.builder(id).facility("ef").station("st-e").funding(Funding.FREE)
                    .startedAt(T0).acceptedAt(T0.plusSeconds(5)).endedAt(T0.plusSeconds(30))
                    .outcome(CallOutcome.COMPLETED).recording(f.getFileName().toString()).recordingSha256(sha).build());
        }
        // Altered after it was sealed (the owner can chmod it back): the digest the client gets says so.
        tampered.toFile().setWritable(true);
        byte[] t = Files.readAllBytes(tampered);
        t[100] ^= 1;
        Files.write(tampered, t);
    }

    /** 2.5 s of a stereo ramp, closed and read-only as the recorder leaves it; returns the plain WAV bytes. */
    private static byte[] record(Path file, RecordingFormat format) throws Exception {
        short[] s = new short[2 * 20_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (i * 13);
        }
        try (RecordingOutput out = format.create(file, 2)) {
            for (int off = 0; off < s.length; off += 320) {
                out.write(s, off, 320);
                if (off % 8000 == 0) {
                    out.flush();
                }
            }
        }
        PrivateFiles.readOnly(file);
        Path plain = Files.createTempFile("plain", ".wav");
        Files.delete(plain);
        try (RecordingOutput out = RecordingFormat.WAV.create(plain, 2)) {
            out.write(s, 0, s.length);
        }
        return Files.readAllBytes(plain);
    }

    private static HttpResponse<byte[]> download(String id, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/recordings/" + id))
                .header("Authorization", "Bearer " + investigatorToken);
        if (range != null) {
            b.header("Range", range);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String reprDigest(byte[] body) throws Exception {
        return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + ":";
    }

    @Test
    void theRecordCarriesTheSealedDigestAndTheDownloadItsReprDigest() throws Exception {
        JsonNode cdr = ok(200, get("/api/cdrs/e-plain", investigatorToken));
        String hex = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plainWav));
        assertEquals(hex, cdr.get("recordingSha256").asText());
        HttpResponse<byte[]> r = download("e-plain", null);
        assertEquals(200, r.statusCode());
        assertArrayEquals(plainWav, r.body());
        assertEquals(reprDigest(r.body()), r.headers().firstValue("Repr-Digest").orElse(""));
    }

    @Test
    void anEncryptedRecordingIsServedDecryptedWithRanges() throws Exception {
        HttpResponse<byte[]> r = download("e-enc", null);
        assertEquals(200, r.statusCode());
        assertArrayEquals(plainWav, r.body(), "the WAV, decrypted");
        assertEquals(String.valueOf(plainWav.length), r.headers().firstValue("Content-Length").orElse(""));
        assertEquals(reprDigest(plainWav), r.headers().firstValue("Repr-Digest").orElse(""));
        assertTrue(!Arrays.equals(plainWav, Files.readAllBytes(encrypted)), "stored encrypted");

        HttpResponse<byte[]> head = download("e-enc", "bytes=0-43");
        assertEquals(206, head.statusCode());
        assertArrayEquals(Arrays.copyOf(plainWav, 44), head.body());
        assertEquals("bytes 0-43/" + plainWav.length, head.headers().firstValue("Content-Range").orElse(""));
        assertEquals(reprDigest(plainWav), head.headers().firstValue("Repr-Digest").orElse(""), "of the whole WAV");

        HttpResponse<byte[]> middle = download("e-enc", "bytes=31990-64099");
        assertEquals(206, middle.statusCode());
        assertArrayEquals(Arrays.copyOfRange(plainWav, 31_990, 64_100), middle.body(), "across chunk boundaries");

        HttpResponse<byte[]> tail = download("e-enc", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(plainWav, plainWav.length - 10, plainWav.length), tail.body());

        assertEquals(416, download("e-enc", "bytes=" + plainWav.length + "-").statusCode());
    }

    @Test
    void aRecordingAlteredAfterItsSealDoesNotMatchItsReprDigest() throws Exception {
        HttpResponse<byte[]> r = download("e-tampered", null);
        assertEquals(200, r.statusCode());
        assertNotEquals(reprDigest(r.body()), r.headers().firstValue("Repr-Digest").orElse(""),
                "the client sees that what it got is not what was sealed");
    }

    @Test
    void thePublicKeyIsExported() {
        HttpResponse<String> r = get("/api/evidence/public-key", csToken);
        assertEquals(200, r.statusCode());
        assertEquals(evidence.publicKey().pem(), r.body());
        assertTrue(r.body().startsWith("-----BEGIN PUBLIC KEY-----"));
        problem(401, null, get("/api/evidence/public-key", null));
    }
}
