package io.kinline.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain RTP/AVP: RTP on an even UDP port, RTCP on the next one, each a Netty datagram channel on the
 * endpoint's event loop. Sending writes with the void promise (no future per packet).
 */
final class UdpPacketTransport implements PacketTransport {

    private static final Logger log = LoggerFactory.getLogger(UdpPacketTransport.class);

    private final Channel rtp;
    private final Channel rtcp;

    UdpPacketTransport(Channel rtp, Channel rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    /** The inbound handler of the RTP (or RTCP) socket: every datagram to {@code receiver}, stamped with {@code clock}. */
    static SimpleChannelInboundHandler<DatagramPacket> handler(PacketReceiver receiver, LongSupplier clock,
            boolean isRtp, int port) {
        return new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                if (isRtp) {
                    receiver.onRtp(msg.content(), msg.sender(), clock.getAsLong());
                } else {
                    receiver.onRtcp(msg.content(), msg.sender(), clock.getAsLong());
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                log.debug("{} socket {} error: {}", isRtp ? "RTP" : "RTCP", port, cause.toString());
            }
        };
    }

    @Override
    public ByteBufAllocator alloc() {
        return rtp.alloc();
    }

    @Override
    public void sendRtp(ByteBuf packet, InetSocketAddress to) {
        rtp.writeAndFlush(new DatagramPacket(packet, to), rtp.voidPromise());
    }

    @Override
    public void sendRtcp(ByteBuf packet, InetSocketAddress to) {
        rtcp.writeAndFlush(new DatagramPacket(packet, to), rtcp.voidPromise());
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }
}
