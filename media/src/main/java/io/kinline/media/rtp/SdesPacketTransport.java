package io.kinline.media.rtp;

import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpResult;
import io.kinline.media.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * SRTP with SDES keys (RFC 4568) over the endpoint's plain UDP port pair: protects what the endpoint sends, and
 * unprotects what arrives before the endpoint sees it. A packet that fails (forged, replayed, garbled) is dropped
 * and counted; it never reaches the jitter statistics, DTMF or the recording. Loop-confined, like the endpoint.
 */
final class SdesPacketTransport implements PacketTransport, PacketReceiver {
    private final PacketTransport plain;
    private final PacketReceiver endpoint;
    private final SrtpSender sender;
    private final SrtpReceiver receiver;
    private long unprotected;
    private long dropped;
    private final long[] why = new long[SrtpResult.values().length];
    private long rtcpDropped;
    private long sendFailures;

    SdesPacketTransport(PacketTransport plain, PacketReceiver endpoint, SrtpSender sender, SrtpReceiver receiver) {
        this.plain = plain;
        this.endpoint = endpoint;
        this.sender = sender;
        this.receiver = receiver;
    }

    @Override
    public ByteBufAllocator alloc() {
        return plain.alloc();
    }

    @Override
    public void sendRtp(ByteBuf packet, InetSocketAddress to) {
        if (sender.protectRtp(packet) == SrtpResult.OK) {
            plain.sendRtp(packet, to);
        } else {
            sendFailures++;
            packet.release();
        }
    }

    @Override
    public void sendRtcp(ByteBuf packet, InetSocketAddress to) {
        if (sender.protectRtcp(packet) == SrtpResult.OK) {
            plain.sendRtcp(packet, to);
        } else {
            sendFailures++;
            packet.release();
        }
    }

    @Override
    public void onRtp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
        SrtpResult r = receiver.unprotectRtp(packet);
        if (r == SrtpResult.OK) {
            unprotected++;
            endpoint.onRtp(packet, from, nowNanos);
        } else {
            dropped++;
            why[r.ordinal()]++;
        }
    }

    @Override
    public void onRtcp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
        SrtpResult r = receiver.unprotectRtcp(packet);
        if (r == SrtpResult.OK) {
            unprotected++;
            endpoint.onRtcp(packet, from, nowNanos);
        } else {
            dropped++;
            rtcpDropped++;
            why[r.ordinal()]++;
        }
    }

    @Override
    public void close() {
        plain.close();
    }

    /** "SRTP in 1234 ok, 0 dropped; out 0 failed": for the endpoint's end-of-call log line. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("SRTP in ").append(unprotected).append(" ok, ").append(dropped)
                .append(" dropped");
        for (SrtpResult r : SrtpResult.values()) {
            if (why[r.ordinal()] > 0) {
                b.append(' ').append(r).append('=').append(why[r.ordinal()]);
            }
        }
        return b.append(" (").append(rtcpDropped).append(" of them RTCP); out ").append(sendFailures).append(" failed").toString();
    }

    long unprotected() {
        return unprotected;
    }

    long dropped() {
        return dropped;
    }
}
