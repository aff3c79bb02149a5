package io.kinline.media.srtp;

/**
 * A sliding replay window over packet indices (RFC 3711 §3.3.2), 128 packets wide: twice the
 * minimum of 64, as libsrtp uses, so that Wi-Fi reordering on a tablet does not look like a replay.
 *
 * <p>The bitmap is circular (index {@code i} lives at bit {@code i mod 128}); advancing clears the
 * bits of the indices skipped over, at most 128 per call. Not thread safe.
 */
final class ReplayWindow {

    static final int SIZE = 128;

    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** True if {@code index} was not seen and is not older than the window. */
    boolean check(long index) {
        if (index > highest) {
            return true;
        }
        if (highest - index >= SIZE) {
            return false;
        }
        int bit = (int) (index & (SIZE - 1));
        return (bits[bit >>> 6] & (1L << bit)) == 0;
    }

    /** Marks {@code index} seen; call only after the packet authenticated. */
    void update(long index) {
        if (index > highest) {
            if (highest < 0 || index - highest >= SIZE) {
                bits[0] = 0;
                bits[1] = 0;
            } else {
                for (long i = highest + 1; i < index; i++) {
                    int b = (int) (i & (SIZE - 1));
                    bits[b >>> 6] &= ~(1L << b);
                }
            }
            highest = index;
        }
        int bit = (int) (index & (SIZE - 1));
        bits[bit >>> 6] |= 1L << bit;
    }

    long highest() {
        return highest;
    }
}
