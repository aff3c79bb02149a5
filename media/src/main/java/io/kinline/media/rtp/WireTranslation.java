package io.kinline.media.rtp;

import io.kinline.media.codec.Codec;
import io.kinline.media.codec.FrameCodec;
import io.kinline.media.dtmf.Rfc4733;
import io.kinline.media.sdp.WebRtcSessions.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The {@link FrameCodec} seam of a WebRTC leg: between what the wire carries (Opus at a 48 kHz RTP
 * clock, or G.711) and the 8 kHz G.711 stream its endpoint works in (PCMU, payload type 0), packet by
 * packet, keeping sequence numbers, SSRC and marker.
 *
 * <p>Why here, at the transport, rather than inside every room of the endpoint: the endpoint's rooms
 * (relay, playback, announcement, DTMF, capture, the bridge's recorder, the three-way detector) all
 * work on 8 kHz samples and G.711 payloads; translating at the edge gives them all Opus at once, with one
 * decode per received packet and one encode per sent packet, which is what a FrameCodec inside the
 * endpoint would cost too. The price is one G.711 quantisation on the way (about 38 dB SNR), which a
 * call to the PSTN pays anyway at the trunk.
 *
 * <p>Timestamps: outbound, ours times 6 (a homomorphism modulo 2^32, so wrap-around is kept);
 * inbound, the difference from the stream's first packet divided by 6 (exact for the 20 ms frames
 * browsers send; good for ±12 hours). RFC 4733 durations are scaled the same way.
 * RTCP is not translated: its RTP timestamps stay in our 8 kHz units (audio-only, no lip sync).
 *
 * <p>Opus up, G.711 down ({@link Wire#g711Downlink()}): what we send is already the wire's PCMU at 8 kHz,
 * so it goes out as it is, only its payload type set to the one the offer gave PCMU; a packet of the
 * stream keeps one clock (8 kHz) from the first to the last. Our RFC 4733 events go out with the 8 kHz
 * telephone-event, or not at all when the offer had none. A PCMU packet the tablet sends us (allowed:
 * it is in the answer) comes in unchanged.
 *
 * <p>Loop-confined. Counts what it refuses; never throws for what the network sends.
 */
final class WireTranslation {

    /** The endpoint's audio payload type: PCMU. */
    static final int INTERNAL_PT = 0;

    private final Wire wire;
    private final FrameCodec codec; // null: G.711 on the wire, nothing to transcode
    private final int factor;
    private final RtpPacket view = new RtpPacket();
    private final byte[] payload = new byte[RtpPacket.MAX_LENGTH];
    private final short[] pcm = new short[FrameCodec.MAX_FRAME_SAMPLES];
    private final byte[] event = new byte[Rfc4733.LENGTH];
    private boolean based;
    private long wireBase;
    private long internalBase;
    private long refused;

    WireTranslation(Wire wire, FrameCodec codec) {
        this.wire = wire;
        this.codec = wire.opus() ? codec : null;
        this.factor = wire.clockRate() / Codec.SAMPLE_RATE;
    }

    /** Packets that could not be translated (bad payload, odd frame length). */
    long refused() {
        return refused;
    }

    /**
     * A received (unprotected) RTP packet in the endpoint's terms: the same buffer when nothing changes,
     * else a new one (the caller releases both), or null to drop.
     */
    ByteBuf inbound(ByteBuf in, ByteBufAllocator alloc) {
        if (codec == null) {
            return in;
        }
        if (!view.wrap(in)) {
            refused++;
            return null;
        }
        long ts = internalTimestamp(view.timestamp());
        int pt = view.payloadType();
        int n = view.payloadLength();
        if (pt == wire.telephoneEventPt()) {
            return event(in, alloc, ts, false);
        }
        if (wire.g711Downlink() && pt == wire.downlinkEventPt()) {
            return eventAt8k(in, alloc, ts);
        }
        if (wire.g711Downlink() && pt == wire.downlinkPt()) {
            in.setByte(in.readerIndex() + 1, (in.getByte(in.readerIndex() + 1) & 0x80) | INTERNAL_PT);
            return in;
        }
        if (pt != wire.audioPt()) {
            refused++; // comfort noise, or a payload type we did not answer
            return null;
        }
        in.getBytes(view.payloadIndex(), payload, 0, n);
        int samples = codec.decode(payload, 0, n, pcm, 0);
        if (samples <= 0) {
            refused++;
            return null;
        }
        Codec.PCMU.encode(pcm, 0, payload, 0, samples);
        return packet(alloc, INTERNAL_PT, ts, payload, samples);
    }

    /** A packet the endpoint sends, in the wire's terms: the same buffer, a new one (this one released), or null. */
    ByteBuf outbound(ByteBuf in, ByteBufAllocator alloc) {
        if (codec == null) {
            return in;
        }
        if (wire.g711Downlink()) {
            return downlink(in);
        }
        try {
            if (!view.wrap(in)) {
                refused++;
                return null;
            }
            long ts = (view.timestamp() * factor) & 0xFFFFFFFFL;
            int pt = view.payloadType();
            int n = view.payloadLength();
            if (pt == wire.telephoneEventPt()) {
                return event(in, alloc, ts, true);
            }
            Codec from = Codec.forPayloadType(pt);
            if (from == null || !validOpusFrame(n)) {
                refused++; // Opus frames are 10, 20, 40 or 60 ms; a 30 ms trunk frame cannot be one
                return null;
            }
            in.getBytes(view.payloadIndex(), payload, 0, n);
            from.decode(payload, 0, pcm, 0, n);
            int bytes = codec.encode(pcm, 0, n, payload, 0, payload.length);
            return packet(alloc, wire.audioPt(), ts, payload, bytes);
        } finally {
            in.release();
        }
    }

    /** What we send on a G.711 downlink: our PCMU (or an event) as it is, with the wire's payload type. */
    private ByteBuf downlink(ByteBuf in) {
        int pt = view.wrap(in) ? view.payloadType() : -1;
        int wirePt = pt == INTERNAL_PT ? wire.downlinkPt() : pt == wire.telephoneEventPt() ? wire.downlinkEventPt() : -1;
        if (wirePt < 0) {
            refused++; // not PCMU (the endpoint sends nothing else), or an event with no 8 kHz telephone-event
            in.release();
            return null;
        }
        in.setByte(in.readerIndex() + 1, (in.getByte(in.readerIndex() + 1) & 0x80) | wirePt);
        return in;
    }

    /**
     * An event the tablet sent with the 8 kHz telephone-event of the answer: Chrome does when its sending
     * codec is PCMU or when it picks the lowest clock. Its duration is already in our units; it goes in with
     * the payload type the endpoint knows.
     */
    private ByteBuf eventAt8k(ByteBuf in, ByteBufAllocator alloc, long ts) {
        if (view.payloadLength() < Rfc4733.LENGTH || wire.telephoneEventPt() < 0) {
            refused++;
            return null;
        }
        in.getBytes(view.payloadIndex(), event, 0, Rfc4733.LENGTH);
        return packet(alloc, wire.telephoneEventPt(), ts, event, Rfc4733.LENGTH);
    }

    /** An RFC 4733 event (in {@link #view}) with its duration in the other clock; null (counted) if too short. */
    private ByteBuf event(ByteBuf in, ByteBufAllocator alloc, long ts, boolean toWire) {
        if (view.payloadLength() < Rfc4733.LENGTH) {
            refused++;
            return null;
        }
        in.getBytes(view.payloadIndex(), event, 0, Rfc4733.LENGTH);
        int d = Rfc4733.duration(event, 0);
        int duration = toWire ? Math.min(0xFFFF, d * factor) : d / factor;
        Rfc4733.write(event, 0, Rfc4733.event(event, 0), Rfc4733.end(event, 0), Rfc4733.volume(event, 0), duration);
        return packet(alloc, view.payloadType(), ts, event, Rfc4733.LENGTH);
    }

    private static boolean validOpusFrame(int samples) {
        return samples == 80 || samples == 160 || samples == 320 || samples == 480;
    }

    private ByteBuf packet(ByteBufAllocator alloc, int pt, long ts, byte[] data, int len) {
        ByteBuf out = alloc.ioBuffer(RtpPacket.HEADER + len + WebRtcTransport.SRTP_ROOM);
        RtpPacket.writeHeader(out, view.marker(), pt, view.sequenceNumber(), ts, view.ssrc());
        out.writeBytes(data, 0, len);
        return out;
    }

    private long internalTimestamp(long wireTs) {
        if (!based) {
            based = true;
            wireBase = wireTs;
            internalBase = wireTs / factor;
        }
        int delta = (int) (wireTs - wireBase); // signed: a reordered packet from before the first one
        return (internalBase + delta / factor) & 0xFFFFFFFFL;
    }
}
