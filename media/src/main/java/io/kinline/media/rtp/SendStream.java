package io.kinline.media.rtp;

import io.kinline.media.codec.Codec;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One endpoint's outgoing RTP stream: our SSRC and our one sequence/timestamp space, whatever feeds it
 * (prompt frames, relayed packets, announcement frames, DTMF events), and the send counters RTCP
 * reports. Loop-confined.
 *
 * <p>On each change of {@link Source} the next packet gets the marker bit and a timestamp advanced by
 * the wall-clock time since the last packet. Relayed packets are mapped into our space with a
 * per-source offset, so the peer sees one continuous stream (gaps upstream stay gaps: loss is visible
 * downstream).
 */
final class SendStream {

    private final long ssrc;
    private PacketTransport transport;

    private int seq = ThreadLocalRandom.current().nextInt(0, 1 << 16);
    private long lastTs = ThreadLocalRandom.current().nextLong(0, 1L << 32);
    private long lastNanos;
    private boolean anySent;
    private Source source = Source.NONE;
    private long relayInSsrc = -1;
    private int seqDelta;
    private long tsDelta;
    private long packetsSent;
    private long octetsSent;
    private long lastRelayNanos;

    private final MediaCounters counters;

    SendStream(long ssrc) {
        this(ssrc, new MediaCounters());
    }

    SendStream(long ssrc, MediaCounters counters) {
        this.ssrc = ssrc;
        this.counters = counters;
    }

    void transport(PacketTransport t) {
        this.transport = t;
    }

    PacketTransport transport() {
        return transport;
    }

    long ssrc() {
        return ssrc;
    }

    long packetsSent() {
        return packetsSent;
    }

    long octetsSent() {
        return octetsSent;
    }

    /** When a relayed packet last went out (nanos), for "nothing relayed lately". */
    long lastRelayNanos() {
        return lastRelayNanos;
    }

    /** The next packet starts a new talk spurt (a new playlist, a new codec). */
    void newTalkSpurt() {
        source = Source.NONE;
    }

    /** Timestamp for the first packet of a new source: wall-clock continuation of our stream. */
    long tsForNewSource(long now, int frameSamples) {
        if (!anySent) {
            return lastTs;
        }
        long elapsed = (now - lastNanos) * Codec.SAMPLE_RATE / 1_000_000_000L;
        return (lastTs + Math.max(frameSamples, elapsed)) & 0xFFFFFFFFL;
    }

    /** The RTP timestamp that corresponds to {@code now}, for an RTCP sender report. */
    long rtpTimestampAt(long now) {
        return anySent ? tsForNewSource(now, 0) : lastTs;
    }

    /**
     * Sends an audio frame of our own ({@code bytes} of payload holding {@code samples}), continuing the
     * timestamp of the previous own frame from the same source.
     */
    void sendAudio(Source from, int pt, byte[] payload, int bytes, int samples, long now, InetSocketAddress to) {
        boolean marker = source != from;
        long ts = marker ? tsForNewSource(now, samples) : (lastTs + samples) & 0xFFFFFFFFL;
        send(from, pt, payload, bytes, ts, marker, to);
        lastTs = ts;
        lastNanos = now;
    }

    /** Sends one packet of our own (a DTMF event keeps one timestamp across its packets). */
    void send(Source from, int pt, byte[] payload, int len, long ts, boolean marker, InetSocketAddress to) {
        if (to == null) {
            return;
        }
        seq = (seq + 1) & 0xFFFF;
        ByteBuf out = transport.alloc().ioBuffer(RtpPacket.HEADER + len + WebRtcTransport.SRTP_ROOM);
        RtpPacket.writeHeader(out, marker, pt, seq, ts, ssrc);
        out.writeBytes(payload, 0, len);
        source = from;
        relayInSsrc = -1;
        anySent = true;
        packetsSent++;
        counters.packetSent();
        octetsSent += len;
        transport.sendRtp(out, to);
    }

    /** An event we sent reaches {@code ts} at {@code now}: the next source continues after it. */
    void advanceTo(long ts, long now) {
        lastTs = ts & 0xFFFFFFFFL;
        lastNanos = now;
    }

    /**
     * Relays a packet the partner received: rewrites its header in place into our space (sequence,
     * timestamp, SSRC, marker at a change of source) and sends the same buffer on.
     *
     * @param payloadSamples the payload's samples (0 for an event), for the timestamp of a new source
     */
    void relay(RtpPacket p, int payloadBytes, int payloadSamples, long now, InetSocketAddress to) {
        long inSsrc = p.ssrc();
        boolean marker = p.marker();
        if (source != Source.RELAY || inSsrc != relayInSsrc) {
            long ts = tsForNewSource(now, payloadSamples > 0 ? payloadSamples : 160);
            seqDelta = (seq + 1 - p.sequenceNumber()) & 0xFFFF;
            tsDelta = ts - p.timestamp();
            source = Source.RELAY;
            relayInSsrc = inSsrc;
            marker = true;
        }
        int outSeq = (p.sequenceNumber() + seqDelta) & 0xFFFF;
        long ts = (p.timestamp() + tsDelta) & 0xFFFFFFFFL;
        p.setSequenceNumber(outSeq);
        p.setTimestamp(ts);
        p.setSsrc(ssrc);
        p.setMarker(marker);
        if (((outSeq - seq) & 0xFFFF) < 0x8000) {
            seq = outSeq; // keep the highest we sent, so our own packets continue after it
        }
        if (((int) (ts - lastTs)) > 0 || !anySent) {
            lastTs = ts;
        }
        lastNanos = now;
        anySent = true;
        lastRelayNanos = now;
        packetsSent++;
        counters.packetSent();
        octetsSent += payloadBytes;
        transport.sendRtp(p.buffer().retainedSlice(p.offset(), p.length()), to);
    }
}
