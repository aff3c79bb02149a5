package io.kinline.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link AesCounterMode} on {@code javax.crypto} ECB: one {@code update} call per packet encrypts all
 * its counter blocks, on AES-NI. (JCA's own {@code AES/CTR} would need a re-init, and so a new key
 * schedule and an IV object, for every packet.)
 */
final class JcaAesCounterMode extends AesCounterMode {

    private final Cipher ecb;

    JcaAesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB is part of every JDK", e);
        }
    }

    @Override
    protected void encryptBlocks(int n) {
        try {
            ecb.update(counters, 0, n, stream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECB update into a large enough array", e);
        }
    }
}
