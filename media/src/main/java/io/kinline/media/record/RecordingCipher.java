package io.kinline.media.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest for call recordings: AES-256-GCM in chunks of at most one second of audio, each
 * authenticated on its own (the STREAM construction: the chunk's index and a last-chunk flag are in its nonce
 * and associated data), so a crash loses at most the chunk being filled and no chunk can be moved, dropped
 * from the middle or altered unnoticed. Every file has its own data key, wrapped (AES key wrap, RFC 3394)
 * under the key-encryption key held here; only the wrapped form is stored, in the file's header.
 *
 * <p>The file layout is specified in docs/EVIDENCE.md: a header beginning {@code KLINREC1}, then chunks of
 * a 4-byte big-endian length and that many bytes of ciphertext and tag. The plaintext of the chunks is the
 * recording's PCM; with the canonical 44-byte WAV header in front it is the WAV the admin API serves
 * ({@link EncryptedRecordingReader}).
 */
public final class RecordingCipher {

    static final byte[] MAGIC = "KLINREC1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int TAG_BYTES = 16;
    static final int NONCE_PREFIX_BYTES = 4;
    static final int RATE = 8000;

    private final SecretKey kek;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param kek   the 32-byte key-encryption key
     * @param keyId its name, written into every file it wraps a key for (ASCII, 1-64 characters)
     */
    public RecordingCipher(byte[] kek, String keyId) {
        if (kek.length != 32) {
            throw new IllegalArgumentException("the key-encryption key must be 32 bytes (AES-256)");
        }
        if (keyId.isEmpty() || keyId.length() > 64 || !StandardCharsets.US_ASCII.newEncoder().canEncode(keyId)) {
            throw new IllegalArgumentException("key id must be 1-64 ASCII characters");
        }
        this.kek = new SecretKeySpec(kek.clone(), "AES");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }

    /** The recording format that writes through this cipher. */
    public RecordingFormat format() {
        return this::create;
    }

    /** Creates an encrypted recording (exclusively, mode 600) with a fresh data key. */
    public EncryptedRecordingWriter create(Path file, int channels) throws IOException {
        byte[] dek = new byte[32];
        random.nextBytes(dek);
        byte[] prefix = new byte[NONCE_PREFIX_BYTES];
        random.nextBytes(prefix);
        byte[] header = header(channels, prefix, keyId, wrap(dek));
        SecretKey key = new SecretKeySpec(dek, "AES");
        Arrays.fill(dek, (byte) 0);
        return new EncryptedRecordingWriter(file, channels, header, key, prefix);
    }

    /** Opens an encrypted recording for reading (its WAV, decrypted). */
    public EncryptedRecordingReader open(Path file) throws IOException {
        return EncryptedRecordingReader.open(file, this);
    }

    /** Whether {@code file} begins with the encrypted recording magic. */
    public static boolean isEncrypted(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    // ---------------------------------------------------------------- shared by writer and reader

    private byte[] wrap(byte[] dek) throws IOException {
        try {
            Cipher c = Cipher.getInstance("AES/KW/NoPadding");
            c.init(Cipher.WRAP_MODE, kek);
            return c.wrap(new SecretKeySpec(dek, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot wrap a recording key", e);
        }
    }

    SecretKey unwrap(String fileKeyId, byte[] wrapped) throws IOException {
        if (!keyId.equals(fileKeyId)) {
            throw new IOException("recording key is wrapped under key '" + fileKeyId + "', this switch has '" + keyId + "'");
        }
        try {
            Cipher c = Cipher.getInstance("AES/KW/NoPadding");
            c.init(Cipher.UNWRAP_MODE, kek);
            return (SecretKey) c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot unwrap the recording key: wrong key-encryption key or damaged header", e);
        }
    }

    /** The plain header: magic, length, version, format, nonce prefix, key id, wrapped data key. */
    static byte[] header(int channels, byte[] prefix, String keyId, byte[] wrapped) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        int len = MAGIC.length + 2 + 1 + 1 + 4 + 1 + NONCE_PREFIX_BYTES + 1 + id.length + 1 + wrapped.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(MAGIC).putShort((short) len).put((byte) VERSION).put((byte) channels).putInt(RATE).put((byte) 16)
                .put(prefix).put((byte) id.length).put(id).put((byte) wrapped.length).put(wrapped);
        return b.array();
    }

    /** The 12-byte GCM nonce of chunk {@code index}: the file's random prefix, then the index. */
    static byte[] nonce(byte[] prefix, long index) {
        return ByteBuffer.allocate(12).put(prefix).putLong(index).array();
    }

    /** Associated data of a chunk: the whole file header, the chunk index and whether it is the last. */
    static byte[] aad(byte[] header, long index, boolean last) {
        return ByteBuffer.allocate(header.length + 9).put(header).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    static GCMParameterSpec gcm(byte[] prefix, long index) {
        return new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, index));
    }
}
