package io.kinline.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.media.files.PrivateFiles;
import io.kinline.media.record.RecordingFormat;
import io.kinline.media.record.RecordingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing recordings into the signed, hash-chained daily manifest, and checking it with standard tools. */
class ManifestTest {

    @TempDir
    Path dataDir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T23:59:58Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private Path recordings() {
        return dataDir.resolve("recordings");
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void linesAreSignedAndChainedAcrossDays() throws Exception {
        Evidence ev = Evidence.open(dataDir, recordings(), false, clock);
        Path a = Recordings.write(recordings(), "2026-11-25", "a.wav", RecordingFormat.WAV, 1500, 1);
        Path b = Recordings.write(recordings(), "2026-11-25", "b.wav", RecordingFormat.WAV, 700, 2);
        RecordingDigest da = ev.seal("call-a", a);
        assertEquals(sha256(Files.readAllBytes(a)), da.sha256(), "a plain recording: the file is the WAV");
        assertEquals(da.sha256(), da.fileSha256());
        now.set(Instant.parse("2026-11-26T00:00:01Z")); // sealed after midnight: the next day's manifest
        ev.seal("call-b", b);
        Path c = Recordings.write(recordings(), "2026-11-26", "c.wav", RecordingFormat.WAV, 300, 3);
        ev.seal("call-c", c);

        Path dir = dataDir.resolve("evidence");
        List<String> day1 = Manifest.rawLines(dir.resolve("2026-11-25.manifest"));
        List<String> day2 = Manifest.rawLines(dir.resolve("2026-11-26.manifest"));
        assertEquals(1, day1.size());
        assertEquals(2, day2.size());
        ManifestEntry e1 = Manifest.parse(LocalDate.parse("2026-11-25"), 1, day1.get(0)).entry();
        ManifestEntry e2 = Manifest.parse(LocalDate.parse("2026-11-26"), 1, day2.get(0)).entry();
        ManifestEntry e3 = Manifest.parse(LocalDate.parse("2026-11-26"), 2, day2.get(1)).entry();
        assertEquals(Manifest.GENESIS, e1.prev(), "the first line starts the chain");
        assertEquals(Manifest.sha256Hex(day1.get(0)), e2.prev(), "a new day follows the last line of the day before");
        assertEquals(Manifest.sha256Hex(day2.get(0)), e3.prev());
        assertEquals("2026-11-25/a.wav", e1.path());
        assertEquals("call-b", e2.callId());
        assertEquals(List.of(1L, 1L, 2L), List.of(e1.seq(), e2.seq(), e3.seq()));
        assertEquals(ev.publicKey().fingerprint(), e1.key());
        for (String line : List.of(day1.get(0), day2.get(0), day2.get(1))) {
            String[] p = line.split("\t");
            assertTrue(ev.publicKey().verifies(p[0].getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(p[1])));
        }
        // A changed byte in the signed JSON no longer verifies.
        String[] p = day1.get(0).replace("a.wav", "x.wav").split("\t");
        assertFalse(ev.publicKey().verifies(p[0].getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(p[1])));

        // Reopened (a restart), the chain continues where it was.
        Evidence again = Evidence.open(dataDir, recordings(), false, clock);
        Path d = Recordings.write(recordings(), "2026-11-26", "d.wav", RecordingFormat.WAV, 200, 4);
        again.seal("call-d", d);
        List<String> after = Manifest.rawLines(dir.resolve("2026-11-26.manifest"));
        assertEquals(Manifest.sha256Hex(day2.get(1)), Manifest.parse(LocalDate.parse("2026-11-26"), 3, after.get(2)).entry().prev());
        assertEquals(ev.publicKey().pem(), again.publicKey().pem(), "the same key after a restart");
    }

    @Test
    void theKeysAreOwnerOnlyInTheSecretsDirectory() throws Exception {
        Evidence.open(dataDir, recordings(), true, clock);
        Path secrets = dataDir.resolve("secrets");
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(secrets));
        for (String f : List.of(SigningKey.FILE, RecordingKeys.FILE)) {
            assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(secrets.resolve(f)), f);
        }
        assertTrue(Files.readString(secrets.resolve(SigningKey.FILE)).startsWith("-----BEGIN PRIVATE KEY-----"));
        try (var s = Files.list(secrets)) {
            assertEquals(2, s.count(), "the two keys, no temporary file left behind");
        }
    }

    @Test
    void theManifestChecksOutWithOpensslAndSha256sum() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed");
        Evidence ev = Evidence.open(dataDir, recordings(), false, clock);
        for (int i = 0; i < 3; i++) {
            ev.seal("call-" + i, Recordings.write(recordings(), "2026-11-25", i + ".wav", RecordingFormat.WAV, 200, i));
        }
        now.set(Instant.parse("2026-11-26T08:00:00Z"));
        ev.seal("call-9", Recordings.write(recordings(), "2026-11-26", "9.wav", RecordingFormat.WAV, 200, 9));
        Path key = dataDir.resolve("public.pem");
        Files.writeString(key, ev.publicKey().pem());
        Path dir = dataDir.resolve("evidence");
        assertEquals(0, checkManifest(key, dir.resolve("2026-11-25.manifest"), null).exit);
        Result next = checkManifest(key, dir.resolve("2026-11-26.manifest"), dir.resolve("2026-11-25.manifest"));
        assertEquals(0, next.exit, next.output);
        // and sha256sum of a plain recording is the sha256 in its line
        ManifestEntry e = Manifest.read(dir, LocalDate.parse("2026-11-26")).get(0).entry();
        Process p = new ProcessBuilder("sha256sum", recordings().resolve(e.path()).toString()).start();
        assertTrue(new String(p.getInputStream().readAllBytes()).startsWith(e.sha256() + " "));

        // Removing the second line: the third no longer chains.
        Path day = dir.resolve("2026-11-25.manifest");
        List<String> lines = Manifest.rawLines(day);
        Files.writeString(day, lines.get(0) + "\n" + lines.get(2) + "\n");
        Result broken = checkManifest(key, day, null);
        assertEquals(1, broken.exit);
        assertTrue(broken.output.contains("line 2: chain broken"), broken.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result checkManifest(Path key, Path manifest, Path previous) throws Exception {
        Path script = Path.of("..", "docs", "check-manifest.sh").toAbsolutePath().normalize();
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString(), key.toString(), manifest.toString()));
        if (previous != null) {
            cmd.add(previous.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    @Test
    void aLineTornByACrashIsCutAndTheChainGoesOn() throws Exception {
        Evidence ev = Evidence.open(dataDir, recordings(), false, clock);
        ev.seal("call-1", Recordings.write(recordings(), "2026-11-25", "1.wav", RecordingFormat.WAV, 200, 1));
        Path day = dataDir.resolve("evidence").resolve("2026-11-25.manifest");
        String first = Manifest.rawLines(day).get(0);
        Files.writeString(day, "{\"v\":1,\"day\":\"2026-11-25\",\"seq\":2,\"at", StandardOpenOption.APPEND);
        Evidence after = Evidence.open(dataDir, recordings(), false, clock);
        after.seal("call-2", Recordings.write(recordings(), "2026-11-25", "2.wav", RecordingFormat.WAV, 200, 2));
        List<String> lines = Manifest.rawLines(day);
        assertEquals(2, lines.size(), "the torn line is gone");
        ManifestEntry second = Manifest.parse(LocalDate.parse("2026-11-25"), 2, lines.get(1)).entry();
        assertEquals(2, second.seq());
        assertEquals(Manifest.sha256Hex(first), second.prev());
    }

    @Test
    void aRecordingSealedJustBeforeACrashIsNotSealedTwice() throws Exception {
        Evidence ev = Evidence.open(dataDir, recordings(), false, clock);
        Path f = Recordings.write(recordings(), "2026-11-25", "1.wav", RecordingFormat.WAV, 200, 1);
        RecordingDigest sealed = ev.seal("call-1", f);
        RecordingDigest again = Evidence.open(dataDir, recordings(), false, clock).sealRecovered("call-1", f);
        assertEquals(sealed, again);
        assertEquals(1, Manifest.rawLines(dataDir.resolve("evidence").resolve("2026-11-25.manifest")).size());
    }

    @Test
    void sealingWaitsForTheRecorderToCloseTheFile() throws Exception {
        Evidence ev = Evidence.open(dataDir, recordings(), false, clock);
        Path f = recordings().resolve("2026-11-25").resolve("open.wav");
        Files.createDirectories(f.getParent());
        RecordingOutput out = RecordingFormat.WAV.create(f, 2);
        out.write(new short[3200], 0, 3200);
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                out.close();
                PrivateFiles.readOnly(f);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RecordingDigest d = ev.seal("call-open", f);
        closer.join();
        assertEquals(44 + 6400, d.bytes(), "sealed the finished file, not the half-written one");
    }

    @Test
    void anEncryptedRecordingIsSealedByItsWavAndItsStoredBytes() throws Exception {
        Evidence ev = Evidence.open(dataDir, recordings(), true, clock);
        assertEquals(".wav.enc", ev.fileExtension());
        Path enc = Recordings.write(recordings(), "2026-11-25", "e.wav.enc", ev.recordingFormat(), 2300, 5);
        Path plain = Recordings.write(recordings(), "2026-11-25", "e.wav", RecordingFormat.WAV, 2300, 5);
        RecordingDigest d = ev.seal("call-e", enc);
        assertTrue(d.encrypted());
        assertEquals(sha256(Files.readAllBytes(plain)), d.sha256(), "the digest of the WAV it decrypts to");
        assertEquals(sha256(Files.readAllBytes(enc)), d.fileSha256(), "and of the file as stored");
        assertEquals(Files.size(plain), d.bytes());
        // The admin API serves the decrypted WAV.
        try (var content = new EvidenceRecordings(ev).open(enc);
             InputStream in = ev.cipher().orElseThrow().open(enc).wav()) {
            assertEquals(Files.size(plain), content.size());
            assertArrayEquals(Files.readAllBytes(plain), in.readAllBytes());
        }
        // Without the key-encryption key nothing can be read.
        Files.delete(dataDir.resolve("secrets").resolve(RecordingKeys.FILE));
        Evidence noKey = Evidence.existing(dataDir, recordings());
        assertTrue(noKey.cipher().isEmpty());
        assertThrows(IOException.class, () -> noKey.digest(enc));
        assertNull(Evidence.storedDigest(enc).sha256());
    }
}
