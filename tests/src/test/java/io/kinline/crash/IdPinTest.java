package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.SipPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 3, {@code identification: id_pin}, through real SIP: the caller keys the inmate number, then the
 * PIN. Three wrong PINs for inmate A1001's number (1001), two on one call from station 1003 and one on the next
 * from station 1004, lock A1001's PIN (no station reached its own limit); A1001's right PIN is then refused with
 * {@code pin_locked} from a third station while A1002 still calls from it, until an admin clears the lock.
 */
@Timeout(300)
class IdPinTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @Test
    void threeWrongPinsForOneNumberFromTwoStationsLockThatInmateOnly(TestInfo info) throws Exception {
        Path logDir = SwitchProcess.logDir(info);
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = SwitchProcess.start(tmp.resolve("data"), trunk.port(), logDir, 1);
            try {
                sw.patchOk("/api/facilities/scc", "{\"identification\":\"id_pin\"}");
                assertEquals("id_pin", sw.getOk("/api/facilities/scc").path("identification").asText());

                // Station 1003: A1001's number with two wrong PINs, then the handset hangs up.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.offhookToPinPrompt("1003", InmateCallDriver.BTN); // the inmate-number prompt
                    call.type("1001#9990#");
                    Thread.sleep(6000); // "That PIN is not valid", then the number prompt again
                    call.type("1001#9991#");
                    Thread.sleep(6000);
                    call.hangUp();
                }
                // Station 1004: the third wrong PIN for that number locks the inmate.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    JsonNode r = call.offhookTypeAndAwaitEnd("1004", InmateCallDriver.BTN, "1001#9992#");
                    assertEquals("denied", r.path("outcome").asText(), r.toString());
                    assertEquals("pin_locked", r.path("reason").asText(), r.toString());
                    assertEquals("A1001", r.path("inmateId").asText(), r.toString());
                }
                JsonNode incidents = sw.getOk("/api/incidents?type=pin_lockout");
                assertTrue(incidents.toString().contains("A1001"), "the lockout incident names the inmate: " + incidents);
                JsonNode locks = sw.getOk("/api/pin-locks");
                assertTrue(locks.path("inmates").toString().contains("\"A1001\""), "the inmate is locked: " + locks);
                assertEquals(0, locks.path("stations").size(), "no station reached its limit: " + locks);

                // The right PIN from a station that saw no failure: refused, the inmate's lock holds.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    JsonNode r = call.offhookTypeAndAwaitEnd("1005", InmateCallDriver.BTN, "1001#1234#");
                    assertEquals("denied", r.path("outcome").asText(), r.toString());
                    assertEquals("pin_locked", r.path("reason").asText(), r.toString());
                    assertEquals("A1001", r.path("inmateId").asText(), r.toString());
                }
                // Another inmate still calls from that station.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.offhookToPinPrompt("1005", InmateCallDriver.BTN).enterPin("1002#5678#");
                    call.hangUp();
                }

                assertEquals(204, sw.delete("/api/pin-locks/inmates/A1001"));
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.offhookToPinPrompt("1004", InmateCallDriver.BTN).enterPin("1001#1234#");
                    call.hangUp();
                }
            } finally {
                sw.kill();
            }
        }
    }
}
