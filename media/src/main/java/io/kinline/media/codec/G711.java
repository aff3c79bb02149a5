package io.kinline.media.codec;

/**
 * ITU-T G.711 μ-law and A-law, table driven.
 *
 * <p>Decoding is a 256-entry lookup. Encoding is a 16-bit lookup (64 KiB per law): one array read per
 * sample on the relay and transcoding hot path, which beats the segment search by a wide margin.
 * The tables are built once from the bit-exact reference algorithm of ITU-T G.191 ({@code g711.c}),
 * so results match the ITU reference values for every input.
 */
public final class G711 {

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];

    /** The μ-law code for digital silence (0 linear). */
    public static final byte ULAW_SILENCE = (byte) 0xFF;
    /** The A-law code for digital silence (0 linear). */
    public static final byte ALAW_SILENCE = (byte) 0xD5;

    /**
     * Peak amplitude of a 0 dBm0 sine in 16-bit linear PCM. G.711 puts full scale at +3.17 dBm0 (the
     * μ-law decoder's largest value is 32124), so 0 dBm0 is 32124 / 10^(3.17/20) ≈ 22300. The one
     * reference for levels in dBm0: generated tones and the DTMF detector's thresholds.
     */
    public static final double DBM0_PEAK = 22300.0;

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = (short) ulaw2linearReference(i);
            ALAW_TO_LINEAR[i] = (short) alaw2linearReference(i);
        }
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            LINEAR_TO_ULAW[i] = (byte) linear2ulawReference(s);
            LINEAR_TO_ALAW[i] = (byte) linear2alawReference(s);
        }
    }

    private G711() {
    }

    public static short ulawToLinear(byte u) {
        return ULAW_TO_LINEAR[u & 0xFF];
    }

    public static short alawToLinear(byte a) {
        return ALAW_TO_LINEAR[a & 0xFF];
    }

    public static byte linearToUlaw(short pcm) {
        return LINEAR_TO_ULAW[pcm & 0xFFFF];
    }

    public static byte linearToAlaw(short pcm) {
        return LINEAR_TO_ALAW[pcm & 0xFFFF];
    }

    public static void encodeUlaw(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = LINEAR_TO_ULAW[src[srcOff + i] & 0xFFFF];
        }
    }

    public static void encodeAlaw(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = LINEAR_TO_ALAW[src[srcOff + i] & 0xFFFF];
        }
    }

    public static void decodeUlaw(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = ULAW_TO_LINEAR[src[srcOff + i] & 0xFF];
        }
    }

    public static void decodeAlaw(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = ALAW_TO_LINEAR[src[srcOff + i] & 0xFF];
        }
    }

    /** μ-law to A-law without the linear detour (G.711 Table 3 equivalent, via the tables). */
    public static byte ulawToAlaw(byte u) {
        return LINEAR_TO_ALAW[ULAW_TO_LINEAR[u & 0xFF] & 0xFFFF];
    }

    /** A-law to μ-law without the linear detour. */
    public static byte alawToUlaw(byte a) {
        return LINEAR_TO_ULAW[ALAW_TO_LINEAR[a & 0xFF] & 0xFFFF];
    }

    // ---- Reference algorithms (ITU-T G.191 g711.c), used only to build the tables. ----

    /** G.191 alaw_compress on a 16-bit sample (the reference works on the 13 MSBs). */
    static int linear2alawReference(short pcm) {
        int ix = pcm < 0 ? (~pcm) >> 4 : pcm >> 4; // 1's complement for negatives, 12-bit magnitude
        if (ix > 15) {
            int iexp = 1;
            while (ix > 16 + 15) {
                ix >>= 1;
                iexp++;
            }
            ix -= 16;
            ix += iexp << 4;
        }
        if (pcm >= 0) {
            ix |= 0x0080;
        }
        return (ix ^ 0x0055) & 0xFF;
    }

    /** G.191 alaw_expand, scaled back to 16 bits. */
    static int alaw2linearReference(int code) {
        int ix = (code ^ 0x0055) & 0xFF;
        int iexp = (ix & 0x70) >> 4;
        int mant = ix & 0x0F;
        if (iexp > 0) {
            mant += 16;
        }
        mant = (mant << 4) + 0x0008;
        if (iexp > 1) {
            mant <<= (iexp - 1);
        }
        return ix > 127 ? mant : -mant;
    }

    /** G.191 ulaw_compress on a 16-bit sample. */
    static int linear2ulawReference(short pcm) {
        int absno = pcm < 0 ? ((~pcm) >> 2) + 33 : (pcm >> 2) + 33;
        if (absno > 0x1FFF) {
            absno = 0x1FFF;
        }
        int i = absno >> 6;
        int segno = 1;
        while (i != 0) {
            segno++;
            i >>= 1;
        }
        int highNibble = 0x0008 - segno;
        int lowNibble = 0x000F - ((absno >> segno) & 0x000F);
        int code = (highNibble << 4) | lowNibble;
        if (pcm >= 0) {
            code |= 0x0080;
        }
        return code & 0xFF;
    }

    /** G.191 ulaw_expand. */
    static int ulaw2linearReference(int code) {
        int sign = code < 0x80 ? -1 : 1;
        int mantissa = ~code;
        int exponent = (mantissa >> 4) & 0x07;
        int segment = exponent + 1;
        mantissa &= 0x0F;
        int step = 4 << segment;
        return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
    }
}
