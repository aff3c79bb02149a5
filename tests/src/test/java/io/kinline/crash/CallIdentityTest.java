package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.SipPeer;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 1: the switch's own call id keys a call, never the peer's SIP Call-ID. A handset that reuses a
 * finished call's Call-ID (from another station, with another inmate's PIN) places a second call: its own
 * record, its own charge, its own recording; both records carry the SIP Call-ID and are found by it.
 */
@Timeout(300)
class CallIdentityTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @Test
    void aReplayedCallIdIsASecondChargedAndRecordedCall(TestInfo info) throws Exception {
        Path dataDir = tmp.resolve("data");
        Path logDir = SwitchProcess.logDir(info);
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = SwitchProcess.start(dataDir, trunk.port(), logDir, 1);
            try {
                // The driver accepts during the greeting (barge-in): the demo facility's default waits for the
                // notice's end and discards a key pressed before it.
                sw.patchOk("/api/facilities/" + io.kinline.store.DemoData.FACILITY, "{\"consentDuringNotice\":true}");
                BigDecimal before = new BigDecimal(sw.prepaid(InmateCallDriver.BTN).path("balance").asText());
                List<String> ids = new ArrayList<>();
                String sipCallId = null;
                for (String[] who : new String[][] {{"1001", "1234"}, {"1002", "5678"}}) {
                    try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                        call.callIdOverride = sipCallId; // the second INVITE replays the first's Call-ID
                        call.dialToGreeting(who[0], who[1]);
                        sipCallId = call.sipCallId();
                        ids.add(call.callId());
                        call.acceptAndAwaitTalking();
                        Thread.sleep(2500);
                        call.hangUp();
                    }
                    sw.awaitCdr(ids.getLast());
                }
                assertNotEquals(ids.get(0), ids.get(1), "two calls, two ids");
                for (String id : ids) {
                    UUID.fromString(id); // the switch's id, not the peer's Call-ID
                }
                JsonNode first = sw.cdr(ids.get(0));
                JsonNode second = sw.cdr(ids.get(1));
                assertEquals("1001", first.path("station").asText(), first.toString());
                assertEquals("1002", second.path("station").asText(), second.toString());
                BigDecimal charged = BigDecimal.ZERO;
                for (JsonNode r : List.of(first, second)) {
                    assertEquals("completed", r.path("outcome").asText(), r.toString());
                    assertEquals(sipCallId, r.path("sipCallId").asText(), "the SIP Call-ID is kept: " + r);
                    assertTrue(r.path("trunkCallId").asText().length() > 8, "the trunk leg's Call-ID: " + r);
                    assertTrue(new BigDecimal(r.path("charge").asText()).signum() > 0, "charged: " + r);
                    assertTrue(r.path("recorded").asBoolean(), r.toString());
                    charged = charged.add(new BigDecimal(r.path("charge").asText()));
                }
                assertNotEquals(first.path("trunkCallId").asText(), second.path("trunkCallId").asText());
                BigDecimal after = new BigDecimal(sw.prepaid(InmateCallDriver.BTN).path("balance").asText());
                assertEquals(0, before.subtract(charged).compareTo(after), "both charges were paid: " + after);

                String a = first.path("recordingSha256").asText();
                String b = second.path("recordingSha256").asText();
                assertEquals(64, a.length(), first.toString());
                assertNotEquals(a, b, "two recordings");
                assertEquals(a, sha256(sw.getBytes("/api/recordings/" + ids.get(0)).body()));
                assertEquals(b, sha256(sw.getBytes("/api/recordings/" + ids.get(1)).body()));

                JsonNode found = sw.getOk("/api/cdrs?sipCallId=" + URLEncoder.encode(sipCallId, StandardCharsets.UTF_8));
                assertEquals(2, found.path("cdrs").size(), "both calls are found by the SIP Call-ID: " + found);
                JsonNode none = sw.getOk("/api/cdrs?sipCallId=nobody%40nowhere");
                assertEquals(0, none.path("cdrs").size(), "the filter filters: " + none);
            } finally {
                sw.kill();
            }
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

}
