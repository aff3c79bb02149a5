package io.kinline.admin.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Per-connection handler. On the event loop it only copies the request out of its buffers and, later,
 * writes the rendered response. Routing, authentication, JDBC and rendering run on a virtual thread.
 *
 * <p>Requests on one connection are processed strictly one after another (a chain of futures), so
 * pipelined requests are answered in order and a pipelined POST is visible to the GET behind it. When too
 * many requests are queued, reading from the socket is paused until the backlog drains.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final int MAX_QUEUED = 16;
    private static final int MAX_URI_LENGTH = 4096;

    private final Dispatcher dispatcher;
    private final Executor executor;
    /** Only touched on the event loop. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int queued;

    AdminHttpHandler(Dispatcher dispatcher, Executor executor) {
        this.dispatcher = dispatcher;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            writeAndClose(ctx, ApiException.malformed("unparseable HTTP request"));
            return;
        }
        ApiRequest request;
        try {
            if (req.uri().length() > MAX_URI_LENGTH) {
                throw ApiException.malformed("URI too long");
            }
            QueryStringDecoder qsd = new QueryStringDecoder(req.uri());
            Map<String, List<String>> params = qsd.parameters();
            request = new ApiRequest(req.method().name(), qsd.rawPath(), params, req.headers().copy(),
                    ByteBufUtil.getBytes(req.content()), ctx.channel().remoteAddress());
        } catch (ApiException e) {
            writeAndClose(ctx, e);
            return;
        } catch (IllegalArgumentException e) { // bad percent-encoding in the query
            writeAndClose(ctx, ApiException.malformed("bad query string"));
            return;
        }
        if (++queued >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
        // The write is queued on the event loop before the next request of this connection starts, and
        // event-loop tasks run in order, so responses leave in request order.
        tail = tail
                .thenApplyAsync(v -> ResponseRenderer.render(dispatcher.dispatch(request)), executor)
                .thenAccept(out -> {
                    try {
                        ctx.executor().execute(() -> write(ctx, out));
                    } catch (RejectedExecutionException e) { // server shutting down
                        discard(out);
                    }
                })
                .exceptionally(t -> {
                    log.warn("admin API request on {} could not be completed", ctx.channel(), t);
                    ctx.close();
                    return null;
                });
    }

    private void write(ChannelHandlerContext ctx, ResponseRenderer.Outgoing out) {
        if (out.body() == null) {
            ctx.writeAndFlush(out.head());
        } else {
            ctx.write(out.head());
            // HttpChunkedInput ends with LastHttpContent, which is what the keep-alive handler waits for.
            ctx.writeAndFlush(out.body());
        }
        if (--queued < MAX_QUEUED && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static void discard(ResponseRenderer.Outgoing out) {
        ReferenceCountUtil.release(out.head());
        if (out.body() != null) {
            try {
                out.body().close();
            } catch (Exception e) {
                log.debug("closing an unsent file body failed", e);
            }
        }
    }

    private static void writeAndClose(ChannelHandlerContext ctx, ApiException e) {
        ResponseRenderer.Outgoing out = ResponseRenderer.problem(e, null);
        out.head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(out.head()).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin API connection {} failed", ctx.channel(), cause);
        ctx.close();
    }

}
