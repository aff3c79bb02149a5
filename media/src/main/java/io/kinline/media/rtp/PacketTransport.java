package io.kinline.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * How one endpoint's packets reach the network, and the seam for a secure transport.
 *
 * <p>The endpoint builds and rewrites plain RTP and RTCP and sends them only through this interface;
 * what it receives comes only through the {@link PacketReceiver} its transport was given. Plain
 * RTP/AVP over a UDP port pair is {@link UdpPacketTransport}. SRTP, or DTLS-SRTP with ICE-lite on one
 * socket, is another implementation: it protects in {@link #sendRtp}/{@link #sendRtcp}, and answers
 * STUN, runs the DTLS handshake and unprotects before it calls the receiver, so the endpoint never
 * sees a protected or non-RTP packet.
 *
 * <p>Every method runs on the endpoint's event loop and must not block.
 */
public interface PacketTransport {

    /** The allocator for packets the endpoint builds (pooled direct buffers, as the channel's). */
    ByteBufAllocator alloc();

    /** Sends one RTP packet to {@code to}; takes ownership of {@code packet}. */
    void sendRtp(ByteBuf packet, InetSocketAddress to);

    /** Sends one compound RTCP packet to {@code to}; takes ownership of {@code packet}. */
    void sendRtcp(ByteBuf packet, InetSocketAddress to);

    /** Closes the sockets. Idempotent. */
    void close();
}
