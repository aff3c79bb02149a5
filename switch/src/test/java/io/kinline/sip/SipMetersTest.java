package io.kinline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIP counters reach {@code GET /metrics} of a running switch: SIP traffic of every kind goes in over
 * UDP from plain sockets (good and malformed requests, a retransmission, INVITEs that are challenged,
 * refused and shed), then the Prometheus text must show each kind counted.
 */
class SipMetersTest {

    @TempDir
    Path dir;

    @Test
    void sipTrafficIsCountedInMetrics() throws Exception {
        KinlineConfig cfg = new KinlineConfig();
        cfg.store.dataDir = dir.toString();
        cfg.sip.port = 0;
        cfg.admin.port = 0;
        cfg.store.loadDemoData = true; // station 1001: an INVITE from it is admitted, then refused for its SDP
        // 127.0.0.1 must authenticate (digest); 127.0.0.2 (loopback too, on Linux) is an allowed gateway,
        // allowed one new call a second.
        cfg.sip.gateways.allow = new ArrayList<>(List.of("127.0.0.2/32"));
        cfg.sip.gateways.users.put("gw", "secret");
        cfg.sip.maxCallsPerSecond = 1;
        try (KinlineSwitch node = new KinlineSwitch(cfg).start();
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket gateway = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            InetSocketAddress sip = new InetSocketAddress("127.0.0.1", node.sipUdpAddress().getPort());
            Map<String, Double> before = scrape(node);

            String options = request("OPTIONS", phone, sip, "opt-1", "");
            assertEquals(200, exchange(phone, sip, options));
            assertEquals(200, exchange(phone, sip, options), "the retransmission gets the same answer");
            assertEquals(401, exchange(phone, sip, request("INVITE", phone, sip, "inv-1", "")), "challenged");
            assertEquals(400, exchange(phone, sip, request("OPTIONS", phone, sip, "bad-1", "")
                    .replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS")), "a bad CSeq is answered 400");
            send(phone, sip, "\u0000\u0001 not SIP at all\r\n\r\n");
            // From the allowed gateway, as station 1001: the first new call takes the second's token and is
            // refused for its SDP (400), the second is shed. (An unknown station would spend no token.)
            int first = exchange(gateway, sip, request("INVITE", gateway, sip, "inv-2", "1001", "not sdp"));
            assertTrue(first >= 400 && first != 503, "the first INVITE is refused by the call service: " + first);
            assertEquals(503, exchange(gateway, sip, request("INVITE", gateway, sip, "inv-3", "1001", "not sdp")));
            Thread.sleep(1200); // Timer G: the unacknowledged final responses to the INVITEs go again

            Map<String, Double> m = scrape(node);
            // The OPTIONS and its retransmission; the one with a bad CSeq never parsed: it counts as malformed.
            assertGrew(before, m, "kinline_sip_requests_total{direction=\"in\",method=\"OPTIONS\"}", 2);
            assertGrew(before, m, "kinline_sip_requests_total{direction=\"in\",method=\"INVITE\"}", 3);
            assertGrew(before, m, "kinline_sip_responses_total{direction=\"out\",status_class=\"2xx\"}", 2);
            assertGrew(before, m, "kinline_sip_responses_total{direction=\"out\",status_class=\"4xx\"}", 3);
            assertGrew(before, m, "kinline_sip_responses_total{direction=\"out\",status_class=\"5xx\"}", 1);
            assertGrew(before, m, "kinline_sip_malformed_total{handling=\"answered_400\"}", 1);
            assertGrew(before, m, "kinline_sip_malformed_total{handling=\"dropped\"}", 1);
            assertGrew(before, m, "kinline_sip_retransmissions_total{kind=\"absorbed\"}", 1);
            assertGrew(before, m, "kinline_sip_retransmissions_total{kind=\"sent\"}", 1);
            assertGrew(before, m, "kinline_sip_digest_challenges_total", 1);
            assertGrew(before, m, "kinline_sip_overload_rejected_total", 1);
            assertEquals(0.0, m.get("kinline_sip_requests_total{direction=\"out\",method=\"INVITE\"}"),
                    "no B-leg was placed");
            assertTrue(m.get("kinline_sip_transactions_open") >= 1, "server transactions wait out Timer J/H");
            assertEquals(0.0, m.get("kinline_sip_dialogs_open"));
            assertEquals((double) node.sip().metrics().activeTransactions.get(), scrape(node)
                    .get("kinline_sip_transactions_open"), 1.0, "the gauge reads the stack's own count");
        }
    }

    private static void assertGrew(Map<String, Double> before, Map<String, Double> after, String series, double by) {
        Double now = after.get(series);
        if (now == null) {
            fail(series + " not in /metrics; kinline_sip series: " + after.keySet().stream()
                    .filter(k -> k.startsWith("kinline_sip")).toList());
        }
        double grew = now - before.getOrDefault(series, 0.0);
        assertTrue(grew >= by, series + " grew by " + grew + ", expected at least " + by);
    }

    private static final Pattern SAMPLE = Pattern.compile("^(kinline_sip_[a-z_]+(?:\\{[^}]*})?) ([0-9.eE+-]+)$");

    /** The kinline_sip samples of {@code /metrics}, series (name and labels as printed) to value. */
    private static Map<String, Double> scrape(KinlineSwitch node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    private static String request(String method, DatagramSocket from, InetSocketAddress to, String id, String body) {
        return request(method, from, to, id, "9999", body);
    }

    private static String request(String method, DatagramSocket from, InetSocketAddress to, String id,
                                  String fromUser, String body) {
        String local = "127.0.0." + (from.getLocalAddress().getAddress()[3] & 0xFF) + ":" + from.getLocalPort();
        return method + " sip:9999@" + to.getHostString() + ":" + to.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-" + id + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + fromUser + "@" + local + ">;tag=t-" + id + "\r\n"
                + "To: <sip:9999@" + to.getHostString() + ">\r\n"
                + "Call-ID: " + id + "@metrics-test\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:9999@" + local + ">\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static void send(DatagramSocket s, InetSocketAddress to, String msg) throws Exception {
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        s.send(new DatagramPacket(b, b.length, to));
    }

    /** Sends a request and returns the status of the first final response to it (provisionals skipped). */
    private static int exchange(DatagramSocket s, InetSocketAddress to, String msg) throws Exception {
        send(s, to, msg);
        String callId = msg.substring(msg.indexOf("Call-ID: ") + 9, msg.indexOf("\r\n", msg.indexOf("Call-ID: ")));
        byte[] buf = new byte[65536];
        s.setSoTimeout(5000);
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String got = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (got.startsWith("SIP/2.0 ") && got.contains(callId)) {
                int status = Integer.parseInt(got.substring(8, 11));
                if (status >= 200) {
                    return status;
                }
            }
        }
        fail("no final response from " + to + " to\n" + msg);
        return -1;
    }
}
