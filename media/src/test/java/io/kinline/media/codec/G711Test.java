package io.kinline.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * G.711 against the ITU-T G.191 reference ({@code g711.c}) values and the structure of the laws.
 * Linear values are 16-bit, left-justified as G.191 uses them (μ-law 14 bits, A-law 13 bits).
 */
class G711Test {

    @Test
    void ulawReferencePairs() {
        assertEquals(0, G711.ulawToLinear((byte) 0xFF));
        assertEquals(0, G711.ulawToLinear((byte) 0x7F)); // "negative zero"
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals(8, G711.ulawToLinear((byte) 0xFE));
        assertEquals(-8, G711.ulawToLinear((byte) 0x7E));
        assertEquals((byte) 0xFF, G711.linearToUlaw((short) 0));
        assertEquals((byte) 0x80, G711.linearToUlaw((short) 32767));
        assertEquals((byte) 0x00, G711.linearToUlaw((short) -32768));
        assertEquals((byte) 0x80, G711.linearToUlaw((short) 32124));
        assertEquals((byte) 0x00, G711.linearToUlaw((short) -32124));
        // G.191: negative inputs use the one's complement, so -1 is encoded like 0 with the sign cleared.
        assertEquals((byte) 0x7F, G711.linearToUlaw((short) -1));
    }

    @Test
    void alawReferencePairs() {
        assertEquals(8, G711.alawToLinear((byte) 0xD5));
        assertEquals(-8, G711.alawToLinear((byte) 0x55));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
        assertEquals(-32256, G711.alawToLinear((byte) 0x2A));
        assertEquals((byte) 0xD5, G711.linearToAlaw((short) 0));
        assertEquals((byte) 0x55, G711.linearToAlaw((short) -1));
        assertEquals((byte) 0xAA, G711.linearToAlaw((short) 32767));
        assertEquals((byte) 0x2A, G711.linearToAlaw((short) -32768));
        assertEquals(G711.ALAW_SILENCE, G711.linearToAlaw((short) 0));
        assertEquals(G711.ULAW_SILENCE, G711.linearToUlaw((short) 0));
    }

    @Test
    void everyCodeSurvivesDecodeEncode() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            assertEquals(code, G711.linearToAlaw(G711.alawToLinear(code)), "A-law " + Integer.toHexString(c));
            if (c == 0x7F) {
                // μ-law has two zeros (0xFF and 0x7F); G.191 encodes linear 0 as 0xFF.
                assertEquals((byte) 0xFF, G711.linearToUlaw(G711.ulawToLinear(code)));
            } else {
                assertEquals(code, G711.linearToUlaw(G711.ulawToLinear(code)), "μ-law " + Integer.toHexString(c));
            }
        }
    }

    @Test
    void decodedLevelsAreDistinctAndSymmetric() {
        java.util.Set<Short> ulaw = new java.util.HashSet<>();
        java.util.Set<Short> alaw = new java.util.HashSet<>();
        for (int c = 0; c < 128; c++) {
            assertEquals(-G711.ulawToLinear((byte) (c | 0x80)), G711.ulawToLinear((byte) c));
            assertEquals(-G711.alawToLinear((byte) (c | 0x80)), G711.alawToLinear((byte) c));
        }
        for (int c = 0; c < 256; c++) {
            ulaw.add(G711.ulawToLinear((byte) c));
            alaw.add(G711.alawToLinear((byte) c));
        }
        assertEquals(255, ulaw.size()); // 0xFF and 0x7F both decode to 0
        assertEquals(256, alaw.size());
    }

    /** Segment structure: 8 segments of 16 levels per sign, step doubling from one to the next. */
    @Test
    void segmentSteps() {
        for (int seg = 0; seg < 8; seg++) {
            // μ-law positive codes: 0xFF - 16*seg - i, level step 8 << seg (16-bit scale).
            int ustep = 8 << seg;
            for (int i = 0; i < 15; i++) {
                int a = G711.ulawToLinear((byte) (0xFF - 16 * seg - i));
                int b = G711.ulawToLinear((byte) (0xFF - 16 * seg - i - 1));
                assertEquals(ustep, b - a, "μ-law segment " + seg + " level " + i);
            }
            // A-law positive codes: (0x80 | seg << 4 | i) ^ 0x55; step 16 in segments 0 and 1, then doubling.
            int astep = seg <= 1 ? 16 : 16 << (seg - 1);
            for (int i = 0; i < 15; i++) {
                int a = G711.alawToLinear((byte) ((0x80 | seg << 4 | i) ^ 0x55));
                int b = G711.alawToLinear((byte) ((0x80 | seg << 4 | i + 1) ^ 0x55));
                assertEquals(astep, b - a, "A-law segment " + seg + " level " + i);
            }
        }
        // Segment ends (G.711 Table 1/2, in 16-bit scale): μ-law 0..8031 x4 = 32124, A-law 4032 x8 = 32256.
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
        // Lowest A-law segment boundary: linear 255 is the last input of segment 0 (<= 0x0FF >> 4 == 15).
        assertEquals(0xD5 ^ 0x0F, G711.linearToAlaw((short) 255) & 0xFF);
        assertEquals((0x80 | 1 << 4) ^ 0x55, G711.linearToAlaw((short) 256) & 0xFF);
    }

    @Test
    void encodingIsMonotonicAndWithinHalfAStep() {
        int prevU = Integer.MIN_VALUE;
        int prevA = Integer.MIN_VALUE;
        for (int x = -32768; x <= 32767; x++) {
            short s = (short) x;
            int u = G711.ulawToLinear(G711.linearToUlaw(s));
            int a = G711.alawToLinear(G711.linearToAlaw(s));
            assertTrue(u >= prevU, "μ-law not monotonic at " + x);
            assertTrue(a >= prevA, "A-law not monotonic at " + x);
            prevU = u;
            prevA = a;
            int mag = Math.abs(x);
            // Step at this magnitude: μ-law 8..1024, A-law 16..1024; errors at most a step (half a
            // step inside the range, up to the clipping level at the very top).
            if (mag < 32124) {
                assertTrue(Math.abs(u - x) <= ulawStep(mag) / 2 + 4, "μ-law error at " + x + ": " + u);
            }
            if (mag < 32256) {
                assertTrue(Math.abs(a - x) <= alawStep(mag) / 2 + 8, "A-law error at " + x + ": " + a);
            }
        }
    }

    private static int ulawStep(int mag) {
        int seg = 0;
        while (seg < 7 && mag + 132 >= (256 << seg)) {
            seg++;
        }
        return 8 << seg;
    }

    private static int alawStep(int mag) {
        if (mag < 512) {
            return 16;
        }
        int seg = 1;
        while (seg < 7 && mag >= (256 << seg)) {
            seg++;
        }
        return 16 << (seg - 1);
    }

    @Test
    void arrayMethodsMatchScalar() {
        short[] pcm = new short[1000];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i * 65 - 32000);
        }
        byte[] u = new byte[1002];
        byte[] a = new byte[1002];
        G711.encodeUlaw(pcm, 0, u, 2, pcm.length);
        G711.encodeAlaw(pcm, 0, a, 2, pcm.length);
        short[] du = new short[1000];
        short[] da = new short[1000];
        G711.decodeUlaw(u, 2, du, 0, 1000);
        G711.decodeAlaw(a, 2, da, 0, 1000);
        for (int i = 0; i < pcm.length; i++) {
            assertEquals(G711.linearToUlaw(pcm[i]), u[i + 2]);
            assertEquals(G711.linearToAlaw(pcm[i]), a[i + 2]);
            assertEquals(G711.ulawToLinear(u[i + 2]), du[i]);
            assertEquals(G711.alawToLinear(a[i + 2]), da[i]);
        }
    }

    @Test
    void transcodingKeepsLevelWithinOneStep() {
        for (int c = 0; c < 256; c++) {
            byte u = (byte) c;
            int lin = G711.ulawToLinear(u);
            int viaA = G711.alawToLinear(G711.ulawToAlaw(u));
            assertTrue(Math.abs(viaA - lin) <= alawStep(Math.abs(lin)) / 2 + 8, "μ->A " + c + ": " + lin + " vs " + viaA);
            byte a = (byte) c;
            int linA = G711.alawToLinear(a);
            int viaU = G711.ulawToLinear(G711.alawToUlaw(a));
            assertTrue(Math.abs(viaU - linA) <= ulawStep(Math.abs(linA)) / 2 + 4
                    || Math.abs(linA) > 32124, "A->μ " + c + ": " + linA + " vs " + viaU);
        }
    }
}
