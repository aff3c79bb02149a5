package io.kinline.sip.transport;

import io.kinline.sip.SipMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Native epoll when available, NIO otherwise. */
public final class NettyTransports {
    private NettyTransports() {
    }

    public static boolean epoll() {
        return Epoll.isAvailable();
    }

    public static EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public static Class<? extends DatagramChannel> datagramChannel() {
        return epoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Binds a listener of a stream transport (TCP, TLS, WebSocket): address reuse, no Nagle delay. */
    static Channel listen(EventLoopGroup group, InetSocketAddress address, ChannelHandler childInit)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childInit)
                .bind(address).sync().channel();
    }

    /**
     * Writes {@code msg} on {@code ch} and completes {@code sent} with the write: every transport counts a
     * message sent when it is handed to the channel and a transport error when the write fails.
     */
    static CompletableFuture<Void> write(Channel ch, Object msg, SipMetrics metrics, CompletableFuture<Void> sent) {
        metrics.sent.incrementAndGet();
        ch.writeAndFlush(msg).addListener(w -> {
            if (w.isSuccess()) {
                sent.complete(null);
            } else {
                metrics.transportErrors.incrementAndGet();
                sent.completeExceptionally(w.cause());
            }
        });
        return sent;
    }
}
