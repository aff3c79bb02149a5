package io.kinline.media.srtp;

/**
 * AES-128 in counter mode as SRTP uses it (RFC 3711 §4.1.1): block {@code j} of the keystream is
 * AES(k_e, IV + j), where the IV's low 16 bits are zero, so {@code IV + j} only fills the last two
 * bytes. One instance per session key; not thread safe.
 */
abstract class AesCounterMode {

    /** Largest run of bytes one call may transform: a whole RTP packet fits with room to spare. */
    static final int MAX_BYTES = 2048;

    protected final byte[] counters = new byte[MAX_BYTES];
    protected final byte[] stream = new byte[MAX_BYTES];

    /**
     * XORs the keystream for {@code iv} into {@code data[off, off+len)}: encrypts and decrypts alike.
     * The block counter is added to the IV's last two bytes (zero for every SRTP IV; the RFC's test
     * vectors also start elsewhere).
     */
    final void apply(byte[] iv, byte[] data, int off, int len) {
        if (len > MAX_BYTES) {
            throw new IllegalArgumentException("at most " + MAX_BYTES + " bytes per call, got " + len);
        }
        int blocks = (len + 15) >>> 4;
        int start = ((iv[14] & 0xFF) << 8) | (iv[15] & 0xFF);
        for (int b = 0; b < blocks; b++) {
            int p = b << 4;
            int c = start + b;
            System.arraycopy(iv, 0, counters, p, 14);
            counters[p + 14] = (byte) (c >>> 8);
            counters[p + 15] = (byte) c;
        }
        encryptBlocks(blocks << 4);
        for (int i = 0; i < len; i++) {
            data[off + i] ^= stream[i];
        }
    }

    /** Encrypts {@code counters[0, n)} into {@code stream[0, n)}, block by block (ECB). */
    protected abstract void encryptBlocks(int n);
}
