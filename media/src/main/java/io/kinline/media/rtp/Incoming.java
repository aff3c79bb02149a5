package io.kinline.media.rtp;

import io.kinline.log.CallMdc;
import io.kinline.media.codec.Codec;
import io.kinline.media.dtmf.DtmfReceiver;
import io.kinline.media.dtmf.Rfc4733;
import io.kinline.media.threeway.ThreeWayMonitor;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one endpoint receives, packet by packet, with no allocation: validation, symmetric-RTP latching
 * (we answer where the peer really sends from, and drop other sources), statistics, RFC 4733 and
 * in-band DTMF, the decoded audio for whoever listens (capture, the bridge's tap, a leg's ears), and
 * the relay to the bridged partner. Loop-confined, except the volatile listener slots.
 */
final class Incoming {

    private static final Logger log = LoggerFactory.getLogger(Incoming.class);

    private final RtpEndpoint endpoint;
    private final RtpReceiverStats stats;
    private final DtmfReceiver dtmf;
    private final Capture capture;
    private final SilenceWatch silence;
    private final RtcpSession rtcp;
    private final RtpPacket rx = new RtpPacket();
    private final byte[] scratch = new byte[RtpPacket.MAX_LENGTH];
    private final short[] pcm = new short[RtpPacket.MAX_LENGTH];
    private final byte[] eventScratch = new byte[Rfc4733.LENGTH];
    private InetSocketAddress sendTo;
    private InetSocketAddress latchedFrom;
    private long droppedForeign;
    private long droppedInvalid;
    private long droppedUnknownPt;

    volatile boolean inbandDtmf;
    volatile RtpEndpoint partner;
    volatile AudioTap tap;
    volatile AudioTap ears;
    ThreeWayMonitor threeWay; // event loop only
    /** The RFC 4733 event being received (its RTP timestamp; one per key press) and whether it is relayed. */
    private long eventTs = -1;
    private boolean eventRelayed;

    Incoming(RtpEndpoint endpoint, RtpReceiverStats stats, DtmfReceiver dtmf, Capture capture, SilenceWatch silence,
            RtcpSession rtcp) {
        this.endpoint = endpoint;
        this.stats = stats;
        this.dtmf = dtmf;
        this.capture = capture;
        this.silence = silence;
        this.rtcp = rtcp;
    }

    /** Where we send RTP: the SDP address until the peer's first packet latches us to its real source. */
    InetSocketAddress sendTo() {
        return sendTo;
    }

    long droppedForeign() {
        return droppedForeign;
    }

    /** A new remote address (or the first one): send there until its first packet re-latches us. */
    void remote(InetSocketAddress rtpAddress) {
        sendTo = rtpAddress;
        latchedFrom = null;
    }

    void onRtp(Negotiated s, ByteBuf buf, InetSocketAddress from, long now) {
        if (s == null || !rx.wrap(buf)) {
            int len = buf.readableBytes();
            int pt = len >= 2 ? buf.getUnsignedByte(buf.readerIndex() + 1) : 0;
            if (s != null && pt >= Rtcp.SR && pt <= Rtcp.APP) {
                onRtcp(buf, from, now); // RTCP multiplexed on the RTP port (RFC 5761) from a peer that assumes it
            } else {
                droppedInvalid++;
            }
            return;
        }
        if (latchedFrom == null) {
            latchedFrom = from;
            if (s.remoteRtp() != null) {
                sendTo = from; // symmetric RTP: answer where the peer really sends from (NAT)
            }
            if (log.isDebugEnabled()) {
                CallMdc.run(endpoint.callId(), () -> log.debug("{} latched to {}", endpoint, from));
            }
        } else if (!latchedFrom.equals(from)) {
            droppedForeign++;
            return;
        }
        int pt = rx.payloadType();
        boolean event = pt == s.receiveTelephoneEventPt() && pt >= 0 || pt == s.sendTelephoneEventPt() && pt >= 0;
        Codec inCodec = null;
        if (!event) {
            inCodec = pt == s.sendPayloadType() ? s.codec() : Codec.forPayloadType(pt);
            if (inCodec == null) {
                droppedUnknownPt++; // comfort noise, video, or garbage payload types
                return;
            }
        }
        if (!stats.onPacket(rx.ssrc(), rx.sequenceNumber(), rx.timestamp(), now)) {
            return;
        }
        endpoint.counters().packetReceived();
        silence.onPacket(now);
        if (event) {
            if (rx.payloadLength() >= Rfc4733.LENGTH) {
                buf.getBytes(rx.payloadIndex(), eventScratch, 0, Rfc4733.LENGTH);
                dtmf.onTelephoneEvent(eventScratch, 0, Rfc4733.LENGTH, rx.timestamp(), rx.marker(), rx.ssrc());
            }
        } else {
            onAudio(buf, inCodec);
        }
        RtpEndpoint p = partner;
        if (event) {
            long ts = rx.timestamp();
            if (ts != eventTs) {
                eventTs = ts;
                // Decided once per key press, at its first packet: a key pressed before the bridge (a PIN, the
                // consent key) or while the switch speaks to this party (a prompt, a reminder) is the switch's
                // and is never relayed, not its later packets nor its end retransmissions once the bridge is up.
                eventRelayed = p != null && !endpoint.speaking();
            }
            if (!eventRelayed) {
                return;
            }
        }
        if (p != null && !endpoint.isClosed()) {
            relay(p, buf, event, inCodec, now);
        }
    }

    void onRtcp(ByteBuf buf, InetSocketAddress from, long now) {
        if (!rtcp.onPacket(buf, from, now)) {
            droppedInvalid++;
        }
    }

    /**
     * Decodes the received frame once for whoever needs PCM: capture, in-band DTMF, the bridge's tap, ears.
     * The codec seam on the way in: a leg with a {@link io.kinline.media.codec.FrameCodec} (Opus) decodes
     * here, to the same 8 kHz PCM.
     */
    private void onAudio(ByteBuf buf, Codec inCodec) {
        int n = rx.payloadLength();
        AudioTap t = tap;
        AudioTap e = ears;
        boolean inband = inbandDtmf;
        ThreeWayMonitor tw = threeWay;
        if (n == 0 || t == null && e == null && tw == null && !capture.active() && !inband) {
            return;
        }
        long ts = rx.timestamp();
        buf.getBytes(rx.payloadIndex(), scratch, 0, n);
        inCodec.decode(scratch, 0, pcm, 0, n);
        int samples = n; // G.711: one byte per sample
        if (capture.active()) {
            capture.onAudio(ts, pcm, samples);
        }
        if (inband) {
            dtmf.onAudio(pcm, 0, samples, ts, rx.ssrc());
        }
        if (tw != null) {
            // Our own prompt or announcement to this party comes back as echo: not the party's line.
            tw.announcing(endpoint.speaking());
            tw.onAudio(ts, pcm, 0, samples);
        }
        if (t != null) {
            t.onAudio(endpoint, ts, pcm, 0, samples);
        }
        if (e != null) {
            e.onAudio(endpoint, ts, pcm, 0, samples);
        }
    }

    private void relay(RtpEndpoint p, ByteBuf buf, boolean event, Codec inCodec, long now) {
        if (p.eventLoop().inEventLoop()) {
            p.relayOut(rx, event, inCodec, now);
            return;
        }
        // Endpoints of one call share a loop; this hop only happens for odd pairings.
        ByteBuf copy = buf.retainedDuplicate();
        p.eventLoop().execute(() -> {
            try {
                RtpPacket view = new RtpPacket();
                if (view.wrap(copy)) {
                    p.relayOut(view, event, inCodec, p.now());
                }
            } finally {
                copy.release();
            }
        });
    }
}
