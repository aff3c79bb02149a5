package io.kinline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * SIP over UDP (RFC 3261 §18): one datagram is one message. Content-Length larger than the datagram is a 400;
 * shorter truncates the body (§18.3). Bare CRLFs are keep-alives and ignored (RFC 5626 §3.5.1).
 */
public final class UdpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    private final SipConfig config;
    private final Inbound inbound;
    private Channel channel;
    private InetSocketAddress local;

    public UdpTransport(SipConfig config, Inbound inbound) {
        this.config = config;
        this.inbound = inbound;
    }

    public InetSocketAddress bind(EventLoopGroup group, InetSocketAddress address) throws InterruptedException {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NettyTransports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                // Netty's default datagram buffer is 2 KiB and silently truncates; a SIP datagram may be 64 KiB
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536))
                .handler(new Handler());
        channel = b.bind(address).sync().channel();
        local = new InetSocketAddress(config.effectiveAdvertisedAddress(),
                ((InetSocketAddress) channel.localAddress()).getPort());
        return local;
    }

    @Override
    public String name() {
        return "udp";
    }

    @Override
    public boolean reliable() {
        return false;
    }

    /** The advertised address (Via/Contact) with the bound port. */
    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public CompletableFuture<Void> send(SIPMessage message, InetSocketAddress destination) {
        byte[] bytes;
        try {
            bytes = message.encodeAsBytes("UDP");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        inbound.metrics().count(SipMetrics.Direction.OUT, message);
        return sendRaw(bytes, destination);
    }

    @Override
    public CompletableFuture<Void> sendRaw(byte[] bytes, InetSocketAddress destination) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            f.completeExceptionally(new IllegalStateException("UDP transport closed"));
            return f;
        }
        return NettyTransports.write(ch, new DatagramPacket(Unpooled.wrappedBuffer(bytes), destination),
                inbound.metrics(), f);
    }

    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }

    /** Frames one datagram; package-private for tests. */
    void onDatagram(ByteBuf content, InetSocketAddress sender) {
        int len = content.readableBytes();
        int maxTotal = config.maxHeaderBlock() + config.maxBody() + 4;
        if (len > maxTotal) {
            byte[] head = ByteBufUtil.getBytes(content, content.readerIndex(), config.maxHeaderBlock());
            inbound.onFramingError(head, 513, "Message Too Large", this, sender);
            return;
        }
        byte[] b = ByteBufUtil.getBytes(content);
        int start = 0;
        while (start < len && (b[start] == '\r' || b[start] == '\n')) {
            start++;
        }
        if (start == len) {
            inbound.metrics().keepAlives.incrementAndGet();
            return;
        }
        int eol = SipFraming.lineEnd(b, start, len);
        if ((eol < 0 ? len : eol) - start > config.maxInitialLine()) {
            inbound.onFramingError(slice(b, start, Math.min(len, start + config.maxHeaderBlock())), 513,
                    "Message Too Large - Initial line too long", this, sender);
            return;
        }
        int hend = SipFraming.headerEnd(b, start, len);
        if (hend < 0) {
            if (len - start > config.maxHeaderBlock()) {
                inbound.onFramingError(slice(b, start, start + config.maxHeaderBlock()), 513,
                        "Message Too Large - Header block too large", this, sender);
            } else {
                inbound.onFrame(slice(b, start, len), this, sender); // the parser reports it truncated
            }
            return;
        }
        if (hend - start > config.maxHeaderBlock()) {
            inbound.onFramingError(slice(b, start, hend), 513, "Message Too Large - Header block too large",
                    this, sender);
            return;
        }
        int cl = SipFraming.contentLength(b, start, hend);
        int available = len - hend;
        if (cl == SipFraming.BAD_CONTENT_LENGTH) {
            inbound.onFramingError(slice(b, start, hend), 400, "Bad Request - Invalid Content-Length", this, sender);
            return;
        }
        if (cl == SipFraming.CONFLICTING_CONTENT_LENGTH) {
            inbound.onFramingError(slice(b, start, hend), 400, SipFraming.CONFLICTING_REASON, this, sender);
            return;
        }
        if (cl == SipFraming.NO_CONTENT_LENGTH) {
            cl = available;
        }
        if (cl > available) {
            inbound.onFramingError(slice(b, start, hend), 400,
                    "Bad Request - Content-Length larger than message", this, sender);
            return;
        }
        if (cl > config.maxBody()) {
            inbound.onFramingError(slice(b, start, hend), 513, "Message Too Large - Body too large", this, sender);
            return;
        }
        inbound.onFrame(start == 0 && hend + cl == len ? b : slice(b, start, hend + cl), this, sender);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        byte[] r = new byte[to - from];
        System.arraycopy(b, from, r, 0, r.length);
        return r;
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            try {
                onDatagram(packet.content(), packet.sender());
            } catch (RuntimeException e) {
                inbound.metrics().malformedDropped.incrementAndGet();
                LOG.warn("UDP datagram from {} failed", packet.sender(), e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP unreachable and the like: never let it reach the tail or close the socket
            inbound.metrics().transportErrors.incrementAndGet();
            LOG.debug("UDP channel exception", cause);
        }
    }
}
