package io.kinline.admin.http;

import io.kinline.admin.CallMonitoring;
import io.kinline.admin.Principal;
import io.kinline.media.codec.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One listener on one call: the audio sink on the media side, the WebSocket on ours. Audio arrives on the
 * media event loop and is never queued without bound: beyond {@value #MAX_IN_FLIGHT} unwritten frames (one
 * second), or when the socket is not writable, a frame is dropped and counted.
 */
final class ListenSession implements CallMonitoring.AudioSink {

    private static final Logger log = LoggerFactory.getLogger(ListenSession.class);
    static final int MAX_IN_FLIGHT = 50;
    /** Frame size bound for the μ-law scratch buffer: a 60 ms frame would be 480 samples. */
    private static final int MAX_FRAME = 480;

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

    final Channel channel;
    final Principal who;
    final String callId;
    final Format format;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicBoolean ended = new AtomicBoolean();
    final byte[] ulaw = new byte[MAX_FRAME];
    volatile CallMonitoring.Listen listen;
    volatile boolean ready;
    volatile boolean callEnded;
    volatile String endReason;
    volatile Instant started;
    final ListenSessions.Slot slot;
    /** Writes the call.listen.end line (off the event loop). */
    private final Consumer<Map<String, Object>> endAudit;
    WebSocketServerHandshaker handshaker;

    ListenSession(Channel channel, Principal who, String callId, Format format, ListenSessions.Slot slot,
                  Consumer<Map<String, Object>> endAudit) {
        this.channel = channel;
        this.who = who;
        this.callId = callId;
        this.format = format;
        this.slot = slot;
        this.endAudit = endAudit;
    }

    /**
     * The token stopped being valid (revoked, expired): close with 1008 (policy violation) and this
     * reason. Any thread; the close runs on the channel's loop.
     */
    void stop(String reason) {
        endReason = reason;
        try {
            channel.eventLoop().execute(() -> {
                if (ready) {
                    closeWith(1008, reason);
                } else {
                    channel.close();
                }
            });
        } catch (RejectedExecutionException e) {
            channel.close();
        }
        if (!channel.isActive()) {
            end(reason);
        }
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
        slot.release();
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
        endAudit.accept(details);
    }
}
