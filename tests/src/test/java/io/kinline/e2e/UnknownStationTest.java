package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.SipEvent;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.RtpPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A flood of INVITEs from stations nobody provisioned (a forged From user, or a misconfigured gateway) must
 * not spend the admitted-call budget ({@code sip.maxCallsPerSecond}): they are turned away with 403 before
 * the budget is charged, so real handsets keep getting through. Each is counted in
 * {@code kinline_calls_total{outcome="rejected",reason="unknown_station"}}, and logged at most once a second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnknownStationTest {

    private static final Duration SIP_WAIT = Duration.ofSeconds(20);
    private static final int FLOOD = 12;

    private E2eSwitch sw;
    private SipPeer trunk;
    private SipPeer gateway;

    @BeforeAll
    void start() throws Exception {
        trunk = SipPeer.builder().name("trunk").build();
        gateway = SipPeer.builder().name("gateway").build();
        // One admitted call a second, a burst of one: a flood that spent the budget would lock every handset out.
        sw = E2eSwitch.start(trunk.address(), 10, 33000, f -> f, cfg -> cfg.sip.maxCallsPerSecond = 1);
    }

    @AfterAll
    void stop() {
        if (sw != null) {
            sw.close();
        }
        gateway.close();
        trunk.close();
    }

    @Test
    void unknownStationsAreRefusedWithoutSpendingTheCallBudget() throws Exception {
        List<ClientCall> forged = new ArrayList<>();
        try (RtpPeer rtp = RtpPeer.open()) {
            for (int i = 0; i < FLOOD; i++) {
                forged.add(gateway.call(sw.sipUri("15735550100"), "66" + String.format("%03d", i), rtp.offer()));
            }
            for (ClientCall c : forged) {
                SipEvent r = c.awaitFinal(SIP_WAIT);
                assertEquals(403, r.status(), "an unknown station is refused: " + r);
                String statusLine = r.raw().lines().findFirst().orElse("");
                assertTrue(statusLine.contains("Unknown Station"), statusLine);
            }
            // A provisioned handset right after the flood is admitted: the flood spent nothing.
            String station = sw.newStation();
            ClientCall real = gateway.call(sw.sipUri("15735550100"), station, rtp.offer());
            SipEvent answer = real.awaitFinal(SIP_WAIT);
            assertEquals(200, answer.status(), "the real handset got through: " + answer);
            real.bye(); // auto-ACKed
        }
        String metrics = new String(sw.adminGet("/metrics", Map.of()).body(), StandardCharsets.UTF_8);
        String line = metrics.lines().filter(l -> l.startsWith("kinline_calls_total{")
                && l.contains("outcome=\"rejected\"") && l.contains("reason=\"unknown_station\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no unknown_station counter in /metrics"));
        assertEquals(FLOOD, (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), line);
        sw.awaitIdle(SIP_WAIT);
    }
}
