package io.kinline.tests.rtp;

/**
 * A tiny stand-alone G.711 μ-law / A-law codec (ITU-T G.711 segment arithmetic, no tables).
 *
 * <p>Deliberately independent of Kinline's own {@code io.kinline.media.codec.G711}: the test
 * equipment must not share code with the system under test, or a codec bug would cancel out.
 */
public final class G711Codec {

    /** RTP static payload type of PCMU. */
    public static final int PCMU = 0;
    /** RTP static payload type of PCMA. */
    public static final int PCMA = 8;

    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;

    private G711Codec() {
    }

    public static byte linearToUlaw(int pcm) {
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > ULAW_CLIP) {
            pcm = ULAW_CLIP;
        }
        pcm += ULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short ulawToLinear(byte code) {
        int u = ~code & 0xFF;
        int sign = u & 0x80;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = ((mantissa << 3) + ULAW_BIAS) << exponent;
        magnitude -= ULAW_BIAS;
        return (short) (sign != 0 ? -magnitude : magnitude);
    }

    public static byte linearToAlaw(int pcm) {
        int sign = pcm >= 0 ? 0x80 : 0x00;
        if (pcm < 0) {
            pcm = -pcm - 1;
        }
        if (pcm > 32767) {
            pcm = 32767;
        }
        int code;
        if (pcm < 256) {
            code = pcm >> 4;
        } else {
            int exponent = 1;
            for (int v = pcm >> 8; v > 1; v >>= 1) {
                exponent++;
            }
            int mantissa = (pcm >> (exponent + 3)) & 0x0F;
            code = (exponent << 4) | mantissa;
        }
        return (byte) ((sign | code) ^ 0x55);
    }

    public static short alawToLinear(byte code) {
        int a = (code & 0xFF) ^ 0x55;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude;
        if (exponent == 0) {
            magnitude = (mantissa << 4) + 8;
        } else {
            magnitude = ((mantissa << 4) + 0x108) << (exponent - 1);
        }
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    /** Encodes {@code pcm} into a new array for the given static payload type (0 or 8). */
    public static byte[] encode(int payloadType, short[] pcm, int off, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = payloadType == PCMA ? linearToAlaw(pcm[off + i]) : linearToUlaw(pcm[off + i]);
        }
        return out;
    }

    /** Decodes a payload for the given static payload type (0 or 8). */
    public static short[] decode(int payloadType, byte[] payload, int off, int len) {
        short[] out = new short[len];
        for (int i = 0; i < len; i++) {
            out[i] = payloadType == PCMA ? alawToLinear(payload[off + i]) : ulawToLinear(payload[off + i]);
        }
        return out;
    }

    /** The code of digital silence: 0xFF in μ-law, 0xD5 in A-law. */
    public static byte silence(int payloadType) {
        return payloadType == PCMA ? (byte) 0xD5 : (byte) 0xFF;
    }
}
