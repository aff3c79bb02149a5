package io.kinline.evidence;

import io.kinline.media.record.RecordingCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The key-encryption key (KEK) of recordings encrypted at rest: 32 random bytes, hex, in
 * {@code <dataDir>/secrets/recording-kek} (mode 600), made the first time encryption is switched on. Each
 * recording has its own data key, wrapped under this one in the recording's header; the KEK never leaves the
 * secrets directory. Its id, written into every file, is {@code kek-} and the first 16 hex digits of its
 * SHA-256. Back it up with the database: without it no encrypted recording can be played.
 */
final class RecordingKeys {

    static final String FILE = "recording-kek";

    private RecordingKeys() {
    }

    /** The cipher over the KEK, creating the KEK if {@code create}; null if there is none and none is wanted. */
    static RecordingCipher load(Path secretsDir, boolean create) throws IOException {
        if (!create && !Files.exists(secretsDir.resolve(FILE))) {
            return null;
        }
        byte[] text = SecretFiles.readOrCreate(secretsDir, FILE, () -> {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return (HexFormat.of().formatHex(k) + "\n").getBytes(StandardCharsets.US_ASCII);
        });
        byte[] kek;
        try {
            kek = HexFormat.of().parseHex(new String(text, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(secretsDir.resolve(FILE) + " is not a hex key", e);
        }
        if (kek.length != 32) {
            throw new IOException(secretsDir.resolve(FILE) + " must hold 32 bytes (64 hex digits)");
        }
        try {
            String id = "kek-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(kek)).substring(0, 16);
            return new RecordingCipher(kek, id);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
