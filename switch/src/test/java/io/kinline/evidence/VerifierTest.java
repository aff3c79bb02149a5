package io.kinline.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.record.RecordingFormat;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.jdbc.Db;
import io.kinline.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinline verify}'s checks: every recording against its record and the signed manifest chain. */
class VerifierTest {

    private static final String DAY = "2026-11-25";
    private static final Instant START = Instant.parse(DAY + "T10:00:00Z");

    @TempDir
    Path dataDir;
    private Store store;
    private Evidence evidence;
    private final List<Path> files = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open(StoreConfig.embedded(dataDir));
        // Sealed on the day of the calls.
        evidence = Evidence.open(dataDir, dataDir.resolve("recordings"), true,
                Clock.fixed(START.plusSeconds(7200), java.time.ZoneOffset.UTC));
        // Four recorded calls, sealed as the call path seals them; c-3 encrypted at rest.
        for (int i = 0; i < 4; i++) {
            RecordingFormat format = i == 3 ? evidence.recordingFormat() : RecordingFormat.WAV;
            Path f = Recordings.write(evidence.recordingsDir(), DAY, "c-" + i + (i == 3 ? ".wav.enc" : ".wav"), format,
                    800 + i * 100, i);
            files.add(f);
            String sha = evidence.seal("c-" + i, f).sha256();
            store.calls().record(CallRecord.builder("c-" + i).funding(Funding.FREE).startedAt(START.plusSeconds(i))
                    .acceptedAt(START.plusSeconds(i + 20)).endedAt(START.plusSeconds(i + 60))
                    .outcome(CallOutcome.COMPLETED).recording(f.toString()).recordingSha256(sha).build());
        }
        // An unrecorded call is not a recording to check.
        store.calls().record(CallRecord.builder("c-x").funding(Funding.FREE).startedAt(START)
                .outcome(CallOutcome.REFUSED).build());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private List<Mismatch> verify() throws Exception {
        return verify(evidence.publicKey());
    }

    private List<Mismatch> verify(SigningKey.PublicKey key) throws Exception {
        List<Mismatch> out = new ArrayList<>();
        Verifier.Report r = new Verifier(store, Evidence.existing(dataDir, dataDir.resolve("recordings")), key)
                .verify(LocalDate.parse(DAY), LocalDate.parse(DAY), out::add);
        assertEquals(out.size(), r.mismatches());
        return out;
    }

    private static String kinds(List<Mismatch> m) {
        return m.stream().map(x -> x.kind() + " " + x.subject()).sorted().toList().toString();
    }

    @Test
    void untouchedRecordingsVerify() throws Exception {
        List<Mismatch> m = new ArrayList<>();
        Verifier.Report r = new Verifier(store, evidence, evidence.publicKey()).verify(null, null, m::add);
        assertEquals(List.of(), m);
        assertEquals(4, r.records());
        assertEquals(4, r.files());
        assertEquals(4, r.manifestLines());
    }

    @Test
    void aFlippedByteADeletedFileAndARemovedManifestLineAreEachReported() throws Exception {
        // One flipped byte in the audio of c-0 (root can write a read-only file; so can any owner who chmods it).
        byte[] b = Files.readAllBytes(files.get(0));
        b[b.length / 2] ^= 0x01;
        files.get(0).toFile().setWritable(true);
        Files.write(files.get(0), b);
        // c-1's file deleted.
        Files.delete(files.get(1));
        // c-2's manifest line removed.
        Path manifest = dataDir.resolve("evidence").resolve(DAY + ".manifest");
        List<String> lines = Manifest.rawLines(manifest);
        lines.remove(2);
        Files.writeString(manifest, String.join("\n", lines) + "\n");

        List<Mismatch> m = verify();
        assertEquals(List.of("ALTERED call c-0", "ALTERED manifest " + DAY + " line 3", "MISSING call c-1",
                "UNSIGNED call c-2").toString(), kinds(m), m.toString());
        assertTrue(m.stream().anyMatch(x -> x.detail().contains("chain is broken")), m.toString());
    }

    @Test
    void anEncryptedRecordingAlteredAtRestIsReported() throws Exception {
        byte[] b = Files.readAllBytes(files.get(3));
        b[b.length - 30] ^= 0x10; // inside the last chunk's ciphertext
        files.get(3).toFile().setWritable(true);
        Files.write(files.get(3), b);
        List<Mismatch> m = verify();
        assertEquals("[ALTERED call c-3]", kinds(m), m.toString());
    }

    @Test
    void extraFilesAndRecordsThatDisagreeWithTheManifestAreReported() throws Exception {
        Files.copy(files.get(0), files.get(0).resolveSibling("stray.wav"));
        ((JdbcStore) store).db().tx(c -> Db.update(c, "UPDATE call_record SET recording_sha256 = ? WHERE call_id = ?",
                "ab".repeat(32), "c-2"));
        List<Mismatch> m = verify();
        assertEquals("[ALTERED call c-2, EXTRA " + DAY + "/stray.wav]", kinds(m), m.toString());
    }

    @Test
    void anotherPublicKeyFindsEveryLineUnsigned() throws Exception {
        Path other = Files.createTempDirectory("other-key");
        SigningKey.PublicKey foreign = Evidence.open(other, other.resolve("recordings"), false, Clock.systemUTC())
                .publicKey();
        List<Mismatch> m = verify(foreign);
        assertEquals(8, m.stream().filter(x -> x.kind() == Mismatch.Kind.UNSIGNED).count(),
                "4 lines with bad signatures, 4 recordings with no valid line: " + m);
    }
}
