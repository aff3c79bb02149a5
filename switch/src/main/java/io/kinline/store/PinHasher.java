package io.kinline.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * PIN hashing. Two values are stored per inmate:
 *
 * <ul>
 *   <li>{@code pin_hash}: a salted verifier {@code pbkdf2$<iterations>$<salt b64>$<hash b64>}
 *       (PBKDF2WithHmacSHA256, 16-byte random salt, 256-bit output).</li>
 *   <li>{@code pin_index}: {@code hex(HMAC-SHA256(pepper, facilityId ":" pin))}, a deterministic
 *       lookup key, unique per facility. The pepper is a 32-byte secret kept outside the database
 *       ({@code <dataDir>/secrets/pin-pepper}).</li>
 * </ul>
 *
 * Why both: a caller identifies themselves by PIN alone, so the store must find the row from the
 * PIN; a salted hash cannot be searched, and trying every inmate's salt costs O(inmates × PBKDF2)
 * per call. The keyed HMAC gives an O(1) indexed lookup; the PBKDF2 hash is then verified as
 * defense in depth. A 4–6 digit PIN has at most 10^6 values, so against an attacker who holds
 * both the database and the pepper no hash helps; the pepper is what protects a stolen database
 * dump, and it must be backed up together with the database.
 */
public final class PinHasher {

    /** Modest: the real protection is the pepper (see class comment), and PINs are checked per call. */
    public static final int DEFAULT_ITERATIONS = 60_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] pepper;
    private final int iterations;

    public PinHasher(byte[] pepper) {
        this(pepper, DEFAULT_ITERATIONS);
    }

    public PinHasher(byte[] pepper, int iterations) {
        Objects.requireNonNull(pepper, "pepper");
        if (pepper.length < 16) {
            throw new IllegalArgumentException("pepper too short");
        }
        this.pepper = pepper.clone();
        this.iterations = iterations;
    }

    /** A salted PBKDF2 verifier for the PIN. */
    public String hash(String pin) {
        checkPin(pin);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] h = pbkdf2(pin, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /** Constant-time check of a PIN against a verifier from {@link #hash}. */
    public static boolean verify(String pin, String stored) {
        if (pin == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !"pbkdf2".equals(parts[0])) {
            return false;
        }
        int iter;
        try {
            iter = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        Base64.Decoder d = Base64.getDecoder();
        byte[] salt = d.decode(parts[2]);
        byte[] expected = d.decode(parts[3]);
        byte[] actual = pbkdf2(pin, salt, iter);
        return MessageDigest.isEqual(expected, actual);
    }

    /** The facility-keyed lookup index of a PIN. */
    public String index(String facilityId, String pin) {
        checkPin(pin);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            byte[] out = mac.doFinal((facilityId + ":" + pin).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void checkPin(String pin) {
        if (pin == null || pin.isEmpty() || pin.length() > 16 || !pin.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException("a PIN is 1-16 digits");
        }
    }

    private static byte[] pbkdf2(String pin, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** SHA-256 hex, used for API tokens (high-entropy secrets need no salt or stretching). */
    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
