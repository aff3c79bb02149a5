package io.kinline.media.record;

import io.kinline.media.files.PrivateFiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.wav.WavReader;
import io.kinline.media.wav.WavWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encryption at rest: AES-256-GCM chunks of at most a second, each authenticated on its own. */
class EncryptedRecordingTest {

    @TempDir
    Path dir;

    private final byte[] kek = new byte[32];
    private final RecordingCipher cipher;

    EncryptedRecordingTest() {
        Arrays.fill(kek, (byte) 7);
        cipher = new RecordingCipher(kek, "kek-test");
    }

    /** A recognisable stereo ramp: sample i of channel c is (i * 3 + c) mod 30000. */
    private static short[] ramp(int frames, int from) {
        short[] s = new short[frames * 2];
        for (int i = 0; i < frames; i++) {
            s[2 * i] = (short) (((from + i) * 3) % 30000);
            s[2 * i + 1] = (short) (((from + i) * 3 + 1) % 30000);
        }
        return s;
    }

    /** Writes {@code seconds} of audio in 20 ms pieces, flushing every 500 ms as the recorder does. */
    private Path record(String name, double seconds, boolean close) throws IOException {
        Path file = dir.resolve(name);
        EncryptedRecordingWriter w = cipher.create(file, 2);
        int frames = (int) (seconds * 8000);
        for (int f = 0; f < frames; f += 160) {
            short[] p = ramp(Math.min(160, frames - f), f);
            w.write(p, 0, p.length);
            if ((f / 160) % 25 == 24) {
                w.flush();
            }
        }
        if (close) {
            w.close();
        } else {
            w.flush(); // what a crash leaves: everything flushed, no last chunk
        }
        return file;
    }

    private static byte[] expectedWav(int frames) {
        short[] s = ramp(frames, 0);
        ByteBuffer b = ByteBuffer.allocate(WavWriter.HEADER + s.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(WavWriter.header(2, s.length * 2L));
        for (short v : s) {
            b.putShort(v);
        }
        return b.array();
    }

    private byte[] decrypt(Path file) throws IOException {
        try (EncryptedRecordingReader r = cipher.open(file); InputStream in = r.wav()) {
            return in.readAllBytes();
        }
    }

    @Test
    void roundTripGivesTheWavAndNoChunkHoldsMoreThanASecond() throws Exception {
        Path file = record("a.wav.enc", 3.3, true);
        assertTrue(RecordingCipher.isEncrypted(file));
        byte[] stored = Files.readAllBytes(file);
        byte[] wav = expectedWav((int) (3.3 * 8000));
        // No audio in the clear: no 40-byte run of the PCM appears in the file.
        assertEquals(-1, indexOf(stored, Arrays.copyOfRange(wav, 4000, 4040)), "the audio is not stored in the clear");
        assertArrayEquals(wav, decrypt(file));
        try (EncryptedRecordingReader r = cipher.open(file)) {
            assertTrue(r.terminated(), "closed: the last chunk is flagged");
            assertTrue(r.longestChunkMillis() <= 1000, "chunk of " + r.longestChunkMillis() + " ms");
            assertEquals(0, r.tornBytes());
            assertEquals(wav.length, r.wavSize());
        }
        assertThrows(FileAlreadyExistsException.class, () -> cipher.create(file, 2), "never overwritten");
    }

    @Test
    void aChunkOfMoreThanASecondIsNeverWrittenEvenWithoutFlushes() throws Exception {
        Path file = dir.resolve("long.wav.enc");
        EncryptedRecordingWriter w = cipher.create(file, 2);
        short[] s = ramp(8000 * 5 / 2, 0);
        w.write(s, 0, s.length); // 2.5 s in one go, no flush
        w.close();
        try (EncryptedRecordingReader r = cipher.open(file)) {
            assertEquals(1000, r.longestChunkMillis());
            assertEquals(3, r.chunks(), "1 s + 1 s + the last 0.5 s, flagged last");
        }
        assertArrayEquals(expectedWav(8000 * 5 / 2), decrypt(file));
    }

    @Test
    void rangesDecryptOnlyWhatTheyCover() throws Exception {
        Path file = record("r.wav.enc", 2.0, true);
        byte[] wav = expectedWav(16000);
        try (EncryptedRecordingReader r = cipher.open(file)) {
            long[][] ranges = {{0, 44}, {40, 100}, {44, 1}, {31_990, 32_000}, {wav.length - 7, 7}, {12_345, 1}};
            for (long[] g : ranges) {
                try (InputStream in = r.wav(g[0], g[1])) {
                    assertArrayEquals(Arrays.copyOfRange(wav, (int) g[0], (int) (g[0] + g[1])), in.readAllBytes(),
                            "bytes " + g[0] + "+" + g[1]);
                }
            }
        }
    }

    @Test
    void aCrashLeavesEverythingFlushedReadable() throws Exception {
        Path file = record("crash.wav.enc", 2.4, false);
        // and a chunk half written when the process died
        byte[] partial = Arrays.copyOf(new byte[] {0, 0, 0x7d, 0}, 900);
        Files.write(file, partial, java.nio.file.StandardOpenOption.APPEND);
        try (EncryptedRecordingReader r = cipher.open(file)) {
            assertFalse(r.terminated(), "no last-chunk flag: cut short");
            assertEquals(900, r.tornBytes());
        }
        assertArrayEquals(expectedWav((int) (2.4 * 8000)), decrypt(file), "all that was flushed");
    }

    @Test
    void alteredSwappedOrForeignChunksAreRefused() throws Exception {
        Path file = record("t.wav.enc", 2.0, true);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(file, flipped);
        assertThrows(IOException.class, () -> decrypt(file), "a flipped bit");

        // Swap the first two chunks (both full 0.5 s chunks, same length): each fails its index.
        int h = ByteBuffer.wrap(good, 8, 2).getShort();
        int len = ByteBuffer.wrap(good, h, 4).getInt();
        byte[] swapped = good.clone();
        System.arraycopy(good, h, swapped, h + 4 + len, 4 + len);
        System.arraycopy(good, h + 4 + len, swapped, h, 4 + len);
        Files.write(file, swapped);
        assertThrows(IOException.class, () -> decrypt(file), "chunks in another order");

        // Another key cannot open it.
        Files.write(file, good);
        byte[] other = new byte[32];
        assertThrows(IOException.class, () -> new RecordingCipher(other, "kek-test").open(file).wav().readAllBytes());

        // Dropping the last chunk (a truncation at a chunk boundary) shows: no last-chunk flag.
        try (EncryptedRecordingReader r = cipher.open(file)) {
            assertTrue(r.terminated());
        }
    }

    @Test
    void theRecorderWritesEncryptedFilesThatReadBackAsItsWav() throws Exception {
        RecordingWriter writer = new RecordingWriter(1);
        try {
            Path plain = dir.resolve("p.wav");
            Path enc = dir.resolve("p.wav.enc");
            java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
            StereoRecorder a = StereoRecorder.open(plain, writer, RecordingFormat.WAV, clock::get);
            StereoRecorder b = StereoRecorder.open(enc, writer, cipher.format(), clock::get);
            short[] p = new short[160];
            for (int i = 0; i < 100; i++) {
                Arrays.fill(p, (short) (i * 10));
                for (StereoRecorder r : new StereoRecorder[] {a, b}) {
                    r.append(StereoRecorder.INMATE, i * 160L, p, 0, 160);
                    r.append(StereoRecorder.CALLED, 7 + i * 160L, p, 0, 160);
                }
                clock.addAndGet(20_000_000L);
            }
            a.close();
            b.close();
            a.closeFuture().get(20, TimeUnit.SECONDS);
            b.closeFuture().get(20, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(plain), decrypt(enc), "the same WAV, plain or encrypted");
            assertTrue(PrivateFiles.isReadOnly(enc), "closed: read-only");
            assertEquals(2, WavReader.read(plain).channels());
        } finally {
            writer.close();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
