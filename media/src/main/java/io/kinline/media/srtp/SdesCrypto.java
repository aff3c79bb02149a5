package io.kinline.media.srtp;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SDES {@code a=crypto} attribute (RFC 4568) for {@link SrtpProfile#AES_CM_128_HMAC_SHA1_80}:
 * {@code <tag> AES_CM_128_HMAC_SHA1_80 inline:<base64(key||salt)>[|<lifetime>]}.
 *
 * <ul>
 *   <li>A lifetime (decimal or {@code 2^n}) is kept and enforced by the sender it makes; lifetimes under
 *       2^20 packets (5.8 hours at 50 packets a second) are refused, since Kinline does not re-key a call.</li>
 *   <li>An MKI ({@code |1:4}), several keys, and session parameters other than {@code WSH} are refused
 *       with a reason: {@code KDR}, {@code UNENCRYPTED_*}, {@code UNAUTHENTICATED_SRTP} and FEC would
 *       weaken or change the transform (RFC 4568 §6.3: a line with parameters not understood is unusable).</li>
 * </ul>
 *
 * Values are bounded before any parsing: the line at 512 characters, the tag at 9 digits.
 */
public record SdesCrypto(int tag, SrtpMasterKey key, long lifetime) {

    /** The key lifetime when the line names none: the RFC 3711 maximum for SRTP. */
    public static final long DEFAULT_LIFETIME = 1L << 48;
    static final long MIN_LIFETIME = 1L << 20;
    private static final int MAX_LENGTH = 512;
    private static final Pattern LINE = Pattern.compile(
            "(?:a=crypto:)?([0-9]{1,9}) ([A-Za-z0-9_]{1,64}) inline:([A-Za-z0-9+/=]{1,128})((?:\\|[^ |;]{1,32}){0,2})((?: [^ ]{1,64}){0,8})");
    private static final Pattern POWER = Pattern.compile("2\\^([0-9]{1,2})");

    public SdesCrypto {
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("tag must be 0..999999999");
        }
        if (lifetime < MIN_LIFETIME || lifetime > DEFAULT_LIFETIME) {
            throw new IllegalArgumentException("lifetime out of range: " + lifetime);
        }
    }

    /** A fresh random key under {@code tag}, to offer or to answer with. */
    public static SdesCrypto random(int tag, SecureRandom random) {
        return new SdesCrypto(tag, SrtpMasterKey.random(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random), DEFAULT_LIFETIME);
    }

    /** Parses the value of an {@code a=crypto} attribute (with or without the {@code a=crypto:} prefix). */
    public static SdesCrypto parse(String value) throws SdesException {
        if (value.length() > MAX_LENGTH) {
            throw new SdesException("a=crypto longer than " + MAX_LENGTH + " characters");
        }
        Matcher m = LINE.matcher(value.strip());
        if (!m.matches()) {
            throw new SdesException("a=crypto not of the form '<tag> <suite> inline:<key>[|lifetime] [params]'");
        }
        SrtpProfile profile = SrtpProfile.forSdesName(m.group(2));
        if (profile == null) {
            throw new SdesException("crypto suite " + m.group(2) + " not supported");
        }
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(m.group(3));
        } catch (IllegalArgumentException e) {
            throw new SdesException("inline key is not base64");
        }
        if (keySalt.length != profile.keyLength() + profile.saltLength()) {
            throw new SdesException("inline key is " + keySalt.length + " bytes, " + profile.sdesName() + " needs "
                    + (profile.keyLength() + profile.saltLength()));
        }
        long lifetime = DEFAULT_LIFETIME;
        for (String part : m.group(4).split("\\|")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.contains(":")) {
                throw new SdesException("MKI not supported");
            }
            lifetime = lifetime(part);
        }
        for (String param : m.group(5).strip().split(" ")) {
            if (!param.isEmpty() && !param.startsWith("WSH=")) {
                throw new SdesException("session parameter " + param + " not supported");
            }
        }
        return new SdesCrypto(Integer.parseInt(m.group(1)), SrtpMasterKey.fromConcatenated(profile, keySalt), lifetime);
    }

    private static long lifetime(String s) throws SdesException {
        Matcher p = POWER.matcher(s);
        long v;
        if (p.matches()) {
            int exp = Integer.parseInt(p.group(1));
            v = exp > 48 ? Long.MAX_VALUE : 1L << exp;
        } else if (s.matches("[0-9]{1,15}")) {
            v = Long.parseLong(s);
        } else {
            throw new SdesException("key lifetime '" + s + "' is neither a number nor 2^n");
        }
        if (v < MIN_LIFETIME) {
            throw new SdesException("key lifetime " + s + " is under 2^20 packets; re-keying is not supported");
        }
        return Math.min(v, DEFAULT_LIFETIME);
    }

    /** The attribute value, without {@code a=crypto:}; the lifetime is written only if not the default. */
    public String format() {
        String b64 = Base64.getEncoder().encodeToString(key.concatenated());
        String life = lifetime == DEFAULT_LIFETIME ? "" : "|" + lifetime;
        return tag + " " + key.profile().sdesName() + " inline:" + b64 + life;
    }

    /** The receiving context of this line's key (the peer's key, when the line came from the peer). */
    public SrtpReceiver receiver() {
        return new SrtpReceiver(key);
    }

    /** The sending context of this line's key (our key), stopping at the key's lifetime. */
    public SrtpSender sender() {
        return new SrtpSender(key, SrtpCrypto.DEFAULT, lifetime);
    }

    /** The outcome of answering an SDES offer: the peer's line we took, and ours under the same tag. */
    public record Answer(SdesCrypto remote, SdesCrypto local) {
    }

    /**
     * Picks the first usable line of an offer (RFC 4568 §7.1.1: lines are in preference order) and makes
     * our answer under its tag with a fresh key.
     *
     * @throws SdesException listing why each line was refused, when none is usable (answer 488)
     */
    public static Answer answer(List<String> offered, SecureRandom random) throws SdesException {
        StringBuilder why = new StringBuilder();
        for (String line : offered.subList(0, Math.min(offered.size(), 16))) {
            try {
                SdesCrypto remote = parse(line);
                return new Answer(remote, random(remote.tag(), random));
            } catch (SdesException e) {
                why.append(why.isEmpty() ? "" : "; ").append(e.getMessage());
            }
        }
        throw new SdesException(offered.isEmpty() ? "no a=crypto line" : "no usable a=crypto line: " + why);
    }
}
