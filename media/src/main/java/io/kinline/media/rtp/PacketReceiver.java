package io.kinline.media.rtp;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * What a {@link PacketTransport} hands received plain (unprotected) packets to: one endpoint. Called on
 * the endpoint's event loop; the packet is only borrowed for the call (the caller releases it).
 */
public interface PacketReceiver {

    /** An RTP packet (or RTCP multiplexed on the RTP port, RFC 5761), arrived at {@code nowNanos}. */
    void onRtp(ByteBuf packet, InetSocketAddress from, long nowNanos);

    /** A compound RTCP packet, arrived at {@code nowNanos}. */
    void onRtcp(ByteBuf packet, InetSocketAddress from, long nowNanos);
}
