package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.codec.Codec;
import io.kinline.media.dtmf.Rfc4733;
import io.kinline.media.opus.OpusCodec;
import io.kinline.media.sdp.WebRtcSessions.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Opus edge of a WebRTC leg: clocks, payload types, event durations, and garbage from the network. */
class WireTranslationTest {

    private static final Wire OPUS = new Wire(111, "opus", 48000, 110);
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf packet(int pt, int seq, long ts, byte[] payload) {
        ByteBuf b = Unpooled.buffer(12 + payload.length);
        RtpPacket.writeHeader(b, false, pt, seq, ts, 0xCAFEL);
        b.writeBytes(payload);
        return b;
    }

    @Test
    void opusInIsPcmuAtEightKilohertzAcrossTheTimestampWrap() {
        WireTranslation t = new WireTranslation(OPUS, new OpusCodec());
        OpusCodec browser = new OpusCodec();
        byte[] frame = new byte[400];
        long ts = 0xFFFFFFFFL - 959; // the wrap comes after the first frame
        long prev = -1;
        for (int i = 0; i < 3; i++) {
            int n = browser.encode(TestPrompts.sine(1000, 20, 8000), 0, 160, frame, 0, frame.length);
            ByteBuf out = t.inbound(packet(111, 10 + i, ts, java.util.Arrays.copyOf(frame, n)), ALLOC);
            RtpPacket p = new RtpPacket();
            assertTrue(p.wrap(out));
            assertEquals(0, p.payloadType());
            assertEquals(160, p.payloadLength(), "20 ms at 8 kHz, one byte a sample");
            assertEquals(10 + i, p.sequenceNumber());
            if (prev >= 0) {
                assertEquals(160, (p.timestamp() - prev) & 0xFFFFFFFFL, "48 kHz steps become 8 kHz steps, wrap or not");
            }
            prev = p.timestamp();
            out.release();
            ts = (ts + 960) & 0xFFFFFFFFL;
        }
    }

    @Test
    void eventsKeepTheirDigitAndScaleTheirDuration() {
        WireTranslation t = new WireTranslation(OPUS, new OpusCodec());
        byte[] ev = new byte[4];
        Rfc4733.write(ev, 0, 7, true, 10, 4800); // 100 ms at 48 kHz
        ByteBuf in = t.inbound(packet(110, 1, 96000, ev), ALLOC);
        byte[] got = new byte[4];
        in.getBytes(12, got);
        assertEquals(7, Rfc4733.event(got, 0));
        assertTrue(Rfc4733.end(got, 0));
        assertEquals(800, Rfc4733.duration(got, 0), "100 ms at 8 kHz");
        in.release();
        Rfc4733.write(ev, 0, 5, false, 10, 800);
        ByteBuf out = t.outbound(packet(110, 2, 1000, ev), ALLOC);
        out.getBytes(12, got);
        assertEquals(4800, Rfc4733.duration(got, 0));
        assertEquals(6000, out.getUnsignedInt(4), "timestamp times 6");
        out.release();
    }

    @Test
    void pcmuOutIsOpusAndOddFramesAreRefused() {
        WireTranslation t = new WireTranslation(OPUS, new OpusCodec());
        byte[] pcmu = new byte[160];
        Codec.PCMU.encode(TestPrompts.sine(500, 20, 8000), 0, pcmu, 0, 160);
        ByteBuf out = t.outbound(packet(0, 5, 1600, pcmu), ALLOC);
        assertEquals(111, out.getUnsignedByte(1) & 0x7F);
        assertTrue(out.readableBytes() - 12 < 160, "an Opus frame, smaller than G.711's");
        assertTrue(out.writableBytes() >= WebRtcTransport.SRTP_ROOM, "room for the SRTP tag without a copy");
        out.release();
        assertNull(t.outbound(packet(0, 6, 1760, new byte[240]), ALLOC), "30 ms is no Opus frame: dropped");
        assertEquals(1, t.refused());
    }

    @Test
    void garbageFromTheNetworkIsCountedNeverThrown() {
        WireTranslation t = new WireTranslation(OPUS, new OpusCodec());
        Random r = new Random(7587);
        int dropped = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] payload = new byte[r.nextInt(300)];
            r.nextBytes(payload);
            int pt = r.nextBoolean() ? 111 : r.nextInt(128);
            ByteBuf out = t.inbound(packet(pt, i, i * 960L, payload), ALLOC);
            if (out == null) {
                dropped++;
            } else {
                out.release();
            }
        }
        assertEquals(t.refused(), dropped);
        assertTrue(dropped > 2000, "most random payloads are not Opus or not ours: " + dropped);
    }

    @Test
    void g711OnTheWirePassesThroughUntouched() {
        WireTranslation t = new WireTranslation(new Wire(0, "PCMU", 8000, 126), null);
        ByteBuf in = packet(0, 1, 160, new byte[160]);
        assertSame(in, t.inbound(in, ALLOC));
        assertSame(in, t.outbound(in, ALLOC));
        in.release();
    }

    /** Opus 111 up, PCMU at the offer's payload type 0 down, events with the offer's 8 kHz telephone-event 126. */
    private static final Wire OPUS_UP_PCMU_DOWN = new Wire(111, "opus", 48000, 110, 0, 126);

    @Test
    void g711DownlinkSendsOurPcmuAsItIsAndOurEventsAtEightKilohertz() {
        WireTranslation t = new WireTranslation(OPUS_UP_PCMU_DOWN, new OpusCodec());
        byte[] pcmu = new byte[160];
        Codec.PCMU.encode(TestPrompts.sine(1000, 20, 8000), 0, pcmu, 0, 160);
        ByteBuf audio = packet(0, 5, 8000, pcmu);
        audio.setByte(1, audio.getByte(1) | 0x80); // the marker must survive
        ByteBuf out = t.outbound(audio, ALLOC);
        assertSame(audio, out, "nothing to encode: the same packet goes out");
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(out));
        assertEquals(0, p.payloadType());
        assertTrue(p.marker());
        assertEquals(8000, p.timestamp(), "an 8 kHz stream: timestamps are not scaled to Opus's 48 kHz");
        byte[] sent = new byte[160];
        out.getBytes(p.payloadIndex(), sent);
        assertEquals(java.util.Arrays.toString(pcmu), java.util.Arrays.toString(sent));
        out.release();

        byte[] ev = new byte[4];
        Rfc4733.write(ev, 0, 5, false, 10, 800); // 100 ms at 8 kHz, sent with the endpoint's payload type (110)
        ByteBuf event = t.outbound(packet(110, 6, 8000, ev), ALLOC);
        assertTrue(p.wrap(event));
        assertEquals(126, p.payloadType(), "the 8 kHz telephone-event of the offer");
        assertEquals(800, Rfc4733.duration(readPayload(event, p), 0), "the duration stays in 8 kHz units");
        event.release();
        assertEquals(0, t.refused());
    }

    @Test
    void g711DownlinkWithoutAnEightKilohertzEventDropsOurEventsAndCountsThem() {
        WireTranslation t = new WireTranslation(new Wire(111, "opus", 48000, 110, 0, -1), new OpusCodec());
        byte[] ev = new byte[4];
        Rfc4733.write(ev, 0, 5, false, 10, 800);
        assertNull(t.outbound(packet(110, 6, 8000, ev), ALLOC), "an event at 48 kHz must not join an 8 kHz stream");
        assertNull(t.outbound(packet(8, 7, 8160, new byte[160]), ALLOC), "the endpoint sends PCMU only");
        assertEquals(2, t.refused());
    }

    @Test
    void g711DownlinkStillDecodesTheTabletsOpusAndTakesItsPcmu() {
        WireTranslation t = new WireTranslation(OPUS_UP_PCMU_DOWN, new OpusCodec());
        OpusCodec browser = new OpusCodec(OpusCodec.Resampling.OPUS_INTERNAL, OpusCodec.Encoding.SPEECH);
        byte[] frame = new byte[400];
        int n = browser.encode(TestPrompts.sine(1000, 20, 8000), 0, 160, frame, 0, frame.length);
        ByteBuf out = t.inbound(packet(111, 1, 960, java.util.Arrays.copyOf(frame, n)), ALLOC);
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(out));
        assertEquals(160, p.payloadLength(), "Opus decoded to 20 ms of PCMU");
        out.release();
        byte[] ev = new byte[4];
        Rfc4733.write(ev, 0, 9, true, 10, 800); // the tablet's DTMF with the answer's 8 kHz telephone-event
        ByteBuf digit = t.inbound(packet(126, 3, 1920, ev), ALLOC);
        assertTrue(p.wrap(digit));
        assertEquals(110, p.payloadType(), "the endpoint knows one telephone-event payload type");
        byte[] got = readPayload(digit, p);
        assertEquals(9, Rfc4733.event(got, 0));
        assertEquals(800, Rfc4733.duration(got, 0), "already in 8 kHz units: not divided again");
        digit.release();
        ByteBuf pcmu = packet(0, 2, 320, new byte[160]);
        assertSame(pcmu, t.inbound(pcmu, ALLOC), "PCMU is in the answer, so the tablet may send it");
        pcmu.release();
    }

    private static byte[] readPayload(ByteBuf b, RtpPacket p) {
        byte[] out = new byte[p.payloadLength()];
        b.getBytes(p.payloadIndex(), out);
        return out;
    }
}
