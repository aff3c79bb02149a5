package io.kinline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker must not grow {@code /metrics}: unknown methods, garbage datagrams and INVITEs from forged
 * stations with hostile From users are counted under the labels that exist already, never under a label
 * value of their own. Two floods with different names leave the same set of series; and the series the switch
 * promises (media, recording, database, calls, IVR steps) are there from the start.
 */
class MetricsLabelsTest {

    @TempDir
    Path dir;

    @Test
    void hostileTrafficAddsNoSeries() throws Exception {
        KinlineConfig cfg = new KinlineConfig();
        cfg.store.dataDir = dir.toString();
        cfg.sip.port = 0;
        cfg.admin.port = 0;
        try (KinlineSwitch node = new KinlineSwitch(cfg).start();
             DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress sip = new InetSocketAddress("127.0.0.1", node.sipUdpAddress().getPort());
            Set<String> start = series(scrape(node));
            for (String promised : new String[] {"kinline_media_packets_total{direction=\"in\"}",
                "kinline_media_packets_total{direction=\"out\"}", "kinline_media_packets_lost_total",
                "kinline_media_jitter_milliseconds_count", "kinline_recording_queue_samples",
                "kinline_recording_errors_total", "kinline_store_up", "kinline_calls_active",
                "kinline_call_step_seconds_count{step=\"pin-ok\"}", "kinline_sip_dialogs_open",
                "hikaricp_connections_active{pool=\"kinline-store\"}",
                "kinline_media_loop_lag_seconds", "kinline_recording_backlog_seconds",
                "kinline_sip_overload_media_rejected_total", "kinline_sip_overload_media_shedding",
                "kinline_call_thread_lag_seconds"}) {
                assertTrue(start.contains(promised), promised + " missing from " + start);
            }

            flood(s, sip, "A");
            Set<String> first = series(scrape(node));
            flood(s, sip, "B");
            String text = scrape(node);
            Set<String> second = series(text);
            assertEquals(first, second, "a second flood with other names added series");
            for (String hostile : new String[] {"FOOA", "FOOB", "evilA", "evilB", "script"}) {
                assertFalse(text.contains(hostile), hostile + " reached /metrics");
            }
            // The flood was counted, under the bounded labels.
            assertTrue(value(text, "kinline_sip_requests_total{direction=\"in\",method=\"OTHER\"}") >= 20, text);
            assertTrue(value(text, "kinline_calls_total{outcome=\"rejected\",reason=\"unknown_station\"}") >= 10,
                    text);
            // The default node listens on TLS with its self-signed certificate: its expiry is in the future.
            double expiry = value(text, "kinline_tls_certificate_expiry_seconds");
            assertTrue(expiry > System.currentTimeMillis() / 1000.0, "certificate expiry " + expiry);
            // Every metric the dashboard and the alert rules query is exported.
            Path rules = AlertRulesTest.PROMETHEUS.resolve("kinline-alerts.yml");
            for (Path f : new Path[] {AlertRulesTest.DASHBOARD, rules}) {
                Matcher names = Pattern.compile("\\b((?:kinline|hikaricp)_[a-z_]+)").matcher(Files.readString(f));
                while (names.find()) {
                    String name = names.group(1);
                    assertTrue(text.contains("\n" + name + "{") || text.contains("\n" + name + " "),
                            f + " queries " + name + ", which /metrics does not have");
                }
            }
        }
    }

    /** Unknown methods, garbage, and INVITEs from unknown stations whose From users differ each time. */
    private static void flood(DatagramSocket s, InetSocketAddress sip, String tag) throws Exception {
        for (int i = 0; i < 10; i++) {
            send(s, sip, request("FOO" + tag + i, "u" + i, tag + i));
            send(s, sip, request("FOO" + tag, "u" + i, tag + "x" + i));
            send(s, sip, "\u0000garbage " + tag + i + " \r\n\r\n");
            send(s, sip, request("INVITE", "evil" + tag + i + "%3Cscript%3E", tag + "i" + i));
        }
        Thread.sleep(1500); // let the switch answer (403s) and count
    }

    private static String request(String method, String fromUser, String id) {
        String local = "127.0.0.1:5999";
        return method + " sip:9999@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-" + id + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + fromUser + "@" + local + ">;tag=t-" + id + "\r\n"
                + "To: <sip:9999@127.0.0.1>\r\n"
                + "Call-ID: " + id + "@labels-test\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:" + fromUser + "@" + local + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static void send(DatagramSocket s, InetSocketAddress to, String msg) throws Exception {
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+(?:\\{[^}]*})?) (\\S+)$");

    /** The series (names with labels) of a scrape; JVM and process series are left out (they come and go). */
    private static Set<String> series(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && (m.group(1).startsWith("kinline_") || m.group(1).startsWith("hikaricp_"))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return -1;
    }

    private static String scrape(KinlineSwitch node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }
}
