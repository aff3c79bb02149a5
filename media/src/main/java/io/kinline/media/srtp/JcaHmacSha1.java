package io.kinline.media.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 over {@code java.security.MessageDigest}: H(K^opad || H(K^ipad || m)). Written out (six
 * lines of RFC 2104) rather than through {@code javax.crypto.Mac}, whose {@code doFinal} allocates the
 * result and an intermediate digest on every call; here both digests go into arrays kept per instance.
 * Tested against {@code javax.crypto.Mac} and the RFC 2202 vectors.
 */
final class JcaHmacSha1 extends HmacSha1 {

    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    JcaHmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
    }

    @Override
    void mac(byte[] data, int off, int len, byte[] out) {
        sha1.update(ipad);
        sha1.update(data, off, len);
        finish(out);
    }

    @Override
    protected void macWithTrailer(byte[] data, int off, int len, byte[] trailer4, byte[] out) {
        sha1.update(ipad);
        sha1.update(data, off, len);
        sha1.update(trailer4, 0, 4);
        finish(out);
    }

    private void finish(byte[] out) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(opad);
            sha1.update(inner, 0, LENGTH);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("20-byte SHA-1 into a 20-byte array", e);
        }
    }
}
