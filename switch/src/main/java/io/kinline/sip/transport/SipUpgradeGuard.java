package io.kinline.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Lets through only a WebSocket upgrade that asks for the {@code sip} subprotocol (RFC 7118 §4: the server must
 * not complete a handshake without it); anything else gets a plain HTTP answer naming the problem, and the
 * connection is closed. Netty's handshaker would otherwise accept a client that offers no or another
 * subprotocol, leaving it to guess.
 */
final class SipUpgradeGuard extends SimpleChannelInboundHandler<FullHttpRequest> {

    SipUpgradeGuard() {
        super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String problem = problem(req);
        if (problem == null) {
            ctx.fireChannelRead(req);
            return;
        }
        ReferenceCountUtil.release(req);
        HttpResponseStatus status = problem.startsWith("426") ? HttpResponseStatus.UPGRADE_REQUIRED
                : HttpResponseStatus.BAD_REQUEST;
        reply(ctx, status, problem.substring(4));
    }

    private static String problem(FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            return "400 malformed HTTP request";
        }
        if (req.method() != HttpMethod.GET
                || !req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return "426 this port speaks SIP over WebSocket only (RFC 7118): upgrade with subprotocol sip";
        }
        String protocols = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (protocols == null) {
            return "400 no Sec-WebSocket-Protocol: this server speaks subprotocol sip only";
        }
        for (String p : protocols.split(",")) {
            if (p.trim().toLowerCase(Locale.ROOT).equals("sip")) {
                return null;
            }
        }
        return "400 Sec-WebSocket-Protocol must include sip";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException
                || cause instanceof TooLongHttpContentException) {
            reply(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "upgrade request too large");
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.US_ASCII));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii");
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
}
