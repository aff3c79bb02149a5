package io.kinline.admin.http;

import io.kinline.admin.CallMonitoring;
import io.kinline.admin.Principal;
import io.kinline.admin.Role;
import io.kinline.media.codec.Codec;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
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

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * than {@value #MAX_IN_FLIGHT} frames (one second) are unwritten or the socket is not writable, the
 * frame is dropped and counted, so a slow listener can never hold up the call's media.
 */
public final class ListenHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ListenHandler.class);
    static final Pattern PATH = Pattern.compile("^/api/calls/([^/]+)/listen/?$");
    static final Set<Role> ROLES = EnumSet.of(Role.ADMIN, Role.INVESTIGATOR);
    private static final int MAX_TOKEN_LENGTH = 256;
    private static final int MAX_CALL_ID = 256;
    /** Inbound frames are only close and ping: tiny. */
    private static final int MAX_FRAME_PAYLOAD = 8 * 1024;
    static final int MAX_IN_FLIGHT = 50;

    /** Writes one audit line (may block: JDBC). */
    @FunctionalInterface
    public interface Auditor {
        void record(Principal who, String action, String target, Map<String, ?> details);
    }

    /** What the handler needs from the admin server. */
    public record Service(Authenticator authenticator, Supplier<CallMonitoring> monitoring, Auditor audit) {
    }

    /** Wire formats: 16-bit little-endian linear PCM, or G.711 μ-law (half the bandwidth). */
    enum Format {
        L16("audio/L16", "pcm_s16le", 2), PCMU("audio/PCMU", "mulaw", 1);

        final String mime;
        final String encoding;
        final int bytesPerSample;

        Format(String mime, String encoding, int bytesPerSample) {
            this.mime = mime;
            this.encoding = encoding;
            this.bytesPerSample = bytesPerSample;
        }
    }

    private final Service service;
    private final Executor executor;
    /** Set once upgraded; loop-confined afterwards. */
    private Session session;

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
        String path = qsd.rawPath();
        if (!HttpMethod.GET.equals(req.method())) {
            req.release();
            write(ctx, ApiException.methodNotAllowed(List.of("GET")), path);
            return;
        }
        String callId;
        try {
            callId = QueryStringDecoder.decodeComponent(m.group(1));
        } catch (IllegalArgumentException e) {
            req.release();
            write(ctx, ApiException.malformed("bad call id"), path);
            return;
        }
        // No further requests on this connection until we know whether it becomes a WebSocket.
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> prepare(ctx, req, qsd, callId));
        } catch (RejectedExecutionException e) {
            req.release();
            ctx.close();
        }
    }

    /** On a virtual thread: who, may they, which call, then hand the upgrade to the loop. */
    private void prepare(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qsd, String callId) {
        String path = qsd.rawPath();
        MDC.put("callId", callId);
        try {
            Principal who = authenticate(req, qsd);
            if (!ROLES.contains(who.role())) {
                throw ApiException.forbidden("role " + who.role() + " may not listen to calls");
            }
            if (callId.length() > MAX_CALL_ID) {
                throw ApiException.notFound("no live call " + callId);
            }
            Format format = format(qsd);
            if (!isUpgrade(req)) {
                throw ApiException.malformed("a WebSocket upgrade is required (Upgrade: websocket)");
            }
            Session s = new Session(ctx.channel(), who, callId, format);
            try {
                s.listen = service.monitoring().get().open(callId, who, s);
            } catch (CallMonitoring.Refused r) {
                audit(who, "call.listen.refused", callId, Map.of("reason", r.reason().name().toLowerCase(Locale.ROOT)));
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
            audit(who, "call.listen.start", callId, Map.of("format", format.mime));
            log.info("{} listens to call {}", who.actor(), callId);
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
            log.error("listen to {} failed", callId, e);
            runOnLoop(ctx, () -> {
                req.release();
                write(ctx, ApiException.internal(), path);
                ctx.channel().config().setAutoRead(true);
            }, req::release);
        } finally {
            MDC.remove("callId");
        }
    }

    private static void runOnLoop(ChannelHandlerContext ctx, Runnable task, Runnable ifRejected) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    private Principal authenticate(FullHttpRequest req, QueryStringDecoder qsd) {
        String token;
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h != null) {
            String v = h.strip();
            if (v.length() < 7 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                throw ApiException.unauthorized("only Bearer tokens are accepted");
            }
            token = v.substring(7).strip();
        } else {
            // Browsers cannot set headers on a WebSocket: the token may come in the query (see API.md).
            List<String> q = qsd.parameters().get("access_token");
            if (q == null || q.isEmpty()) {
                throw ApiException.unauthorized("an Authorization: Bearer token or access_token is required");
            }
            token = q.get(0).strip();
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.unauthorized("invalid token");
        }
        return service.authenticator().authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("invalid or revoked token"));
    }

    private static Format format(QueryStringDecoder qsd) {
        List<String> f = qsd.parameters().get("format");
        if (f == null || f.isEmpty()) {
            return Format.L16;
        }
        return switch (f.get(0).toLowerCase(Locale.ROOT)) {
            case "l16", "pcm" -> Format.L16;
            case "pcmu", "ulaw", "mulaw" -> Format.PCMU;
            default -> throw ApiException.validation("format", "format must be l16 or pcmu");
        };
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** On the loop: the 101 response, then the metadata frame, then audio. */
    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, Session s) {
        try {
            Channel ch = ctx.channel();
            if (!ch.isActive()) {
                s.end("connection lost");
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
            for (String name : List.of("keepAlive", "chunked", "api")) {
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

    /** One listener on one call: the audio sink on the media side, the WebSocket on ours. */
    private final class Session implements CallMonitoring.AudioSink {
        final Channel channel;
        final Principal who;
        final String callId;
        final Format format;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();
        final byte[] ulaw = new byte[MonitorFrame.MAX];
        volatile CallMonitoring.Listen listen;
        volatile boolean ready;
        volatile boolean callEnded;
        volatile String endReason;
        volatile Instant started;
        WebSocketServerHandshaker handshaker;

        Session(Channel channel, Principal who, String callId, Format format) {
            this.channel = channel;
            this.who = who;
            this.callId = callId;
            this.format = format;
        }

        /** On the media loop: encode and hand over, or drop. */
        @Override
        public boolean onAudio(short[] pcm, int off, int len) {
            if (!ready || !channel.isActive() || inFlight.get() >= MAX_IN_FLIGHT || !channel.isWritable()) {
                return false;
            }
            ByteBuf buf = channel.alloc().buffer(len * format.bytesPerSample);
            if (format == Format.L16) {
                for (int i = 0; i < len; i++) {
                    buf.writeShortLE(pcm[off + i]);
                }
            } else {
                int n = Math.min(len, ulaw.length);
                Codec.PCMU.encode(pcm, off, ulaw, 0, n);
                buf.writeBytes(ulaw, 0, n);
            }
            inFlight.incrementAndGet();
            channel.writeAndFlush(new BinaryWebSocketFrame(buf))
                    .addListener(f -> inFlight.decrementAndGet());
            return true;
        }

        @Override
        public void onCallEnded() {
            endReason = "call ended";
            callEnded = true;
            try {
                channel.eventLoop().execute(() -> {
                    if (ready) {
                        closeWith(1000, "call ended");
                    }
                });
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        }

        /** On the channel's loop. */
        void closeWith(int status, String reason) {
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Once: stop the audio and write the end of the session to the audit log (off the loop). */
        void end(String reason) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            CallMonitoring.Listen l = listen;
            if (l != null) {
                l.close();
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", reason);
            Instant s = started;
            if (s != null) {
                details.put("seconds", Duration.between(s, Instant.now()).toMillis() / 1000.0);
            }
            if (l != null) {
                details.put("framesSent", l.framesDelivered());
                details.put("framesDropped", l.framesDropped());
            }
            log.info("{} stopped listening to call {}: {}", who.actor(), callId, reason);
            try {
                executor.execute(() -> audit(who, "call.listen.end", callId, details));
            } catch (RejectedExecutionException e) {
                audit(who, "call.listen.end", callId, details); // shutting down: write it here
            }
        }
    }

    /** Frame size bound for the μ-law scratch buffer: a 60 ms frame would be 480 samples. */
    private static final class MonitorFrame {
        static final int MAX = 480;
    }
}
