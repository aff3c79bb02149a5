package io.kinline.admin.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks the token of a request that carries a body <em>before</em> the body is read: the aggregator
 * behind this handler buffers up to the body limit (1 MiB), which an anonymous caller must not be able to
 * make the server hold. A request with a body and no valid token gets 401 and the connection is closed
 * with the body unread. Requests without a body pass straight through (the dispatcher authenticates
 * them as usual), and so does everything once the token is known to be good.
 *
 * <p>The check may touch the database, so it runs on a virtual thread while reading from the socket is
 * paused; what the codec had already decoded from the last read waits here (at most one read's worth).
 * Loop-confined state.
 */
final class AuthGate extends ChannelInboundHandlerAdapter {

    static final String NAME = "authGate";
    /** One socket read decodes into a few messages; more while paused means something is wrong. */
    private static final int MAX_PENDING = 256;

    /** Reports a failed authentication (rate-limited logging). */
    public interface Failures {
        void failed(Object remote, String why, String what);
    }

    /**
     * The only bodies an anonymous caller may send: the console's sign-in form and sign-out form (whose session
     * may have ended meanwhile), a few hundred bytes each.
     */
    static final String SIGN_IN_PATH = "/console/login";
    static final String SIGN_OUT_PATH = "/console/logout";
    static final int MAX_SIGN_IN_BODY = 4096;

    private final Authenticator authenticator;
    private final Executor executor;
    private final Failures failures;
    private final java.util.function.Supplier<SessionAuthenticator> sessions;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private boolean checking;
    private boolean refused;

    AuthGate(Authenticator authenticator, Executor executor, Failures failures,
             java.util.function.Supplier<SessionAuthenticator> sessions) {
        this.authenticator = authenticator;
        this.executor = executor;
        this.failures = failures;
        this.sessions = sessions;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(msg);
        if (pending.size() > MAX_PENDING) {
            refuse(ctx, null, ApiException.malformed("too much data while the token is checked"));
            return;
        }
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        Object m;
        while (!checking && !refused && (m = pending.poll()) != null) {
            if (m instanceof HttpRequest req && req.decoderResult().isSuccess() && hasBody(req)) {
                check(ctx, req);
                return;
            }
            ctx.fireChannelRead(m);
        }
    }

    private static boolean hasBody(HttpRequest req) {
        return HttpUtil.getContentLength(req, -1L) > 0 || HttpUtil.isTransferEncodingChunked(req);
    }

    private void check(ChannelHandlerContext ctx, HttpRequest req) {
        if (req.headers().get(HttpHeaderNames.AUTHORIZATION) == null) {
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            if (SIGN_IN_PATH.equals(path) || SIGN_OUT_PATH.equals(path)) {
                long len = HttpUtil.getContentLength(req, -1L);
                if (len < 0 || len > MAX_SIGN_IN_BODY) {
                    refuse(ctx, req, ApiException.tooLarge(MAX_SIGN_IN_BODY));
                    return;
                }
                ctx.fireChannelRead(req);
                drain(ctx);
                return;
            }
            // A console session lives in memory: checking its cookie here costs a hash, not a query.
            if (SessionCookies.sessionId(req.headers()).flatMap(sessions.get()::authenticate).isPresent()) {
                ctx.fireChannelRead(req);
                drain(ctx);
                return;
            }
        }
        String token;
        try {
            token = Bearer.token(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        } catch (ApiException e) {
            failures.failed(ctx.channel().remoteAddress(), e.detail(), req.method() + " " + req.uri());
            refuse(ctx, req, e);
            return;
        }
        checking = true;
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> {
                boolean ok;
                try {
                    ok = authenticator.authenticate(token).isPresent();
                } catch (RuntimeException e) {
                    ok = false; // the dispatcher would answer 500; here we only know not to read the body
                }
                boolean valid = ok;
                ctx.executor().execute(() -> resume(ctx, req, valid));
            });
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(req);
            ctx.close();
        }
    }

    private void resume(ChannelHandlerContext ctx, HttpRequest req, boolean valid) {
        checking = false;
        if (!valid) {
            failures.failed(ctx.channel().remoteAddress(), "invalid, expired or revoked token",
                    req.method() + " " + req.uri());
            refuse(ctx, req, ApiException.unauthorized("invalid, expired or revoked token"));
            return;
        }
        ctx.fireChannelRead(req);
        ctx.channel().config().setAutoRead(true);
        drain(ctx);
    }

    /** 401 (or the given problem), Connection: close, and nothing more is read. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest req, ApiException e) {
        refused = true;
        String path = req == null ? null : req.uri();
        ReferenceCountUtil.release(req);
        Object m;
        while ((m = pending.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        ctx.channel().config().setAutoRead(false);
        int q = path == null ? -1 : path.indexOf('?');
        ResponseRenderer.Outgoing out = ResponseRenderer.problem(e, q < 0 ? path : path.substring(0, q));
        out.head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(out.head()).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object m;
        while ((m = pending.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }
}
