package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.RtpPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 4: a gateway presents only the stations provisioned behind it ({@code sip.gateways.stations}).
 * The handset peers send from 127.0.0.1; the most specific entry containing it ({@code 127.0.0.1/32}) lists
 * station 1001 only, while the broader {@code 127.0.0.0/8} lists every demo station. A forged From user (1002,
 * a real station, behind another gateway) gets 403 and a {@code station_not_allowed} incident, no call record.
 */
@Timeout(180)
class StationBindingTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @Test
    void aStationOutsideTheGatewaysListGets403AndAnIncident(TestInfo info) throws Exception {
        Path logDir = SwitchProcess.logDir(info);
        Path config = tmp.resolve("bound.yaml");
        Files.writeString(config, """
                sip:
                  gateways:
                    stations:
                      "127.0.0.0/8": ["1001-1005"]
                      "127.0.0.1/32": ["1001"]
                """);
        try (SipPeer trunk = SipPeer.builder().name("trunk").build();
                SipPeer phone = SipPeer.builder().name("handset").build();
                RtpPeer rtp = RtpPeer.open()) {
            SwitchProcess sw = SwitchProcess.start(tmp.resolve("data"), trunk.port(), logDir, 1,
                    List.of("--config", config.toString()));
            try {
                ClientCall forged = phone.call(sw.sipUri(InmateCallDriver.BTN), "1002", rtp.offer(), Map.of(), null);
                assertEquals(403, forged.awaitFinalStatus(Duration.ofSeconds(20)), sw.logTail());
                JsonNode incidents = sw.getOk("/api/incidents?type=station_not_allowed");
                assertEquals(1, incidents.path("count").asInt(), incidents.toString());
                assertTrue(incidents.toString().contains("1002"), incidents.toString());
                Thread.sleep(500);
                assertEquals(0, sw.cdrs().size(), "no call, no record: " + sw.cdrs());

                ClientCall allowed = phone.call(sw.sipUri(InmateCallDriver.BTN), "1001", rtp.offer(), Map.of(), null);
                assertEquals(200, allowed.awaitFinalStatus(Duration.ofSeconds(20)), sw.logTail());
                allowed.bye();
            } finally {
                sw.kill();
            }
        }
    }
}
