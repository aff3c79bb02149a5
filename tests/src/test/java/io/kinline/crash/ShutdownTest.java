package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.tests.peer.SipPeer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orderly stop ({@code systemctl stop}: SIGTERM) in the middle of a call, on the real switch: both
 * parties are told (a BYE each, not a call left open on the gateway and the carrier until their session
 * timers), the talk is billed and recorded by the call itself, and the next start has nothing to reconcile.
 */
@Timeout(240)
class ShutdownTest {

    private static final BigDecimal START_BALANCE = new BigDecimal("25.00");

    @TempDir
    Path tmp;
    Path dataDir;
    Path logDir;

    @BeforeAll
    static void jarBuilt() {
        SwitchProcess.requireJar();
    }

    @BeforeEach
    void dirs(TestInfo info) throws IOException {
        dataDir = tmp.resolve("data");
        logDir = Files.createDirectories(Path.of("target", "crash-logs",
                info.getTestMethod().orElseThrow().getName()).toAbsolutePath());
    }

    @Test
    void sigtermMidCallSendsByeOnBothLegsAndTheCallBillsItself() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = SwitchProcess.start(dataDir, trunk.port(), logDir, 1);
            String callId;
            try (SwitchProcess running = sw; InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                call.dialToGreeting();
                callId = call.callId();
                call.acceptAndAwaitTalking();
                Thread.sleep(2500);

                // 143 = 128 + SIGTERM: the JVM's exit once its shutdown hooks ran (the unit's SuccessExitStatus).
                assertEquals(143, sw.terminate(), "the switch stops on SIGTERM\n" + sw.logTail());
                assertNotNull(call.call.awaitRequest("BYE", Duration.ofSeconds(5)),
                        "the handset got a BYE before the switch exited\n" + sw.logTail());
                assertNotNull(call.calledLeg.awaitRequest("BYE", Duration.ofSeconds(5)),
                        "the called party got a BYE before the switch exited\n" + sw.logTail());
                assertTrue(sw.logTail().contains("shutdown: ended 1 call(s) in progress"), sw.logTail());
            }

            sw = SwitchProcess.start(dataDir, trunk.port(), logDir, 2);
            try {
                JsonNode cdr = sw.cdr(callId);
                assertNotNull(cdr, "the call wrote its record before the switch exited: " + sw.cdrs());
                assertEquals("cut_off", cdr.path("outcome").asText(), cdr.toString());
                assertEquals("shutdown", cdr.path("reason").asText(), "ended by the stop, not reconciled: " + cdr);
                assertTrue(cdr.path("billedSeconds").asLong() >= 2, cdr.toString());
                assertTrue(cdr.path("recorded").asBoolean(), cdr.toString());
                BigDecimal charge = new BigDecimal(cdr.path("charge").asText());
                assertTrue(charge.signum() > 0, cdr.toString());
                JsonNode account = sw.prepaid(InmateCallDriver.BTN);
                assertEquals(0, START_BALANCE.subtract(charge).compareTo(new BigDecimal(account.path("balance").asText())),
                        "charged once, by the call: " + account);
                assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(account.path("held").asText())),
                        "no hold left: " + account);
            } finally {
                sw.kill();
            }
        }
    }
}
