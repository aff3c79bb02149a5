package io.kinline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipMetrics;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SIP over WebSocket (RFC 7118), server side: WSS (with {@code tls}) or plain WS (loopback only, for tests).
 *
 * <p>Each WebSocket message is one SIP message (text or binary frames; we send text). The upgrade must ask for the
 * {@code sip} subprotocol ({@link SipUpgradeGuard} answers anything else with an HTTP error before the
 * handshake); frames are bounded by {@link io.kinline.sip.SecureTransports#maxFrame()} (a bigger one closes with
 * 1009) and the SIP parser's own limits apply to what is inside. The switch cannot open a WebSocket, so every
 * response and request toward a client rides the connection the client opened, found by its remote address.
 */
public final class WebSocketTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

    private final SipConfig config;
    private final Inbound inbound;
    private final SslContext tls;
    private final Map<InetSocketAddress, Channel> connections = new ConcurrentHashMap<>();
    private Channel server;
    private InetSocketAddress local;

    /** With {@code tls} null: plain WS (the caller has checked the address is loopback). */
    public WebSocketTransport(SipConfig config, Inbound inbound, SslContext tls) {
        this.config = config;
        this.inbound = inbound;
        this.tls = tls;
    }

    public InetSocketAddress bind(EventLoopGroup group, InetSocketAddress address) throws InterruptedException {
        server = NettyTransports.listen(group, address, new Init());
        local = new InetSocketAddress(config.effectiveAdvertisedAddress(),
                ((InetSocketAddress) server.localAddress()).getPort());
        return local;
    }

    @Override
    public String name() {
        return tls == null ? "ws" : "wss";
    }

    @Override
    public String uriTransport() {
        return "ws";
    }

    @Override
    public boolean reliable() {
        return true;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean hasConnection(InetSocketAddress peer) {
        Channel ch = peer == null ? null : connections.get(peer);
        return ch != null && ch.isActive();
    }

    /** Open WebSocket sessions (upgrade done). */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public CompletableFuture<Void> send(SIPMessage message, InetSocketAddress destination) {
        byte[] bytes;
        try {
            bytes = message.encodeAsBytes(name().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        inbound.metrics().count(SipMetrics.Direction.OUT, message);
        return sendRaw(bytes, destination);
    }

    @Override
    public CompletableFuture<Void> sendRaw(byte[] bytes, InetSocketAddress destination) {
        Channel ch = connections.get(destination);
        if (ch == null || !ch.isActive()) {
            inbound.metrics().transportErrors.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("no WebSocket connection from "
                    + destination));
        }
        return NettyTransports.write(ch, new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)), inbound.metrics(),
                new CompletableFuture<>());
    }

    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (Channel ch : connections.values()) {
            ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.SERVICE_RESTART)).addListener(c -> ch.close());
        }
        connections.clear();
    }

    private final class Init extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel ch) {
            var s = config.secure();
            long handshake = s.handshakeTimeout().toMillis();
            if (tls != null) {
                SslHandler ssl = tls.newHandler(ch.alloc());
                ssl.setHandshakeTimeoutMillis(handshake);
                ch.pipeline().addLast("tls", ssl);
            }
            WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/")
                    .checkStartsWith(true)
                    .subprotocols("sip")
                    .handshakeTimeoutMillis(handshake)
                    .dropPongFrames(true)
                    // every close we initiate sends its own status (1009, 1002 from the decoder, 1001...): no second
                    .sendCloseFrame(null)
                    .decoderConfig(WebSocketDecoderConfig.newBuilder()
                            .maxFramePayloadLength(s.maxFrame())
                            .allowExtensions(false)
                            .closeOnProtocolViolation(true)
                            .build())
                    .build();
            long ping = s.pingInterval().toMillis();
            ch.pipeline()
                    // reader idle closes (the peer is gone or silent past the TCP idle timeout); writer idle pings
                    .addLast("idle", new IdleStateHandler(config.tcpIdleTimeout().toMillis(), ping, 0,
                            TimeUnit.MILLISECONDS))
                    .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                    // the upgrade request has no body: anything longer is not a SIP client
                    .addLast("aggregate", new HttpObjectAggregator(1024))
                    .addLast("guard", new SipUpgradeGuard())
                    .addLast("ws", new WebSocketServerProtocolHandler(ws))
                    .addLast("sip", new Handler());
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private InetSocketAddress remote;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                remote = (InetSocketAddress) ctx.channel().remoteAddress();
                connections.put(remote, ctx.channel());
                ctx.pipeline().remove("guard"); // the handshaker has removed the aggregator itself
            } else if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE && remote != null) {
                    ctx.writeAndFlush(new PingWebSocketFrame());
                } else if (idle.state() == IdleState.READER_IDLE) {
                    LOG.debug("closing idle SIP {} connection {}", name(), ctx.channel().remoteAddress());
                    ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "idle"))
                            .addListener(c -> ctx.close());
                }
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (remote == null) {
                return;
            }
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                if (!frame.isFinalFragment()) {
                    // RFC 7118 §5: one SIP message per WebSocket message; we take no fragmented messages
                    ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                            "fragmented messages are not accepted")).addListener(c -> ctx.close());
                    return;
                }
                byte[] bytes = ByteBufUtil.getBytes(frame.content());
                if (isKeepAlive(bytes)) {
                    inbound.metrics().keepAlives.incrementAndGet();
                    return;
                }
                inbound.onFrame(bytes, WebSocketTransport.this, remote);
            } else if (!(frame instanceof CloseWebSocketFrame)) {
                // continuation frames of a message we refused: the connection is closing anyway
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (remote != null) {
                connections.remove(remote, ctx.channel());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inbound.metrics().transportErrors.incrementAndGet();
            LOG.debug("SIP {} connection {} failed: {}", name(), ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** A CRLF (or CRLFCRLF) message is a keep-alive some clients send (RFC 5626 §3.5.1 style); never a SIP message. */
    private static boolean isKeepAlive(byte[] b) {
        return b.length <= 4 && new String(b, StandardCharsets.US_ASCII).isBlank();
    }
}
