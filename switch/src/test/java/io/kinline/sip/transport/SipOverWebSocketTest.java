package io.kinline.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.SecureTransports;
import io.kinline.sip.SipServer;
import io.kinline.sip.SipTestSupport;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over WebSocket (RFC 7118) with the JDK's WebSocket client as the independent peer: a call over WSS and over
 * WS gets its BYE over the client's own connection (its Contact is {@code *.invalid}); a client that does not ask
 * for subprotocol {@code sip}, an oversized frame, a protocol-violating frame and text that is not SIP each get a
 * bounded, clear answer.
 */
class SipOverWebSocketTest {
    @TempDir
    Path dir;
    private Path[] pair;
    private SipServer sip;
    private final CompletableFuture<Dialog> dialog = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        pair = TlsTestSupport.certificate(dir);
        sip = new SipServer(SipTestSupport.config().udpPort(-1).tcpPort(-1)
                .secure(SecureTransports.of(-1, 0, 0, pair[0], pair[1])
                        .withLimits(Duration.ofSeconds(2), 4096, Duration.ofSeconds(30)))
                .build(), call -> call.answer(SipText.SDP, new DialogListener() { })
                .thenAccept(dialog::complete));
        sip.start();
    }

    @AfterEach
    void stop() {
        sip.close();
    }

    /** Collects whole text messages and the close status. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String m = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no SIP message within 10 s");
            return m;
        }
    }

    private WebSocket open(String scheme, int port, Client client, String subprotocol) throws Exception {
        HttpClient http = scheme.equals("wss") ? HttpClient.newBuilder().sslContext(TlsTestSupport.trusting(pair[0]))
                .build() : HttpClient.newHttpClient();
        return http.newWebSocketBuilder().subprotocols(subprotocol).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(scheme + "://localhost:" + port + "/"), client).get(10, TimeUnit.SECONDS);
    }

    private void call(String scheme, int port) throws Exception {
        Client c = new Client();
        WebSocket ws = open(scheme, port, c, "sip");
        assertEquals("sip", ws.getSubprotocol());
        String transport = scheme.toUpperCase();
        String callId = scheme + "-call";
        ws.sendText(SipText.invite(transport, "127.0.0.1:" + port, callId, "w1"), true).get(5, TimeUnit.SECONDS);
        String ok;
        do {
            ok = c.next();
        } while (ok.startsWith("SIP/2.0 1"));
        assertTrue(ok.startsWith("SIP/2.0 200"), ok);
        assertTrue(SipText.header(ok, "Via").startsWith("SIP/2.0/" + transport), ok);
        assertTrue(SipText.contactUri(ok).contains("transport=ws"), ok);
        ws.sendText(SipText.ack(transport, SipText.contactUri(ok), callId, "w1", SipText.header(ok, "To")), true)
                .get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> bye = dialog.get(10, TimeUnit.SECONDS).bye().toCompletableFuture();
        String req = c.next();
        assertTrue(req.startsWith("BYE sip:1001@df7jal23ls0d.invalid"), req);
        assertTrue(SipText.header(req, "Via").startsWith("SIP/2.0/" + transport), req);
        ws.sendText(SipText.ok(req), true).get(5, TimeUnit.SECONDS);
        bye.get(10, TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallOverWssGetsItsByeOverTheSameConnection() throws Exception {
        call("wss", sip.wssAddress().getPort());
    }

    @Test
    void aCallOverWsGetsItsByeOverTheSameConnection() throws Exception {
        call("ws", sip.wsAddress().getPort());
    }

    @Test
    void aClientWithoutTheSipSubprotocolIsTurnedAwayBeforeTheUpgrade() throws Exception {
        try {
            open("ws", sip.wsAddress().getPort(), new Client(), "xmpp");
            fail("upgrade without subprotocol sip succeeded");
        } catch (ExecutionException e) {
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(400, h.getResponse().statusCode());
            assertTrue(h.getResponse().body().toString().contains("sip"), h.getResponse().body().toString());
        }
    }

    @Test
    void anOversizedFrameClosesWith1009() throws Exception {
        Client c = new Client();
        WebSocket ws = open("ws", sip.wsAddress().getPort(), c, "sip");
        try {
            ws.sendText("x".repeat(5000), true).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            // the server may close before the client finished writing
        }
        assertEquals(1009, c.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void textThatIsNotSipIsDroppedAndCounted() throws Exception {
        Client c = new Client();
        WebSocket ws = open("ws", sip.wsAddress().getPort(), c, "sip");
        long before = sip.metrics().malformedDropped.get();
        ws.sendText("\u0000\u00ff garbage \r\n\r\n", true).get(5, TimeUnit.SECONDS);
        SipTestSupport.await("the garbage to be counted", 5000, () -> sip.metrics().malformedDropped.get() > before);
        // the connection survives a bad message: OPTIONS still works on it
        ws.sendText("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK-o1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@x.invalid>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: o1\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", true).get(5, TimeUnit.SECONDS);
        assertTrue(c.next().startsWith("SIP/2.0 200"));
    }

    @Test
    void aFrameThatViolatesTheProtocolClosesWith1002() throws Exception {
        try (Socket s = new Socket("127.0.0.1", sip.wsAddress().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: sip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.toLowerCase().contains("sec-websocket-protocol: sip"), head);
            // an unmasked client frame with a reserved opcode (RFC 6455 §5.1, §5.2)
            out.write(new byte[] {(byte) 0x83, 0x03, 'a', 'b', 'c'});
            out.flush();
            int b0 = in.read();
            int len = in.read();
            assertEquals(0x88, b0, "a Close frame");
            byte[] payload = in.readNBytes(len);
            assertEquals(1002, ((payload[0] & 0xff) << 8) | (payload[1] & 0xff), "status protocol error");
            assertEquals(-1, in.read(), "then the connection closes");
        }
    }

    @Test
    void plainHttpOnTheWebSocketPortGets426() throws Exception {
        try (Socket s = new Socket("127.0.0.1", sip.wsAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 426"), head);
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @SuppressWarnings("unused")
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
