package io.kinline.media.srtp;

/**
 * HMAC-SHA1 (RFC 2104) keyed once, over a region of a packet optionally followed by a 32-bit value
 * (SRTP authenticates the packet followed by its rollover counter, RFC 3711 §4.2). Not thread safe.
 */
abstract class HmacSha1 {

    static final int LENGTH = 20;

    private final byte[] word = new byte[4];

    /** The full 20-byte MAC of {@code data[off, off+len)} into {@code out[0, 20)}. */
    abstract void mac(byte[] data, int off, int len, byte[] out);

    /** The MAC of {@code data[off, off+len) || trailer} (big-endian) into {@code out[0, 20)}. */
    final void mac(byte[] data, int off, int len, int trailer, byte[] out) {
        word[0] = (byte) (trailer >>> 24);
        word[1] = (byte) (trailer >>> 16);
        word[2] = (byte) (trailer >>> 8);
        word[3] = (byte) trailer;
        macWithTrailer(data, off, len, word, out);
    }

    protected abstract void macWithTrailer(byte[] data, int off, int len, byte[] trailer4, byte[] out);
}
