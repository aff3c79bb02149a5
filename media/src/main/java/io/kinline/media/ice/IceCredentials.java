package io.kinline.media.ice;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * One side's ICE username fragment and password (RFC 8445 §5.3, RFC 8839 §5.4): {@code ice-char}s
 * only (letters, digits, {@code +}, {@code /}); the ufrag 4 to 256 characters, the password 22 to 256.
 * We generate 8 and 24 characters: 48 and 144 bits from a {@link SecureRandom}, more than the RFC's
 * minimum of 24 and 128 bits. The password never appears in {@link #toString()}.
 */
public record IceCredentials(String ufrag, String pwd) {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");

    /** Validates a peer's credentials from its SDP; throws with the reason (answer 488). */
    public IceCredentials {
        if (ufrag == null || !UFRAG.matcher(ufrag).matches()) {
            throw new IllegalArgumentException("a=ice-ufrag must be 4-256 ice-chars");
        }
        if (pwd == null || !PWD.matcher(pwd).matches()) {
            throw new IllegalArgumentException("a=ice-pwd must be 22-256 ice-chars");
        }
    }

    public static IceCredentials random(SecureRandom random) {
        return new IceCredentials(randomChars(random, 8), randomChars(random, 24));
    }

    private static String randomChars(SecureRandom random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }

    /** The short-term credential: the password as UTF-8 bytes (RFC 8489 §9.1.1, no SASLprep for ICE). */
    public byte[] key() {
        return pwd.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code a=ice-ufrag} and {@code a=ice-pwd} lines, CRLF-terminated. */
    public String sdpLines() {
        return "a=ice-ufrag:" + ufrag + "\r\na=ice-pwd:" + pwd + "\r\n";
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd hidden]";
    }
}
