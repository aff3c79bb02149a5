package io.kinline.media.rtp;

import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One endpoint's RTCP (RFC 3550 section 6): where reports go (latched to the first source like RTP),
 * what the peer's sender reports and receiver reports told us, and when our next compound SR/RR is due.
 * Loop-confined.
 */
final class RtcpSession {

    private final SendStream out;
    private final RtpReceiverStats rx;
    private final String cname;
    private final long meanIntervalNanos;

    private InetSocketAddress sendTo;
    private InetSocketAddress latchedFrom;
    private long lastSrMiddle = -1;
    private long lastSrArrivalNanos;
    private volatile Rtcp.ReportBlock remoteReport;
    private long nextReportNanos;

    RtcpSession(SendStream out, RtpReceiverStats rx, String cname, Duration meanInterval) {
        this.out = out;
        this.rx = rx;
        this.cname = cname;
        this.meanIntervalNanos = meanInterval.toNanos();
    }

    /** The peer's last report block about our stream, or null. */
    Rtcp.ReportBlock remoteReport() {
        return remoteReport;
    }

    /** A new remote address (or the first): report there until its first RTCP packet re-latches us. */
    void remote(InetSocketAddress rtcpAddress) {
        sendTo = rtcpAddress;
        latchedFrom = null;
    }

    /** The first negotiation schedules the first report. */
    void start(long now) {
        nextReportNanos = now + interval();
    }

    /** Takes a received compound packet; returns false when it is not valid RTCP. */
    boolean onPacket(ByteBuf buf, InetSocketAddress from, long now) {
        Rtcp.Parsed p = Rtcp.parse(buf, out.ssrc());
        if (!p.valid) {
            return false;
        }
        if (latchedFrom == null) {
            latchedFrom = from;
            sendTo = from;
        } else if (!latchedFrom.equals(from)) {
            return true;
        }
        if (p.srNtpMiddle >= 0) {
            lastSrMiddle = p.srNtpMiddle;
            lastSrArrivalNanos = now;
        }
        if (p.aboutUs != null) {
            remoteReport = p.aboutUs;
        }
        return true;
    }

    /** Whether a report is due; if so, the next one is scheduled. */
    boolean due(long now) {
        if (now - nextReportNanos < 0) {
            return false;
        }
        nextReportNanos = now + interval();
        return true;
    }

    /** Sends our compound report: an SR if we have sent, else an RR; a block about the peer once it sent. */
    void report(Negotiated s, long now) {
        InetSocketAddress to = sendTo;
        if (to == null || !s.sending() && !s.receiving()) {
            return;
        }
        Rtcp.ReportBlock block = null;
        if (rx.ssrc() >= 0 && rx.received() > 0) {
            long dlsr = 0;
            long lsr = 0;
            if (lastSrMiddle >= 0) {
                lsr = lastSrMiddle;
                dlsr = (now - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
            }
            block = new Rtcp.ReportBlock(rx.ssrc(), rx.fractionLostForReport(), rx.lost(), rx.extendedMax(),
                    rx.jitterUnits(), lsr, dlsr);
        }
        ByteBuf packet = out.transport().alloc().ioBuffer(128);
        Rtcp.writeReport(packet, out.ssrc(), out.packetsSent() > 0, Rtcp.ntp(System.currentTimeMillis()),
                out.rtpTimestampAt(now), out.packetsSent(), out.octetsSent(), block, cname);
        out.transport().sendRtcp(packet, to);
    }

    private long interval() {
        // RFC 3550 6.3.1: randomise over [0.5, 1.5] x interval so that endpoints do not synchronise.
        return (long) (meanIntervalNanos * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }
}
