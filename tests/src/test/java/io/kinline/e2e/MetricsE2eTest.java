package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.tests.sipp.Sipp;
import io.kinline.tests.sipp.Sipp.SippProcess;
import io.kinline.tests.sipp.Sipp.SippResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole inmate call through SIPp (handset and called party, RTP both ways, recorded) must show in
 * {@code /metrics}: calls by outcome and reason, IVR step timings, RTP packets both ways, loss and jitter of the
 * ended legs, the recording writer, the database pool and its probe.
 */
class MetricsE2eTest {

    @TempDir
    Path tmp;

    @Test
    void aCompletedCallShowsInMetrics() throws Exception {
        SippCalls.requireSipp();
        int trunkPort = SippCalls.freeFixedPort(32700, 32999);
        long afterNotice = SippCalls.noticeMillis(3.0, false) + 1000;
        try (E2eSwitch sw = E2eSwitch.start(new InetSocketAddress("127.0.0.1", trunkPort), 300, 34000,
                f -> f.answerTimeoutSeconds(6).consentRepeats(1))) {
            Map<String, Double> before = scrape(sw);
            assertEquals(1.0, before.get("kinline_store_up"), "the database answers");
            assertTrue(before.get("hikaricp_connections_max{pool=\"kinline-store\"}") >= 1, "the pool is bound");

            String callId = "e2e-metrics-" + E2eSwitch.next() + "@127.0.0.1";
            try (SippProcess uas = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uas-called-party.xml"))
                    .localPort(trunkPort).mediaPort(SippCalls.freeUdpPort()).calls(1).set("choice", "sip-tester-1")
                    .set("greeting_ms", Long.toString(afterNotice)).set("then_ms", "0").set("talk_ms", "60000")
                    .timeout(Duration.ofSeconds(120)).start()) {
                E2eSwitch.sleep(400); // let it bind
                SippResult uac = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uac-inmate-call.xml"))
                        .remote(sw.sipTarget()).localPort(SippCalls.freeUdpPort()).mediaPort(SippCalls.freeUdpPort())
                        .service("15735550100").key("caller", "1001").set("pin", "1234")
                        .set("greeting_ms", "1000").set("talk_ms", "30000").arg("-cid_str", callId)
                        .timeout(Duration.ofSeconds(120)).run();
                assertTrue(uac.passed(), SippCalls.describe(uac));
                assertTrue(uas.await().passed(), "the called party's scenario passed");
            }
            CallRecord r = sw.awaitCdr(callId);
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            Wav.awaitComplete(Path.of(r.recording()), Duration.ofSeconds(20));

            Map<String, Double> m = scrape(sw);
            grew(before, m, "kinline_calls_total{outcome=\"completed\",reason=\"inmate_hangup\"}", 1);
            grew(before, m, "kinline_call_step_seconds_count{step=\"offhook\"}", 1);
            grew(before, m, "kinline_call_step_seconds_count{step=\"talking\"}", 1);
            assertTrue(m.get("kinline_call_step_seconds_sum{step=\"talking\"}") >= 3,
                    "the talking step lasted seconds (SIPp hangs up 30 s after its PIN): " + m);
            // Both legs got and sent RTP for seconds: hundreds of 20 ms packets each way.
            grew(before, m, "kinline_media_packets_total{direction=\"in\"}", 200);
            grew(before, m, "kinline_media_packets_total{direction=\"out\"}", 200);
            grew(before, m, "kinline_media_legs_ended_total", 2);
            grew(before, m, "kinline_media_jitter_milliseconds_count", 1);
            assertTrue(m.get("kinline_media_packets_expected_total") >= m.get("kinline_media_packets_lost_total"),
                    "loss never exceeds what was expected");
            assertTrue(m.containsKey("kinline_media_jitter_milliseconds_bucket{le=\"20.0\"}"), "jitter buckets");
            assertEquals(0.0, m.get("kinline_recording_errors_total"));
            assertEquals(0.0, m.get("kinline_recording_queue_samples"), "the writer has caught up");
            assertEquals(0.0, m.get("kinline_recording_open"));
            assertTrue(m.get("hikaricp_connections_acquire_seconds_count{pool=\"kinline-store\"}") > 0,
                    "the call used the pool");
        }
    }

    private static void grew(Map<String, Double> before, Map<String, Double> after, String series, double by) {
        Double now = after.get(series);
        if (now == null) {
            fail(series + " not in /metrics; kinline series: " + after.keySet().stream()
                    .filter(k -> k.startsWith("kinline_")).sorted().toList());
        }
        double grew = now - before.getOrDefault(series, 0.0);
        assertTrue(grew >= by, series + " grew by " + grew + ", expected at least " + by);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+(?:\\{[^}]*})?) ([0-9.eE+-]+|NaN)$");

    /** The samples of {@code /metrics}: series (name and labels as printed) to value. */
    static Map<String, Double> scrape(E2eSwitch sw) {
        var r = sw.adminGet("/metrics", Map.of());
        assertEquals(200, r.statusCode());
        Map<String, Double> out = new HashMap<>();
        for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }
}
