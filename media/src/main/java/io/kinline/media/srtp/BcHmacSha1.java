package io.kinline.media.srtp;

import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC-SHA1 on BouncyCastle's lightweight {@code HMac}, which restores saved pad states per call. */
final class BcHmacSha1 extends HmacSha1 {

    private final HMac hmac = new HMac(new SHA1Digest());

    BcHmacSha1(byte[] key) {
        hmac.init(new KeyParameter(key));
    }

    @Override
    void mac(byte[] data, int off, int len, byte[] out) {
        hmac.update(data, off, len);
        hmac.doFinal(out, 0);
    }

    @Override
    protected void macWithTrailer(byte[] data, int off, int len, byte[] trailer4, byte[] out) {
        hmac.update(data, off, len);
        hmac.update(trailer4, 0, 4);
        hmac.doFinal(out, 0);
    }
}
