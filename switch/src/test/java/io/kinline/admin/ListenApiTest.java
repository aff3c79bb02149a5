package io.kinline.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.http.Json;
import io.kinline.media.codec.Codec;
import io.kinline.store.AuditEntry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/calls/{id}/listen} over a real WebSocket, against a fake call layer feeding known audio. */
public class ListenApiTest extends AdminTestBase {

    /** Shared by the classes that reuse these fixtures; a daemon, so it needs no shutdown. */
    public static final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-media-clock");
        t.setDaemon(true);
        return t;
    });
    static final FakeMonitoring calls = new FakeMonitoring();

    /** Sample {@code i} of the fed stream: a ramp that identifies its position. */
    public static short sample(long i) {
        return (short) ((i * 37) % 20000 - 10000);
    }

    /** A call layer with three calls: "live-*" talking, "priv-1" privileged, "ring-1" not connected yet. */
    public static final class FakeMonitoring implements CallMonitoring {
        public final Map<String, Feed> feeds = new ConcurrentHashMap<>();

        @Override
        public Listen open(String callId, Principal who, AudioSink sink) throws Refused {
            if (callId.equals("priv-1")) {
                throw new Refused(Refused.Reason.PRIVILEGED, "privileged");
            }
            if (callId.equals("ring-1")) {
                throw new Refused(Refused.Reason.NOT_TALKING, "ringing");
            }
            if (!callId.startsWith("live-")) {
                throw new Refused(Refused.Reason.UNKNOWN_CALL, "unknown");
            }
            Feed f = new Feed(sink);
            feeds.put(callId, f);
            return f;
        }
    }

    /** Feeds 20 ms frames of the ramp every 20 ms, like the media engine does. */
    public static final class Feed implements CallMonitoring.Listen {
        final CallMonitoring.AudioSink sink;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        public final AtomicBoolean closed = new AtomicBoolean();
        final ScheduledFuture<?> task;
        long pos;

        Feed(CallMonitoring.AudioSink sink) {
            this.sink = sink;
            this.task = clock.scheduleAtFixedRate(this::frame, 20, 20, TimeUnit.MILLISECONDS);
        }

        private void frame() {
            short[] f = new short[160];
            for (int i = 0; i < 160; i++) {
                f[i] = sample(pos + i);
            }
            pos += 160;
            (sink.onAudio(f, 0, 160) ? delivered : dropped).incrementAndGet();
        }

        public void endCall() {
            task.cancel(false);
            sink.onCallEnded();
        }

        @Override
        public long framesDelivered() {
            return delivered.get();
        }

        @Override
        public long framesDropped() {
            return dropped.get();
        }

        @Override
        public void close() {
            closed.set(true);
            task.cancel(false);
        }
    }

    /** Collects what the client receives. */
    public static final class Client implements WebSocket.Listener {
        public final List<String> texts = new CopyOnWriteArrayList<>();
        public final List<byte[]> binaries = new CopyOnWriteArrayList<>();
        public final CompletableFuture<String> closed = new CompletableFuture<>();
        public final AtomicInteger closeCode = new AtomicInteger();
        private ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.write(b, 0, b.length);
            if (last) {
                binaries.add(partial.toByteArray());
                partial = new ByteArrayOutputStream();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.set(statusCode);
            closed.complete(reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    @BeforeAll
    static void monitoring() {
        server.callMonitoring(calls);
    }

    public static String wsBase() {
        return base.replace("http://", "ws://");
    }

    public static WebSocket connect(String path, String token, Client c) {
        WebSocket.Builder b = client.newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.buildAsync(URI.create(wsBase() + path), c).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The HTTP status a refused upgrade got. */
    public static int refusedStatus(String path, String token) {
        try {
            connect(path, token, new Client());
        } catch (CompletionException e) {
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            return h.getResponse().statusCode();
        }
        throw new AssertionError("upgrade of " + path + " was accepted");
    }

    public static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(10);
        }
    }

    public static List<AuditEntry> audit(String callId) {
        return store.audit().list(null, "call:" + callId, null, null, 100);
    }

    public static List<String> actions(String callId) {
        return audit(callId).stream().map(AuditEntry::action).sorted().toList();
    }

    @Test
    void investigatorHearsTheCallUntilItEndsAndItIsAudited() throws Exception {
        Client c = new Client();
        WebSocket ws = connect("/api/calls/live-1/listen", investigatorToken, c);
        await(() -> c.binaries.size() >= 10, "audio frames");
        JsonNode meta = Json.mapper().readTree(c.texts.get(0));
        assertEquals("live-1", meta.get("callId").asText());
        assertEquals("audio/L16", meta.get("format").asText());
        assertEquals("pcm_s16le", meta.get("encoding").asText());
        assertEquals(8000, meta.get("sampleRate").asInt());
        assertEquals(1, meta.get("channels").asInt());
        assertEquals(20, meta.get("frameMillis").asInt());

        // Frames are 20 ms of little-endian PCM, in order, exactly what the call layer produced.
        byte[] first = c.binaries.get(0);
        assertEquals(320, first.length);
        ByteBuffer bb = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
        short s0 = bb.getShort(0);
        long start = -1;
        for (long p = 0; p < 200_000 && start < 0; p += 160) {
            if (sample(p) == s0 && sample(p + 1) == bb.getShort(2)) {
                start = p;
            }
        }
        assertTrue(start >= 0, "first frame is a frame of the feed");
        for (int f = 0; f < 10; f++) {
            ByteBuffer fb = ByteBuffer.wrap(c.binaries.get(f)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 160; i++) {
                assertEquals(sample(start + f * 160L + i), fb.getShort(2 * i), "frame " + f + " sample " + i);
            }
        }
        assertEquals(List.of("call.listen.start"), actions("live-1"));
        assertEquals("token:" + investigatorTokenId + "(ivan-investigator)", audit("live-1").get(0).actor());

        calls.feeds.get("live-1").endCall();
        assertEquals("call ended", c.closed.get(10, TimeUnit.SECONDS));
        assertEquals(1000, c.closeCode.get());
        await(() -> actions("live-1").size() == 2, "end audited");
        assertEquals(List.of("call.listen.end", "call.listen.start"), actions("live-1"));
        AuditEntry end = audit("live-1").stream().filter(a -> a.action().equals("call.listen.end")).findFirst()
                .orElseThrow();
        JsonNode d = Json.mapper().readTree(end.details());
        assertEquals("call ended", d.get("reason").asText());
        assertTrue(d.get("framesSent").asLong() >= 10, end.details());
        assertTrue(ws.isInputClosed());
    }

    @Test
    void adminWithQueryTokenAndClientCloseStopsTheAudio() throws Exception {
        Client c = new Client();
        WebSocket ws = client.newWebSocketBuilder()
                .buildAsync(URI.create(wsBase() + "/api/calls/live-2/listen?format=pcmu&access_token=" + adminToken), c)
                .orTimeout(10, TimeUnit.SECONDS).join();
        await(() -> c.binaries.size() >= 3, "audio frames");
        assertEquals("audio/PCMU", Json.mapper().readTree(c.texts.get(0)).get("format").asText());
        byte[] f = c.binaries.get(1);
        assertEquals(160, f.length, "μ-law: one byte per sample");
        short[] decoded = new short[160];
        for (int i = 0; i < 160; i++) {
            decoded[i] = Codec.PCMU.decode(f[i]);
        }
        // μ-law is lossy: compare with the encoder's own round trip of the ramp at some offset.
        boolean found = false;
        for (long p = 0; p < 200_000 && !found; p += 160) {
            boolean match = true;
            for (int i = 0; i < 160 && match; i++) {
                match = Codec.PCMU.decode(Codec.PCMU.encode(sample(p + i))) == decoded[i];
            }
            found = match;
        }
        assertTrue(found, "μ-law frame is an encoded frame of the feed");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        c.closed.get(10, TimeUnit.SECONDS);
        Feed feed = calls.feeds.get("live-2");
        await(() -> feed.closed.get(), "the listen is closed when the client leaves");
        await(() -> actions("live-2").size() == 2, "end audited");
        AuditEntry end = audit("live-2").stream().filter(a -> a.action().equals("call.listen.end")).findFirst()
                .orElseThrow();
        assertEquals("client closed", Json.mapper().readTree(end.details()).get("reason").asText());
        assertTrue(end.actor().endsWith("(alice-admin)"));
    }

    @Test
    void onlyInvestigatorsAndAdminsWithValidTokens() {
        assertEquals(403, refusedStatus("/api/calls/live-3/listen", csToken));
        assertEquals(401, refusedStatus("/api/calls/live-3/listen", null));
        assertEquals(401, refusedStatus("/api/calls/live-3/listen", revokedToken));
        assertEquals(401, refusedStatus("/api/calls/live-3/listen?access_token=nonsense", null));
        assertFalse(calls.feeds.containsKey("live-3"), "no listen opened for refused principals");
        // The authenticated but unauthorised caller's refusal is audited; unauthenticated ones are logged.
        assertEquals(List.of("call.listen.refused"), actions("live-3"));
    }

    @Test
    void unknownAndNotYetTalkingCallsAre404() {
        assertEquals(404, refusedStatus("/api/calls/nope/listen", investigatorToken));
        assertEquals(404, refusedStatus("/api/calls/ring-1/listen", investigatorToken));
    }

    @Test
    void privilegedCallIs403ProblemAndTheAttemptIsAudited() throws Exception {
        assertEquals(403, refusedStatus("/api/calls/priv-1/listen", adminToken));
        String res = raw("GET /api/calls/priv-1/listen HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Authorization: Bearer " + investigatorToken + "\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 403"), res);
        assertTrue(res.contains("application/problem+json"), res);
        JsonNode p = Json.mapper().readTree(res.substring(res.indexOf("\r\n\r\n") + 4));
        assertEquals("urn:kinline:problem:forbidden", p.get("type").asText());
        assertTrue(p.get("detail").asText().contains("privileged"));
        List<AuditEntry> a = audit("priv-1");
        assertEquals(2, a.size());
        assertTrue(a.stream().allMatch(e -> e.action().equals("call.listen.refused")
                && e.details().contains("privileged")));
        assertFalse(calls.feeds.containsKey("priv-1"));
    }

    @Test
    void withoutUpgradeItIsAProblemAndOtherRoutesAreUntouched() {
        problem(400, null, get("/api/calls/live-4/listen", investigatorToken));
        problem(405, null, post("/api/calls/live-4/listen", investigatorToken, "{}"));
        ok(200, get("/api/calls", investigatorToken));
        assertFalse(calls.feeds.containsKey("live-4"));
    }

    /** One raw HTTP exchange (the JDK WebSocket client does not expose a refused upgrade's body). */
    static String raw(String request) throws Exception {
        URI u = URI.create(base);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                int n = in.read(b);
                if (n < 0) {
                    break;
                }
                buf.write(b, 0, n);
                String text = buf.toString(StandardCharsets.UTF_8);
                int h = text.indexOf("\r\n\r\n");
                if (h > 0) {
                    int cl = text.toLowerCase().indexOf("content-length:");
                    if (cl > 0) {
                        int len = Integer.parseInt(text.substring(cl + 15, text.indexOf("\r\n", cl)).strip());
                        if (buf.size() >= h + 4 + len) {
                            break;
                        }
                    }
                }
            }
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
