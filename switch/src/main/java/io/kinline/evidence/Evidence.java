package io.kinline.evidence;

import io.kinline.media.record.EncryptedRecordingReader;
import io.kinline.media.files.PrivateFiles;
import io.kinline.media.record.RecordingCipher;
import io.kinline.media.record.RecordingFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings as evidence: how they are stored (plain WAV, or AES-256-GCM encrypted at rest), and their seal.
 * When a recording is closed its SHA-256 is computed, a signed line goes into the day's {@link Manifest}, and
 * the digest goes into the call record ({@code recordingSha256}); the closed file is read-only. What is hashed:
 * the WAV the admin API serves, which for a plain recording is the file itself ({@code sha256sum FILE}) and for
 * an encrypted one its decrypted WAV; the manifest also names the hash of the file as stored. See
 * docs/EVIDENCE.md.
 *
 * <p>The keys live in {@code <dataDir>/secrets}: the Ed25519 signing key (always) and the key-encryption key of
 * encrypted recordings (once encryption was switched on). The manifests live in {@code <dataDir>/evidence}.
 */
public final class Evidence {

    private static final Logger log = LoggerFactory.getLogger(Evidence.class);
    /** How long {@link #seal} waits for the recorder to close the file (it normally has already). */
    static final long CLOSE_WAIT_MILLIS = 30_000;

    private final Path recordingsDir;
    private final Path manifestDir;
    private final SigningKey key;
    private final Manifest manifest;
    private final RecordingCipher cipher;
    private final boolean encrypt;
    private final Clock clock;

    private Evidence(Path recordingsDir, Path manifestDir, SigningKey key, Manifest manifest, RecordingCipher cipher,
            boolean encrypt, Clock clock) {
        this.recordingsDir = recordingsDir;
        this.manifestDir = manifestDir;
        this.key = key;
        this.manifest = manifest;
        this.cipher = cipher;
        this.encrypt = encrypt;
        this.clock = clock;
    }

    /**
     * Opens the evidence store of a data directory: loads (or makes) the signing key, and the key-encryption
     * key if {@code encrypt} or if one exists (recordings encrypted earlier stay readable).
     */
    public static Evidence open(Path dataDir, Path recordingsDir, boolean encrypt, Clock clock) throws IOException {
        Path secrets = SecretFiles.dir(dataDir);
        SigningKey key = SigningKey.loadOrCreate(secrets);
        RecordingCipher cipher = RecordingKeys.load(secrets, encrypt);
        Path manifests = dataDir.resolve("evidence");
        Manifest manifest = Manifest.open(manifests, key, clock);
        log.info("evidence: manifests in {}, signing key {}, recordings {}", manifests,
                key.publicKey().fingerprint().substring(0, 16), encrypt ? "encrypted (" + cipher.keyId() + ")" : "plain");
        return new Evidence(recordingsDir.toAbsolutePath().normalize(), manifests, key, manifest, cipher, encrypt, clock);
    }

    /**
     * The evidence of a data directory as it is, for tools ({@code kinline verify}, {@code kinline public-key}):
     * makes no key and appends nothing. {@link #publicKey()} is empty when the directory has no signing key.
     */
    public static Evidence existing(Path dataDir, Path recordingsDir) throws IOException {
        Path secrets = dataDir.resolve("secrets");
        SigningKey key = Files.isDirectory(secrets) ? SigningKey.load(secrets).orElse(null) : null;
        RecordingCipher cipher = Files.isDirectory(secrets) ? RecordingKeys.load(secrets, false) : null;
        return new Evidence(recordingsDir.toAbsolutePath().normalize(), dataDir.resolve("evidence"), key, null, cipher,
                false, Clock.systemUTC());
    }

    /** The public key of this data directory's signing key, if it has one. */
    public Optional<SigningKey.PublicKey> signingKey() {
        return Optional.ofNullable(key).map(SigningKey::publicKey);
    }

    /** How new recordings are written. */
    public RecordingFormat recordingFormat() {
        return encrypt ? cipher.format() : RecordingFormat.WAV;
    }

    /** The file name ending of new recordings: {@code .wav}, or {@code .wav.enc} when encrypted. */
    public String fileExtension() {
        return encrypt ? ".wav.enc" : ".wav";
    }

    public SigningKey.PublicKey publicKey() {
        return key.publicKey();
    }

    public Path recordingsDir() {
        return recordingsDir;
    }

    Path manifestDir() {
        return manifestDir;
    }

    /** The cipher of encrypted recordings, if this data directory has a key-encryption key. */
    public Optional<RecordingCipher> cipher() {
        return Optional.ofNullable(cipher);
    }

    /**
     * Seals a recording its recorder has closed (waiting, bounded, until the file is read-only, the mark of a
     * closed recording): hashes it and appends its manifest line. Returns the digest for the call record.
     */
    public RecordingDigest seal(String callId, Path file) throws IOException {
        awaitClosed(file);
        RecordingDigest d = digest(file);
        manifest.append(callId, relative(file), d);
        return d;
    }

    /**
     * Seals the recording a crashed call left (its recorder is gone, so the file is final as it is): makes it
     * read-only and seals it, unless a manifest already holds it (sealed just before the crash).
     */
    public RecordingDigest sealRecovered(String callId, Path file) throws IOException {
        PrivateFiles.readOnly(file);
        RecordingDigest d = digest(file);
        String rel = relative(file);
        Optional<ManifestEntry> sealed = manifest.find(callId, rel, daysToSearch(file));
        if (sealed.isPresent() && sealed.get().fileSha256().equals(d.fileSha256())) {
            return d;
        }
        manifest.append(callId, rel, d);
        return d;
    }

    /** The hashes of a recording: of its WAV and of the file as stored. */
    public RecordingDigest digest(Path file) throws IOException {
        RecordingDigest stored = storedDigest(file);
        if (!stored.encrypted()) {
            return stored;
        }
        if (cipher == null) {
            throw new IOException(file + " is encrypted and this data directory has no recording key");
        }
        long fileBytes = stored.fileBytes();
        String fileSha = stored.fileSha256();
        MessageDigest wavHash = sha256();
        long wavBytes;
        try (EncryptedRecordingReader r = cipher.open(file);
             InputStream in = new DigestInputStream(r.wav(), wavHash)) {
            wavBytes = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new RecordingDigest(wavBytes, HexFormat.of().formatHex(wavHash.digest()), fileBytes, fileSha, true);
    }

    /**
     * The hash of the file as stored; for an encrypted file that is all that can be known without its key
     * ({@code sha256} null, {@code bytes} -1).
     */
    static RecordingDigest storedDigest(Path file) throws IOException {
        MessageDigest fileHash = sha256();
        long fileBytes;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), fileHash)) {
            fileBytes = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        String fileSha = HexFormat.of().formatHex(fileHash.digest());
        return RecordingCipher.isEncrypted(file) ? new RecordingDigest(-1, null, fileBytes, fileSha, true)
                : new RecordingDigest(fileBytes, fileSha, fileBytes, fileSha, false);
    }

    /** The path a manifest names a recording by: relative to the recordings directory, with {@code /}. */
    String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(recordingsDir) ? recordingsDir.relativize(abs).toString().replace('\\', '/')
                : abs.toString();
    }

    /** Where a recording's line can be: from the day of its directory (the call's start) to today. */
    private List<LocalDate> daysToSearch(Path file) {
        List<LocalDate> days = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            LocalDate start = LocalDate.parse(file.toAbsolutePath().getParent().getFileName().toString());
            days.add(start);
            days.add(start.plusDays(1));
        } catch (DateTimeParseException | NullPointerException notADay) {
            // a file outside the day directories: today only
        }
        if (!days.contains(today)) {
            days.add(today);
        }
        return days;
    }

    private static void awaitClosed(Path file) throws IOException {
        long deadline = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000L;
        while (!PrivateFiles.isReadOnly(file)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(file + " is still being written after " + CLOSE_WAIT_MILLIS / 1000 + " s: not sealed");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + file + " to be closed", e);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
