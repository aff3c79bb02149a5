package io.kinline.admin.http;

import io.kinline.admin.CallMonitoring;
import io.kinline.admin.Principal;
import io.kinline.admin.Role;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/calls/{callId}/listen}: a live call's audio over a WebSocket, for investigators and
 * admins. Sits in front of the HTTP handler and lets every other request through.
 *
 * <p>Authentication, the role check, the call lookup and the audit writes run on a virtual thread
 * (they may touch the database); the handshake and the frames run on the connection's event loop. A
 * refused request gets an ordinary problem-details response (401, 403, 404, 400) and no upgrade.
 *
 * <p>Audio arrives from the media event loop every 20 ms. It is never queued without bound: when more
 * than {@value ListenSession#MAX_IN_FLIGHT} frames (one second) are unwritten or the socket is not writable, the
 * frame is dropped and counted, so a slow listener can never hold up the call's media.
 */
public final class ListenHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ListenHandler.class);
    static final Pattern PATH = Pattern.compile("^/api/calls/([^/]+)/listen/?$");
    static final Set<Role> ROLES = EnumSet.of(Role.ADMIN, Role.INVESTIGATOR);
    private static final int MAX_CALL_ID = 256;
    /** Inbound frames are only close and ping: tiny. */
    private static final int MAX_FRAME_PAYLOAD = 8 * 1024;

    /** Writes one audit line (may block: JDBC). */
    @FunctionalInterface
    public interface Auditor {
        void record(Principal who, String action, String target, Map<String, ?> details);
    }

    /**
     * What the handler needs from the admin server.
     *
     * @param facilityOf the facility of a live call, for facility-limited tokens (empty: unknown)
     * @param failures   where failed authentications are reported (rate-limited log)
     */
    public record Service(Authenticator authenticator, Supplier<CallMonitoring> monitoring, Auditor audit,
                          ListenSessions sessions, Function<String, Optional<String>> facilityOf,
                          AuthGate.Failures failures, Supplier<SessionAuthenticator> consoleSessions) {
        /** Without console sessions (bearer tokens only). */
        public Service(Authenticator authenticator, Supplier<CallMonitoring> monitoring, Auditor audit,
                       ListenSessions sessions, Function<String, Optional<String>> facilityOf,
                       AuthGate.Failures failures) {
            this(authenticator, monitoring, audit, sessions, facilityOf, failures, () -> SessionAuthenticator.NONE);
        }
    }

    private final Service service;
    private final Executor executor;
    /** Set once upgraded; loop-confined afterwards. */
    private ListenSession session;

    public ListenHandler(Service service, Executor executor) {
        this.service = service;
        this.executor = executor;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (session != null) {
            onFrame(ctx, msg);
            return;
        }
        if (!(msg instanceof FullHttpRequest req) || !req.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder qsd;
        Matcher m;
        try {
            qsd = new QueryStringDecoder(req.uri());
            m = PATH.matcher(qsd.rawPath());
        } catch (IllegalArgumentException e) {
            ctx.fireChannelRead(msg); // the HTTP handler reports bad URIs
            return;
        }
        if (!m.matches()) {
            ctx.fireChannelRead(msg);
            return;
        }
        String rawCallId = m.group(1);
        // No further requests on this connection until we know whether it becomes a WebSocket.
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> prepare(ctx, req, qsd, rawCallId));
        } catch (RejectedExecutionException e) {
            req.release();
            ctx.close();
        }
    }

    /**
     * On a virtual thread: who (first: a caller without a token learns nothing about this path, not even
     * its method), may they, which call, then hand the upgrade to the loop. Every refusal of an
     * authenticated caller is audited; the start is audited before any audio flows, and if that audit line
     * cannot be written the listen is refused (fail closed).
     */
    private void prepare(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qsd, String rawCallId) {
        String path = qsd.rawPath();
        ListenSessions.Slot slot = null;
        try {
            Principal who = authenticate(ctx, req, qsd);
            if (!HttpMethod.GET.equals(req.method())) {
                throw ApiException.methodNotAllowed(List.of("GET"));
            }
            String callId;
            try {
                callId = QueryStringDecoder.decodeComponent(rawCallId);
            } catch (IllegalArgumentException e) {
                throw ApiException.malformed("bad call id");
            }
            MDC.put("callId", callId);
            if (!ROLES.contains(who.role())) {
                refused(who, callId, "role");
                throw ApiException.forbidden("role " + who.role() + " may not listen to calls");
            }
            if (callId.length() > MAX_CALL_ID) {
                throw ApiException.notFound("no live call " + callId);
            }
            ListenSession.Format format = format(qsd);
            if (!isUpgrade(req)) {
                throw ApiException.malformed("a WebSocket upgrade is required (Upgrade: websocket)");
            }
            if (who.scoped() && !service.facilityOf().apply(callId).map(who::sees).orElse(false)) {
                refused(who, callId, "scope");
                throw ApiException.notFound("no live call " + callId);
            }
            try {
                slot = service.sessions().reserve(who, callId);
            } catch (ApiException full) {
                refused(who, callId, "cap");
                throw full;
            }
            ListenSession s = new ListenSession(ctx.channel(), who, callId, format, slot, details -> {
                try {
                    executor.execute(() -> audit(who, "call.listen.end", callId, details));
                } catch (RejectedExecutionException e) {
                    audit(who, "call.listen.end", callId, details); // shutting down: write it here
                }
            });
            try {
                s.listen = service.monitoring().get().open(callId, who, s);
            } catch (CallMonitoring.Refused r) {
                refused(who, callId, r.reason().name().toLowerCase(Locale.ROOT));
                if (r.reason() == CallMonitoring.Refused.Reason.ELSEWHERE) {
                    // Another node carries the call: send the listener there (same path and query; the token, kept
                    // in the shared database, works there too).
                    String location = r.location() + qsd.rawPath() + (qsd.rawQuery().isEmpty() ? "" : "?" + qsd.rawQuery());
                    runOnLoop(ctx, () -> {
                        req.release();
                        ResponseRenderer.Outgoing out = ResponseRenderer.problem(ApiException.elsewhere(r.getMessage()
                                + "; listen at " + location), path);
                        out.head().headers().set(io.netty.handler.codec.http.HttpHeaderNames.LOCATION, location);
                        ctx.writeAndFlush(out.head()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                        ctx.channel().config().setAutoRead(true);
                    }, req::release);
                    return;
                }
                throw switch (r.reason()) {
                    case PRIVILEGED -> ApiException.forbidden("privileged calls are never monitored");
                    case NOT_TALKING -> ApiException.notFound("call " + callId + " is not connected yet");
                    case UNKNOWN_CALL -> ApiException.notFound("no live call " + callId);
                    case ELSEWHERE -> throw new IllegalStateException("handled above");
                };
            }
            s.started = Instant.now();
            try {
                service.audit().record(who, "call.listen.start", "call:" + callId, Map.of("format", format.mime));
            } catch (RuntimeException e) {
                s.listen.close();
                log.error("listen to call {} refused: its audit line cannot be written", callId, e);
                throw ApiException.unavailable("listening is refused while the audit log cannot be written");
            }
            log.info("{} listens to call {}", who.actor(), callId);
            ListenSessions.Slot taken = slot;
            slot = null; // the session owns it now
            taken.onEnd(s::stop);
            runOnLoop(ctx, () -> upgrade(ctx, req, s), () -> {
                req.release();
                s.end("server shut down");
            });
        } catch (ApiException e) {
            runOnLoop(ctx, () -> {
                req.release();
                write(ctx, e, path);
                ctx.channel().config().setAutoRead(true);
            }, req::release);
        } catch (RuntimeException e) {
            log.error("listen on {} failed", path, e);
            runOnLoop(ctx, () -> {
                req.release();
                write(ctx, ApiException.internal(), path);
                ctx.channel().config().setAutoRead(true);
            }, req::release);
        } finally {
            if (slot != null) {
                slot.release();
            }
            MDC.remove("callId");
        }
    }

    private void refused(Principal who, String callId, String reason) {
        audit(who, "call.listen.refused", callId, Map.of("reason", reason));
    }

    private static void runOnLoop(ChannelHandlerContext ctx, Runnable task, Runnable ifRejected) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    private Principal authenticate(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qsd) {
        try {
            String token;
            String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (h == null && SessionCookies.sessionId(req.headers()).isPresent()) {
                // A browser's WebSocket carries the console cookie; CORS does not guard upgrades, so the
                // Origin must be this server's (no other site may listen through a signed-in browser).
                if (!SessionCookies.sameOrigin(req.headers(), true)) {
                    throw ApiException.forbidden("cross-origin WebSocket refused");
                }
                java.util.Optional<StaffSession> s = SessionCookies.authenticate(service.consoleSessions().get(),
                        req.method().name(), req.headers());
                if (s.isPresent()) {
                    if (!s.get().routeAllowed().test("/api/calls/{callId}/listen")) {
                        throw ApiException.forbidden("your staff role may not listen to calls");
                    }
                    return s.get().principal();
                }
            }
            if (h != null) {
                token = Bearer.token(h);
            } else {
                // Browsers cannot set headers on a WebSocket: the token may come in the query (see API.md).
                List<String> q = qsd.parameters().get("access_token");
                if (q == null || q.isEmpty()) {
                    // Worded as on every other path: the answer must not tell this path from the others.
                    throw ApiException.unauthorized("an Authorization: Bearer token is required");
                }
                token = Bearer.check(q.get(0).strip());
            }
            return service.authenticator().authenticate(token)
                    .orElseThrow(() -> ApiException.unauthorized("invalid, expired or revoked token"));
        } catch (ApiException e) {
            service.failures().failed(ctx.channel().remoteAddress(), e.detail(), "GET " + qsd.rawPath());
            throw e;
        }
    }

    private static ListenSession.Format format(QueryStringDecoder qsd) {
        List<String> f = qsd.parameters().get("format");
        if (f == null || f.isEmpty()) {
            return ListenSession.Format.L16;
        }
        return switch (f.get(0).toLowerCase(Locale.ROOT)) {
            case "l16", "pcm" -> ListenSession.Format.L16;
            case "pcmu", "ulaw", "mulaw" -> ListenSession.Format.PCMU;
            default -> throw ApiException.validation("format", "format must be l16 or pcmu");
        };
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** On the loop: the 101 response, then the metadata frame, then audio. */
    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, ListenSession s) {
        try {
            Channel ch = ctx.channel();
            if (!ch.isActive()) {
                s.end(s.endReason != null ? s.endReason : "connection lost");
                return;
            }
            String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
            // The path only: a query may carry the access token, which must not travel any further.
            String path = new QueryStringDecoder(req.uri()).rawPath();
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("ws://" + host + path, null,
                    false, MAX_FRAME_PAYLOAD).newHandshaker(req);
            if (hs == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
                s.end("unsupported WebSocket version");
                return;
            }
            // HTTP-only handlers would misread or close around WebSocket frames.
            ChannelPipeline p = ctx.pipeline();
            for (String name : AdminHttpServer.HTTP_ONLY) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
            session = s;
            s.handshaker = hs;
            ch.closeFuture().addListener(f -> s.end(s.endReason == null ? "client closed" : s.endReason));
            hs.handshake(ch, req).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    ch.close();
                    return;
                }
                ch.config().setAutoRead(true);
                String meta = "{\"callId\":" + Json.mapper().writeValueAsString(s.callId)
                        + ",\"format\":\"" + s.format.mime + "\",\"encoding\":\"" + s.format.encoding
                        + "\",\"sampleRate\":8000,\"channels\":1,\"frameMillis\":20}";
                ch.writeAndFlush(new TextWebSocketFrame(meta));
                s.ready = true;
                if (s.callEnded) {
                    s.closeWith(1000, "call ended");
                }
            });
        } finally {
            req.release();
        }
    }

    private void onFrame(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                if (session.endReason == null) {
                    session.endReason = "client closed";
                }
                session.handshaker.close(ctx.channel(), close.retain());
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (!(msg instanceof WebSocketFrame)) {
                log.debug("unexpected {} on a listen socket", msg.getClass().getSimpleName());
            }
            // Text and binary frames from the listener mean nothing: ignored.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void write(ChannelHandlerContext ctx, ApiException e, String path) {
        ResponseRenderer.Outgoing out = ResponseRenderer.problem(e, path);
        ctx.writeAndFlush(out.head()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (session == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.debug("listen socket {} failed", ctx.channel(), cause);
        ctx.close();
    }

    private void audit(Principal who, String action, String callId, Map<String, ?> details) {
        try {
            service.audit().record(who, action, "call:" + callId, details);
        } catch (RuntimeException e) {
            log.error("cannot write audit line {} for call {}", action, callId, e);
        }
    }
}
