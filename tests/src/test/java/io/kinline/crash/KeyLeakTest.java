package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.tests.peer.SipPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 7: keys are consumed by the switch, never relayed to the other leg. The inmate's PIN (typed
 * ahead of its prompt) never reaches the called party, and the called party's accept key (RFC 4733, 160 ms:
 * its later packets arrive once the bridge is up) never reaches the handset.
 */
@Timeout(180)
class KeyLeakTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @Test
    void noAcceptKeyPacketReachesTheHandset(TestInfo info) throws Exception {
        Path logDir = SwitchProcess.logDir(info);
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = SwitchProcess.start(tmp.resolve("data"), trunk.port(), logDir, 1);
            try {
                sw.patchOk("/api/facilities/" + io.kinline.store.DemoData.FACILITY, "{\"consentDuringNotice\":true}");
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.dialToGreeting();
                    call.acceptAndAwaitTalking();
                    Thread.sleep(1500); // the rest of the accept key's packets, and their end retransmissions
                    assertEquals("", call.handsetRtp.receivedDigits(), "the accept key reached the handset");
                    assertEquals("", call.calledRtp.receivedDigits(), "the PIN reached the called party");
                    call.hangUp();
                }
            } finally {
                sw.kill();
            }
        }
    }
}
