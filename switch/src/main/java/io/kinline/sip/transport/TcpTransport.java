package io.kinline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SIP over TCP (RFC 3261 §18) and over TLS (RFC 3261 §26: the same stream with an {@link SslHandler} below the
 * framing, so both share {@link SipFrameDecoder}'s limits), framed by {@link SipFrameDecoder}. Connections, accepted or opened, are kept in a
 * map keyed by the peer address so that responses go back over the connection the request came on and requests
 * to a peer reuse an open connection. Idle connections are closed by an {@link IdleStateHandler}.
 *
 * <p>Over TLS the switch never opens a connection: its TLS peers are gateways and clients behind NAT whose Contact
 * cannot be dialled (RFC 5626), so every request toward them rides the connection they opened (a dialog's
 * requests go to the flow, see {@link #hasConnection}); with none open, the send fails.
 */
public final class TcpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    private static final byte[] PONG = {'\r', '\n'};

    private final SipConfig config;
    private final Inbound inbound;
    private final SslContext tls;
    private final Map<InetSocketAddress, ChannelFuture> connections = new ConcurrentHashMap<>();
    private EventLoopGroup group;
    private Channel server;
    private InetSocketAddress local;

    public TcpTransport(SipConfig config, Inbound inbound) {
        this(config, inbound, null);
    }

    /** With {@code tls} non-null: SIP over TLS. */
    public TcpTransport(SipConfig config, Inbound inbound, SslContext tls) {
        this.config = config;
        this.inbound = inbound;
        this.tls = tls;
    }

    public InetSocketAddress bind(EventLoopGroup group, InetSocketAddress address) throws InterruptedException {
        this.group = group;
        server = NettyTransports.listen(group, address, new Init());
        local = new InetSocketAddress(config.effectiveAdvertisedAddress(),
                ((InetSocketAddress) server.localAddress()).getPort());
        return local;
    }

    @Override
    public String name() {
        return tls == null ? "tcp" : "tls";
    }

    @Override
    public boolean hasConnection(InetSocketAddress peer) {
        ChannelFuture cf = peer == null ? null : connections.get(peer);
        return tls != null && cf != null && cf.channel().isActive();
    }

    @Override
    public boolean reliable() {
        return true;
    }

    /** The advertised address (Via/Contact) with the bound port. */
    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    /** Number of open connections (for tests and metrics). */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public CompletableFuture<Void> send(SIPMessage message, InetSocketAddress destination) {
        byte[] bytes;
        try {
            bytes = message.encodeAsBytes(tls == null ? "TCP" : "TLS");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        inbound.metrics().count(SipMetrics.Direction.OUT, message);
        return sendRaw(bytes, destination);
    }

    @Override
    public CompletableFuture<Void> sendRaw(byte[] bytes, InetSocketAddress destination) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ChannelFuture cf = connections.get(destination);
        if (tls != null && (cf == null || !cf.channel().isActive())) {
            inbound.metrics().transportErrors.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("no TLS connection from " + destination
                    + " (the switch sends over TLS only on connections its peers opened)"));
        }
        if (cf == null || (cf.isDone() && !cf.channel().isActive())) {
            // not computeIfAbsent: connect() may complete and fire channelActive inline on this thread
            ChannelFuture fresh = connect(destination);
            ChannelFuture prev = cf == null ? connections.putIfAbsent(destination, fresh)
                    : (connections.replace(destination, cf, fresh) ? null : connections.get(destination));
            if (prev != null && prev != fresh) {
                fresh.channel().close(); // lost a race with another sender: use its connection
                cf = prev;
            } else {
                cf = fresh;
            }
        }
        ChannelFuture chosen = cf;
        chosen.addListener((ChannelFuture c) -> {
            if (!c.isSuccess() || !c.channel().isActive()) {
                connections.remove(destination, chosen);
                inbound.metrics().transportErrors.incrementAndGet();
                f.completeExceptionally(c.cause() != null ? c.cause()
                        : new IllegalStateException("connection to " + destination + " closed"));
                return;
            }
            NettyTransports.write(c.channel(), Unpooled.wrappedBuffer(bytes), inbound.metrics(), f);
        });
        return f;
    }

    private ChannelFuture connect(InetSocketAddress destination) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NettyTransports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new Init());
        return b.connect(destination);
    }

    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (ChannelFuture cf : connections.values()) {
            cf.channel().close();
        }
        connections.clear();
    }

    private final class Init extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel ch) {
            long idle = config.tcpIdleTimeout().toMillis();
            if (tls != null) {
                SslHandler ssl = tls.newHandler(ch.alloc());
                // a handshake that dribbles (slowloris) is cut at this deadline, before any SIP is read
                ssl.setHandshakeTimeoutMillis(config.secure().handshakeTimeout().toMillis());
                ch.pipeline().addLast("tls", ssl);
            }
            ch.pipeline()
                    .addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
                    .addLast("framer", new SipFrameDecoder(config.maxInitialLine(), config.maxHeaderBlock(),
                            config.maxBody()))
                    .addLast("sip", new Handler());
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private InetSocketAddress remote;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (ctx.channel().parent() != null) {
                // accepted connections register here; outbound ones were registered by sendRaw
                connections.put(remote, ctx.channel().newSucceededFuture());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (remote != null) {
                ChannelFuture cf = connections.get(remote);
                if (cf != null && cf.channel() == ctx.channel()) {
                    connections.remove(remote, cf);
                }
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof SipFrame frame)) {
                    return;
                }
                switch (frame.kind()) {
                    case MESSAGE -> inbound.onFrame(frame.bytes(), TcpTransport.this, remote);
                    case PING -> {
                        inbound.metrics().keepAlives.incrementAndGet();
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
                    }
                    case ERROR -> {
                        inbound.onFramingError(frame.bytes(), frame.status(), frame.reason(), TcpTransport.this,
                                remote);
                        // let the error response (queued on this channel) go out first, then close
                        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    }
                    default -> { }
                }
            } catch (RuntimeException e) {
                LOG.warn("TCP message from {} failed", remote, e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                LOG.debug("closing idle SIP {} connection {}", name(), remote);
                ctx.close();
            } else {
                ReferenceCountUtil.release(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inbound.metrics().transportErrors.incrementAndGet();
            LOG.debug("SIP {} connection {} failed: {}", name(), remote, cause.toString());
            ctx.close();
        }
    }
}
