package io.kinline.bench;

import io.kinline.evidence.Evidence;
import io.kinline.evidence.RecordingDigest;
import io.kinline.media.files.PrivateFiles;
import io.kinline.media.record.RecordingCipher;
import io.kinline.media.record.RecordingFormat;
import io.kinline.media.record.RecordingOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of recordings as evidence, per recorded call-second (8 kHz 16-bit stereo: 32,000 bytes of WAV) and
 * per recorded call:
 * <ul>
 *   <li>{@code sha256CallSecond}: hashing one second of recording (the seal reads the file once more);</li>
 *   <li>{@code plainCallSecond} / {@code encryptedCallSecond}: the recorder's writes of one second in two
 *       500 ms flushes, to a plain WAV or through AES-256-GCM (two chunks sealed); the difference is the
 *       encryption;</li>
 *   <li>{@code aesGcmCallSecond}: the cipher alone, as the writer uses it for one second (two chunks of
 *       16,000 bytes, each with its own nonce and associated data), without file I/O;</li>
 *   <li>{@code ed25519SignLine}: signing one manifest line (one per recorded call);</li>
 *   <li>{@code sealOneMinuteCall}: sealing a 60 s recording end to end (hash the file, sign, append the line
 *       and force it to disk).</li>
 * </ul>
 * Files go to {@code java.io.tmpdir} (or {@code -Dbench.dir}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvidenceBenchmark {

    private static final int FRAMES_PER_SECOND = 8000;

    private final byte[] second = new byte[4 * FRAMES_PER_SECOND];
    private final short[] pcm = new short[2 * FRAMES_PER_SECOND];
    private final byte[] line = new byte[460];
    private MessageDigest sha256;
    private Ed25519PrivateKeyParameters signingKey;
    private RecordingCipher cipher;
    private Path dir;
    private Path minute;
    private Evidence evidence;
    private RecordingOutput plain;
    private RecordingOutput encrypted;
    private int files;
    private Cipher gcm;
    private SecretKeySpec dataKey;
    private final byte[] header = new byte[83];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random r = new Random(7);
        r.nextBytes(second);
        r.nextBytes(line);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (r.nextGaussian() * 4000);
        }
        sha256 = MessageDigest.getInstance("SHA-256");
        signingKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        byte[] kek = new byte[32];
        r.nextBytes(kek);
        cipher = new RecordingCipher(kek, "kek-bench");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] dk = new byte[32];
        r.nextBytes(dk);
        dataKey = new SecretKeySpec(dk, "AES");
        r.nextBytes(header);
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "kinline-evidence-bench");
        Path recordings = Files.createDirectories(dir.resolve("recordings").resolve("2026-11-25"));
        minute = recordings.resolve("minute.wav");
        try (RecordingOutput out = RecordingFormat.WAV.create(minute, 2)) {
            for (int s = 0; s < 60; s++) {
                out.write(pcm, 0, pcm.length);
            }
        }
        PrivateFiles.readOnly(minute);
        evidence = Evidence.open(dir, dir.resolve("recordings"), false, Clock.systemUTC());
    }

    /** A fresh output of each format per iteration: the recorder's files grow by a second per operation. */
    @Setup(Level.Iteration)
    public void openOutputs() throws IOException {
        plain = RecordingFormat.WAV.create(dir.resolve("p" + files + ".wav"), 2);
        encrypted = cipher.format().create(dir.resolve("e" + files + ".wav.enc"), 2);
        files++;
    }

    @TearDown(Level.Iteration)
    public void closeOutputs() throws IOException {
        plain.close();
        encrypted.close();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public byte[] sha256CallSecond() {
        sha256.update(second);
        return sha256.digest();
    }

    @Benchmark
    public RecordingOutput plainCallSecond() throws IOException {
        plain.write(pcm, 0, pcm.length / 2);
        plain.flush();
        plain.write(pcm, pcm.length / 2, pcm.length / 2);
        plain.flush();
        return plain;
    }

    @Benchmark
    public RecordingOutput encryptedCallSecond() throws IOException {
        encrypted.write(pcm, 0, pcm.length / 2);
        encrypted.flush();
        encrypted.write(pcm, pcm.length / 2, pcm.length / 2);
        encrypted.flush();
        return encrypted;
    }

    @Benchmark
    public byte[] aesGcmCallSecond() throws Exception {
        byte[] out = null;
        for (int chunk = 0; chunk < 2; chunk++) {
            gcm.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(128, nonce(chunk)));
            gcm.updateAAD(aad(chunk));
            out = gcm.doFinal(second, chunk * 16_000, 16_000);
        }
        return out;
    }

    private long counter;

    private byte[] nonce(int chunk) {
        return java.nio.ByteBuffer.allocate(12).putInt(7).putLong(counter++ * 2 + chunk).array();
    }

    private byte[] aad(int chunk) {
        return java.nio.ByteBuffer.allocate(header.length + 9).put(header).putLong(counter).put((byte) 0).array();
    }

    @Benchmark
    public byte[] ed25519SignLine() {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, signingKey);
        s.update(line, 0, line.length);
        return s.generateSignature();
    }

    @Benchmark
    public RecordingDigest sealOneMinuteCall() throws IOException {
        return evidence.seal("bench", minute);
    }
}
