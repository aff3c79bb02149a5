package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.admin.AdminConfig;
import io.kinline.admin.AdminServer;
import io.kinline.admin.AdminTestBase;
import io.kinline.admin.http.HttpLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 6: the admin server's sockets are shared with SIP and RTP, so half-sent requests
 * must not hold them, and a body is not read from a caller whose token has not been checked.
 */
class ServerLimitsTest extends AdminTestBase {

    static final String HALF = "POST /api/facilities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

    @Test
    void twoThousandHalfSentRequestsDoNotHoldTwoThousandSockets() throws Exception {
        int port = RawHttp.port(base);
        int before = RawHttp.serverConnections(port);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                Socket s = new Socket("127.0.0.1", port);
                sockets.add(s);
                try {
                    s.getOutputStream().write(HALF.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException refused) {
                    // the server closed it at once: that is the point
                }
            }
            // Give the server's event loop a moment to accept and refuse what is over its caps.
            long until = System.nanoTime() + 3_000_000_000L;
            int held = RawHttp.serverConnections(port) - before;
            while (held > 100 && System.nanoTime() < until) {
                Thread.sleep(50);
                held = RawHttp.serverConnections(port) - before;
            }
            assertTrue(held <= 100, "the server holds " + held + " sockets for 2,000 half-sent requests");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        // and it still serves
        ok(200, get("/api/health", null));
    }

    @Test
    void aBodyIsNotReadBeforeTheTokenIsChecked() throws Exception {
        int port = RawHttp.port(base);
        // 60,000 bytes announced (under the 64 KiB limit of these tests), 10 sent: the answer must not wait
        // for the other 59,990.
        for (String auth : new String[] {"", "Authorization: Bearer not-a-token\r\n"}) {
            String head = "POST /api/facilities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth
                    + "Content-Length: 60000\r\n\r\n{\"id\":\"x\"";
            long t0 = System.nanoTime();
            String res = RawHttp.exchange(port, head, 3_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(res.startsWith("HTTP/1.1 401"), "auth='" + auth.strip() + "': " + res);
            assertTrue(res.toLowerCase().contains("www-authenticate: bearer"), res);
            assertTrue(ms < 2_500, "the 401 took " + ms + " ms");
        }
    }

    @Test
    void aValidTokenStillSendsItsBody() throws Exception {
        int port = RawHttp.port(base);
        String body = "{\"id\":\"slf\",\"name\":\"Limits\",\"timezone\":\"UTC\"}";
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/facilities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                    + adminToken + "\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200); // the body comes after the head, as a slow client sends it
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String res = RawHttp.readFor(s, 2_000);
            assertTrue(res.startsWith("HTTP/1.1 201"), res);
        }
        assertEquals("Limits", ok(200, get("/api/facilities/slf", adminToken)).get("name").asText());
    }

    /**
     * A head sent a byte every 100 ms is cut off at the header timeout (1 s here), counted from its first
     * byte: an idle timeout, reset by each byte, would never fire. A body that stalls is cut off too.
     */
    @Test
    void aDrippedHeadIsCutOffAtTheHeaderTimeoutAndAStalledBodyAtTheBodyTimeout() throws Exception {
        AdminConfig cfg = AdminConfig.defaults(dir).withPort(0)
                .withLimits(new HttpLimits(512, 64, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        try (AdminServer quick = new AdminServer(cfg, store, null, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            int port = quick.start().getPort();
            try (Socket s = new Socket("127.0.0.1", port)) {
                long ms = drip(s, "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Drip: " + "a".repeat(200));
                assertTrue(ms >= 900 && ms <= 3_000, "a dripped head was closed after " + ms + " ms");
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                String body = "{\"id\":\"stall\",\"name\":\"S\",\"timezone\":\"UTC\"}";
                out.write(("POST /api/facilities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + adminToken + "\r\nContent-Length: " + (body.length() + 10)
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long ms = drip(s, body); // 10 bytes short: the body never ends
                assertTrue(ms <= 3_000, "a stalled body was closed after " + ms + " ms");
            }
            // an honest client on the same server is served
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertTrue(RawHttp.readFor(s, 2_000).startsWith("HTTP/1.1 200"));
            }
        }
    }

    /** Sends {@code text} a byte every 100 ms until the server closes; the ms until then (or 6 s). */
    static long drip(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        long t0 = System.nanoTime();
        s.setSoTimeout(100);
        for (int i = 0; (System.nanoTime() - t0) < 6_000_000_000L; i++) {
            try {
                out.write(text.charAt(i % text.length()));
                out.flush();
                if (s.getInputStream().read() < 0) {
                    break;
                }
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                break;
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
