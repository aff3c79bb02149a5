package io.kinline.media.srtp;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One direction's master key and master salt (RFC 3711 §3.2.1), from SDES or from the DTLS-SRTP
 * exporter. Immutable; the arrays are copied in and out so no caller can change a key in use.
 * {@link #toString()} never shows the key: keys must not reach a log.
 */
public final class SrtpMasterKey {

    private final SrtpProfile profile;
    private final byte[] key;
    private final byte[] salt;

    public SrtpMasterKey(SrtpProfile profile, byte[] key, byte[] salt) {
        if (key.length != profile.keyLength() || salt.length != profile.saltLength()) {
            throw new IllegalArgumentException("master key must be " + profile.keyLength() + " bytes and salt "
                    + profile.saltLength() + " for " + profile + ", got " + key.length + " and " + salt.length);
        }
        this.profile = profile;
        this.key = key.clone();
        this.salt = salt.clone();
    }

    /** A fresh random key and salt (SDES offers and answers). */
    public static SrtpMasterKey random(SrtpProfile profile, SecureRandom random) {
        byte[] k = new byte[profile.keyLength()];
        byte[] s = new byte[profile.saltLength()];
        random.nextBytes(k);
        random.nextBytes(s);
        return new SrtpMasterKey(profile, k, s);
    }

    /** Key followed by salt: the SDES {@code inline:} value before base64 (RFC 4568 §6.1). */
    public static SrtpMasterKey fromConcatenated(SrtpProfile profile, byte[] keyAndSalt) {
        if (keyAndSalt.length != profile.keyLength() + profile.saltLength()) {
            throw new IllegalArgumentException("key||salt must be " + (profile.keyLength() + profile.saltLength())
                    + " bytes, got " + keyAndSalt.length);
        }
        return new SrtpMasterKey(profile, Arrays.copyOf(keyAndSalt, profile.keyLength()),
                Arrays.copyOfRange(keyAndSalt, profile.keyLength(), keyAndSalt.length));
    }

    public SrtpProfile profile() {
        return profile;
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] salt() {
        return salt.clone();
    }

    /** Key followed by salt. */
    public byte[] concatenated() {
        byte[] out = Arrays.copyOf(key, key.length + salt.length);
        System.arraycopy(salt, 0, out, key.length, salt.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpMasterKey k && k.profile == profile && MessageDigest.isEqual(k.key, key)
                && MessageDigest.isEqual(k.salt, salt);
    }

    @Override
    public int hashCode() {
        return profile.hashCode();
    }

    @Override
    public String toString() {
        return "SrtpMasterKey[" + profile + ", key and salt hidden]";
    }
}
