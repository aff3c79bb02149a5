package io.kinline.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A header block sent one byte at a time (a slow-loris drip) must cost the stream decoder linear work:
 * it keeps its scan position between reads instead of rescanning the buffer from the start.
 *
 * <p>Work is counted, not timed: the decoder's cumulation buffer is a {@link CountingBuf} that counts
 * every byte the decoder reads from it. A rescanning decoder reads about n²/2 bytes for n dripped
 * bytes, so doubling the drip quadruples its work; a linear one doubles it.
 */
class SlowDripTest {

    private static final int LIMIT = 64 * 1024;

    /** A heap buffer that counts {@link #getByte} calls: the decoder's view of the stream. */
    static final class CountingBuf extends UnpooledHeapByteBuf {
        long reads;

        CountingBuf(int capacity) {
            super(UnpooledByteBufAllocator.DEFAULT, capacity, Integer.MAX_VALUE);
        }

        @Override
        public byte getByte(int index) {
            reads++;
            return super.getByte(index);
        }
    }

    /** Drips a request with {@code headerBytes} of headers, byte by byte; returns bytes the decoder read. */
    private static long drip(int headerBytes) {
        SipFrameDecoder decoder = new SipFrameDecoder(4096, LIMIT, 1024);
        CountingBuf[] cumulation = new CountingBuf[1];
        decoder.setCumulator((ByteBufAllocator alloc, ByteBuf cum, ByteBuf in) -> {
            try {
                if (!(cum instanceof CountingBuf)) { // the decoder starts with an empty buffer
                    cumulation[0] = new CountingBuf(LIMIT + 1024);
                    cum = cumulation[0];
                }
                cum.writeBytes(in);
                return cum;
            } finally {
                in.release();
            }
        });
        decoder.setDiscardAfterReads(Integer.MAX_VALUE); // keep one buffer: every read is counted
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        StringBuilder m = new StringBuilder("OPTIONS sip:kinline@127.0.0.1 SIP/2.0\r\n");
        int i = 0;
        while (m.length() < headerBytes) {
            m.append("X-Pad-").append(i++).append(": ").append("p".repeat(40)).append("\r\n");
        }
        m.append("Content-Length: 0\r\n\r\n");
        byte[] bytes = m.toString().getBytes(StandardCharsets.US_ASCII);
        for (byte b : bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        SipFrame f = ch.readInbound();
        assertNotNull(f, "the dripped message is framed");
        assertEquals(SipFrame.Kind.MESSAGE, f.kind());
        assertEquals(bytes.length, f.bytes().length);
        ch.finishAndReleaseAll();
        return cumulation[0].reads;
    }

    @Test
    void sixteenKibOfHeadersOneByteAtATimeCostsLinearWork() {
        drip(2048); // warm the classes; the counts do not depend on it
        long n = drip(8 * 1024);
        long twoN = drip(16 * 1024);
        System.out.printf("slow drip: %d bytes read for 8 KiB, %d for 16 KiB%n", n, twoN);
        assertTrue(n > 0 && twoN > 0, "the counting buffer sees the decoder's reads");
        // Linear: a few reads per byte (the blank-line search, the initial-line check, the copy out).
        assertTrue(twoN <= 8L * 16 * 1024, "16 KiB dripped cost " + twoN + " byte reads (quadratic: ~1.3e8)");
        double ratio = (double) twoN / n;
        assertTrue(ratio < 2.5, "doubling the drip multiplied the work by " + ratio + " (linear: 2, quadratic: 4)");
    }
}
