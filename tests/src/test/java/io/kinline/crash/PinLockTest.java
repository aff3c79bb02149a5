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
 * Issue 10, item 3: PIN guessing is counted per station across calls. The demo facility allows 3 wrong PINs:
 * two in one call and one in the next lock station 1001; then even the right PIN is refused there
 * ({@code pin_locked}, the caller hears that the phone is locked) while station 1002 works, until an admin
 * clears the lock (audited).
 */
@Timeout(300)
class PinLockTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @Test
    void aStationThatFailedThreePinsIsRefusedWithTheRightPinWhileAnotherWorks(TestInfo info) throws Exception {
        Path logDir = SwitchProcess.logDir(info);
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = SwitchProcess.start(tmp.resolve("data"), trunk.port(), logDir, 1);
            try {
                // Two wrong PINs, then the handset hangs up (the per-call count starts again on the next call).
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.offhookToPinPrompt("1001", InmateCallDriver.BTN);
                    call.type("9990#");
                    Thread.sleep(4500); // "That PIN is not valid" and the PIN prompt again
                    call.type("9991#");
                    Thread.sleep(4500);
                    call.hangUp();
                }
                // One more wrong PIN on the next call: the third at this station.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    JsonNode r = call.offhookTypeAndAwaitEnd("1001", InmateCallDriver.BTN, "9992#");
                    assertEquals("denied", r.path("outcome").asText(), r.toString());
                    assertEquals("pin_failed", r.path("reason").asText(), r.toString());
                }
                JsonNode incidents = sw.getOk("/api/incidents?type=pin_lockout");
                assertTrue(incidents.toString().contains("1001"), "a lockout incident names the station: " + incidents);

                // The right PIN at the locked station: refused, and the caller is told.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    JsonNode r = call.offhookTypeAndAwaitEnd("1001", InmateCallDriver.BTN, "1234#");
                    assertEquals("denied", r.path("outcome").asText(), r.toString());
                    assertEquals("pin_locked", r.path("reason").asText(), r.toString());
                }
                // Another station is not locked.
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.offhookToPinPrompt("1002", InmateCallDriver.BTN).enterPin("5678#");
                    call.hangUp();
                }

                JsonNode locks = sw.getOk("/api/pin-locks");
                assertTrue(locks.toString().contains("\"1001\""), "the lock is listed: " + locks);
                assertEquals(204, sw.delete("/api/pin-locks/stations/1001"));
                assertTrue(sw.getOk("/api/audit?target=station%3A1001").toString().contains("pin.lock.clear"),
                        "clearing a lock is audited");
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.offhookToPinPrompt("1001", InmateCallDriver.BTN).enterPin("1234#");
                    call.hangUp();
                }
            } finally {
                sw.kill();
            }
        }
    }
}
