package io.kinline.media.srtp;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/** {@link AesCounterMode} on BouncyCastle's lightweight (pure Java) AES engine. */
final class BcAesCounterMode extends AesCounterMode {

    private final BlockCipher aes = AESEngine.newInstance();

    BcAesCounterMode(byte[] key) {
        aes.init(true, new KeyParameter(key));
    }

    @Override
    protected void encryptBlocks(int n) {
        for (int p = 0; p < n; p += 16) {
            aes.processBlock(counters, p, stream, p);
        }
    }
}
