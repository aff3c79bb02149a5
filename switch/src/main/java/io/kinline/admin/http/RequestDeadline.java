package io.kinline.admin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines for reading one request, not reset by each byte (an idle timeout is: a client sending a byte
 * every few seconds would hold the connection forever). The head must be complete within
 * {@code headerTimeout} of its first byte, or of the connection's start; the body within
 * {@code bodyTimeout} of the head. Two views share the state: {@link #bytes()} sits before the HTTP
 * codec and sees a new request begin, {@link #messages()} after it and sees the head and the end. Between
 * requests of a kept-alive connection no deadline runs: the idle timeout covers that. All on the
 * channel's event loop.
 */
final class RequestDeadline {

    static final String BYTES = "deadline-bytes";
    static final String MESSAGES = "deadline-messages";

    private enum State { HEAD, BODY, BETWEEN }

    private final long headNanos;
    private final long bodyNanos;
    private State state = State.HEAD;
    private ScheduledFuture<?> timer;

    RequestDeadline(HttpLimits limits) {
        this.headNanos = limits.headerTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
    }

    private void arm(ChannelHandlerContext ctx, long nanos) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            ctx.channel().close();
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                arm(ctx, headNanos); // a connection that never sends a whole head is closed too
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (state == State.BETWEEN) {
                    state = State.HEAD;
                    arm(ctx, headNanos);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel(); // upgraded to a WebSocket: no more HTTP requests
            }
        };
    }

    ChannelInboundHandlerAdapter messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    state = State.BODY;
                    arm(ctx, bodyNanos);
                }
                if (msg instanceof LastHttpContent) {
                    cancel();
                    state = State.BETWEEN;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }
}
