package io.kinline.admin.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Netty HTTP/1.1 server under the admin API: epoll when available, else NIO. It knows nothing of the
 * endpoints; it feeds a {@link Dispatcher} on virtual threads.
 */
public final class AdminHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 16 * 1024;
    private static final int MAX_CHUNK = 16 * 1024;
    private static final int IDLE_SECONDS = 120;
    /** Handlers that only make sense for HTTP requests; a WebSocket upgrade removes them. */
    static final java.util.List<String> HTTP_ONLY = java.util.List.of(RequestDeadline.BYTES, RequestDeadline.MESSAGES,
            "keepAlive", AuthGate.NAME, "chunked", "api");

    private final String host;
    private final int port;
    private final int maxBodyBytes;
    private final HttpLimits limits;
    private final Authenticator authenticator;
    private final Dispatcher dispatcher;
    private final ConnectionLimiter connections;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private EventLoopGroup group;
    private Channel serverChannel;
    private volatile ListenHandler.Service listen;

    public AdminHttpServer(String host, int port, int maxBodyBytes, Router router, Authenticator authenticator,
                           MeterRegistry registry) {
        this(host, port, maxBodyBytes, HttpLimits.DEFAULTS, router, authenticator, registry);
    }

    public AdminHttpServer(String host, int port, int maxBodyBytes, HttpLimits limits, Router router,
                           Authenticator authenticator, MeterRegistry registry) {
        this.host = host;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
        this.authenticator = authenticator;
        this.dispatcher = new Dispatcher(router, authenticator, registry);
        this.connections = new ConnectionLimiter(limits);
    }

    /** The dispatcher, to plug in refusal auditing and idempotency before {@link #start()}. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.open();
    }

    /** Serves {@code GET /api/calls/{callId}/listen} as a WebSocket (set before {@link #start()}). */
    public AdminHttpServer listen(ListenHandler.Service service) {
        this.listen = service;
        return this;
    }

    public synchronized InetSocketAddress start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // The API is light: one event-loop thread is plenty, the work happens on virtual threads.
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kinline-admin", true), io);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!connections.admit(ch)) {
                                return;
                            }
                            RequestDeadline deadline = new RequestDeadline(limits);
                            ch.pipeline()
                                    .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS) {
                                        @Override
                                        protected void channelIdle(ChannelHandlerContext ctx,
                                                                   io.netty.handler.timeout.IdleStateEvent e) {
                                            ctx.close();
                                        }
                                    })
                                    .addLast(RequestDeadline.BYTES, deadline.bytes())
                                    .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK))
                                    .addLast(RequestDeadline.MESSAGES, deadline.messages())
                                    .addLast("keepAlive", new HttpServerKeepAliveHandler())
                                    .addLast(AuthGate.NAME, new AuthGate(authenticator, executor, dispatcher::authFailed,
                                            dispatcher::sessions))
                                    .addLast("aggregator", new ProblemAggregator(maxBodyBytes))
                                    .addLast("chunked", new ChunkedWriteHandler())
                                    .addLast("api", new AdminHttpHandler(dispatcher, executor));
                            ListenHandler.Service l = listen;
                            if (l != null) {
                                ch.pipeline().addBefore("api", "listen", new ListenHandler(l, executor));
                            }
                        }
                    });
            serverChannel = b.bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw e;
        }
        InetSocketAddress addr = (InetSocketAddress) serverChannel.localAddress();
        log.info("admin API listening on http://{}:{} ({})", addr.getHostString(), addr.getPort(),
                epoll ? "epoll" : "nio");
        return addr;
    }

    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Answers an oversized body with a problem-details 413 instead of Netty's bare one. */
    static final class ProblemAggregator extends HttpObjectAggregator {
        private final int max;

        ProblemAggregator(int max) {
            super(max);
            this.max = max;
        }

        /**
         * {@code Expect: 100-continue} with a too-large Content-Length (curl does this for big bodies) is
         * refused before the body is sent; Netty's answer has no body, so substitute a problem document.
         */
        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object r = super.newContinueResponse(start, maxContentLength, pipeline);
            if (r instanceof HttpResponse res && res.status().code() == 413 && start instanceof HttpRequest req) {
                ReferenceCountUtil.release(r);
                ResponseRenderer.Outgoing out = ResponseRenderer.problem(ApiException.tooLarge(max), req.uri());
                out.head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                return out.head();
            }
            return r;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            if (!(oversized instanceof HttpRequest req)) {
                ctx.close();
                return;
            }
            ResponseRenderer.Outgoing out = ResponseRenderer.problem(ApiException.tooLarge(max), req.uri());
            // If the length was announced and the client keeps the connection, keep it and let the
            // aggregator discard the rest of the body; otherwise we cannot find the next request: close.
            boolean keep = HttpUtil.isContentLengthSet(req) && HttpUtil.isKeepAlive(req)
                    && !HttpUtil.is100ContinueExpected(req);
            if (keep) {
                ctx.writeAndFlush(out.head()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            } else {
                out.head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(out.head()).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
