package io.kinline.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 §5): {@code a=fingerprint:sha-256 AB:CD:...}.
 *
 * <p>Verification (RFC 8122 §5, RFC 5763 §5): of the peer's fingerprints, those with the strongest
 * hash function we support count, and the certificate must match one of them. SHA-256, -384 and -512
 * are supported, SHA-1 only when the peer gave nothing stronger; MD5 and MD2 never (the RFC forbids).
 */
public record Fingerprint(String algorithm, byte[] digest) {

    private static final List<String> STRENGTH = List.of("sha-1", "sha-256", "sha-384", "sha-512");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9-]{1,16}) ((?:[0-9A-Fa-f]{2}:){15,63}[0-9A-Fa-f]{2})");

    public Fingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (!STRENGTH.contains(algorithm)) {
            throw new IllegalArgumentException("fingerprint hash " + algorithm + " not supported");
        }
        if (digest.length != digestLength(algorithm)) {
            throw new IllegalArgumentException(algorithm + " fingerprint must be " + digestLength(algorithm) + " bytes");
        }
        digest = digest.clone();
    }

    /** The SHA-256 fingerprint of a DER certificate (what we put in our SDP). */
    public static Fingerprint sha256(byte[] der) {
        return of("sha-256", der);
    }

    public static Fingerprint of(String algorithm, byte[] der) {
        return new Fingerprint(algorithm, digest(algorithm, der));
    }

    /** Parses the value of an {@code a=fingerprint} attribute; throws with the reason. */
    public static Fingerprint parse(String value) {
        if (value.length() > 256) {
            throw new IllegalArgumentException("a=fingerprint longer than 256 characters");
        }
        var m = VALUE.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a=fingerprint is not '<hash> XX:XX:...'");
        }
        return new Fingerprint(m.group(1), HexFormat.of().parseHex(m.group(2).replace(":", "").toLowerCase(Locale.ROOT)));
    }

    /** {@code sha-256 AB:CD:...}, the attribute value. */
    public String sdpValue() {
        return algorithm + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** Whether {@code der} hashes to this fingerprint (constant-time comparison). */
    public boolean matches(byte[] der) {
        return MessageDigest.isEqual(digest, digest(algorithm, der));
    }

    /** Whether {@code der} matches one of the strongest of {@code expected} (see the class comment). */
    public static boolean verify(List<Fingerprint> expected, byte[] der) {
        int best = expected.stream().mapToInt(f -> STRENGTH.indexOf(f.algorithm)).max().orElse(-1);
        return expected.stream().filter(f -> STRENGTH.indexOf(f.algorithm) == best).anyMatch(f -> f.matches(der));
    }

    private static int digestLength(String algorithm) {
        return switch (algorithm) {
            case "sha-1" -> 20;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            default -> 64;
        };
    }

    private static byte[] digest(String algorithm, byte[] der) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT)).digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.algorithm.equals(algorithm) && MessageDigest.isEqual(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return sdpValue();
    }
}
