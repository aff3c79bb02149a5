package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.RtpPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 5: a gateway behind NAT (no ALG) advertises its inside address in its Contact, unreachable
 * from the switch. The switch's BYE must still reach it: in-dialog requests go where its INVITE came from.
 */
@Timeout(180)
class NatGatewayTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @Test
    void aGatewayAdvertisingAnUnreachableContactStillReceivesTheBye(TestInfo info) throws Exception {
        Path logDir = SwitchProcess.logDir(info);
        try (SipPeer trunk = SipPeer.builder().name("trunk").build();
                SipPeer gateway = SipPeer.builder().name("natted").advertise("10.255.255.1:5060").build();
                RtpPeer rtp = RtpPeer.open()) {
            SwitchProcess sw = SwitchProcess.start(tmp.resolve("data"), trunk.port(), logDir, 1);
            try {
                // A toll-free number: the switch takes the PIN, denies the call and hangs up itself (BYE).
                ClientCall call = gateway.call(sw.sipUri("18005550123"), "1001", rtp.offer(), Map.of(), null);
                assertEquals(200, call.awaitFinalStatus(Duration.ofSeconds(30)), sw.logTail());
                rtp.acceptAnswer(call.remoteSdp());
                rtp.play(AudioSource.tone(440, 8000)).startSending();
                Thread.sleep(300);
                rtp.sendDigits("1234#", 120, 80);
                assertNotNull(call.awaitRequest("BYE", Duration.ofSeconds(60)),
                        "the switch's BYE reached the gateway behind NAT\n" + sw.logTail());
                JsonNode r = sw.awaitCdrBySipCallId(call.callId());
                assertEquals("toll_free", r.path("reason").asText(), r.toString());
            } finally {
                sw.kill();
            }
        }
    }
}
