package io.kinline.media.rtp;

import io.kinline.media.codec.Codec;
import io.kinline.media.codec.G711;
import io.netty.buffer.ByteBuf;

/** G.711 μ-law/A-law conversion in place: both are one byte per sample, so the packet keeps its size. */
public final class Transcoder {

    private static final byte[] U2A = new byte[256];
    private static final byte[] A2U = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            U2A[i] = G711.ulawToAlaw((byte) i);
            A2U[i] = G711.alawToUlaw((byte) i);
        }
    }

    private Transcoder() {
    }

    /**
     * Converts {@code len} payload bytes at {@code index} of {@code buf} from one codec to the other,
     * through {@code scratch} (bulk copies beat per-byte access on direct buffers).
     */
    public static void transcode(ByteBuf buf, int index, int len, Codec from, Codec to, byte[] scratch) {
        if (from == to) {
            return;
        }
        byte[] table = from == Codec.PCMU ? U2A : A2U;
        buf.getBytes(index, scratch, 0, len);
        for (int i = 0; i < len; i++) {
            scratch[i] = table[scratch[i] & 0xFF];
        }
        buf.setBytes(index, scratch, 0, len);
    }

    /** Converts a byte array in place. */
    public static void transcode(byte[] data, int off, int len, Codec from, Codec to) {
        if (from == to) {
            return;
        }
        byte[] table = from == Codec.PCMU ? U2A : A2U;
        for (int i = off; i < off + len; i++) {
            data[i] = table[data[i] & 0xFF];
        }
    }
}
