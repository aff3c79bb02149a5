package io.kinline.admin.console;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashes (RFC 9106) through BouncyCastle, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}) so the cost can be raised later without a migration:
 * each hash says how it was made. The default cost is OWASP's first recommendation (19 MiB, 2 passes).
 *
 * <p>A hash costs memory: at most {@value #MAX_CONCURRENT} run at once, so a flood of sign-ins queues instead of
 * taking the heap. Verification compares in constant time.
 */
public final class PasswordHasher {

    static final int MAX_CONCURRENT = 4;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Passwords longer than this are refused before hashing (hashing cost must not be the caller's choice). */
    public static final int MAX_PASSWORD = 256;
    public static final int MIN_PASSWORD = 12;
    private static final Pattern PHC = Pattern.compile(
            "^\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{16,128})$");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Semaphore permits = new Semaphore(MAX_CONCURRENT, true);
    private final int memoryKiB;
    private final int iterations;

    /** OWASP's Argon2id parameters: m=19 MiB, t=2, p=1. */
    public PasswordHasher() {
        this(19 * 1024, 2);
    }

    PasswordHasher(int memoryKiB, int iterations) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
    }

    /** A new PHC string for {@code password}. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] h = derive(password, salt, memoryKiB, iterations, 1, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=1$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(h);
    }

    /** Whether {@code password} matches {@code phc}; false for a malformed or foreign hash. */
    public boolean verify(char[] password, String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) {
            return false;
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        if (mem < 8 || mem > 1 << 20 || t < 1 || p < 1 || p > 16) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64D.decode(m.group(4));
            expected = B64D.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, salt, mem, t, p, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** The same work as a verification, for unknown usernames: the answer's timing must not tell them apart. */
    public void burn(char[] password) {
        derive(password, new byte[SALT_BYTES], memoryKiB, iterations, 1, HASH_BYTES);
    }

    private byte[] derive(char[] password, byte[] salt, int mem, int t, int p, int len) {
        if (password.length > MAX_PASSWORD) {
            throw new IllegalArgumentException("password too long");
        }
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(mem).withIterations(t).withParallelism(p).withSalt(salt).build();
        var bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        byte[] out = new byte[len];
        permits.acquireUninterruptibly();
        try {
            Argon2BytesGenerator g = new Argon2BytesGenerator();
            g.init(params);
            g.generateBytes(pw, out);
        } finally {
            permits.release();
            Arrays.fill(pw, (byte) 0);
            if (bb.hasArray()) {
                Arrays.fill(bb.array(), (byte) 0);
            }
        }
        return out;
    }
}
