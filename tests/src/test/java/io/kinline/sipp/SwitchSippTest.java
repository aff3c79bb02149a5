package io.kinline.sipp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.tests.sipp.Sipp;
import io.kinline.tests.sipp.Sipp.SippProcess;
import io.kinline.tests.sipp.Sipp.SippResult;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's SIP core against SIPp (issue 2): a basic call, CANCEL before answer, and 503 with
 * Retry-After under overload, each against a switch started in this JVM on free loopback ports.
 */
class SwitchSippTest {

    private static final Path SIPP_DIR = Path.of("sipp");

    @TempDir
    Path dataDir;

    @BeforeEach
    void needSipp() {
        if (Sipp.available()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("SIPp not found at " + Sipp.binary() + " (install the Debian package sip-tester)");
        }
        assumeTrue(false, "SIPp not installed");
    }

    private KinlineSwitch start(String mode, int trunkPort, int maxCalls, int maxCps) throws Exception {
        KinlineConfig cfg = KinlineConfig.load(null);
        cfg.mode = mode;
        cfg.store.dataDir = dataDir.toString();
        cfg.sip.port = freePort();
        cfg.sip.t1Millis = 100;
        cfg.sip.maxConcurrentCalls = maxCalls;
        cfg.sip.maxCallsPerSecond = maxCps;
        cfg.sip.retryAfterSeconds = 7;
        cfg.sip.trunk.address = "127.0.0.1:" + trunkPort;
        cfg.admin.port = 0;
        int media = 30000 + (int) (ProcessHandle.current().pid() % 100) * 200;
        cfg.media.portMin = media;
        cfg.media.portMax = media + 198;
        return new KinlineSwitch(cfg).start();
    }

    private static String remote(KinlineSwitch node) {
        return "127.0.0.1:" + node.sipUdpAddress().getPort();
    }

    @Test
    void basicCallIsAnsweredByTheSwitchAndEndsWithBye() throws Exception {
        try (KinlineSwitch node = start(KinlineConfig.MODE_IVR, freePort(), 100, 50)) {
            // A known station calls; the switch answers itself (the IVR runs on this leg); SIPp hangs up.
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-inmate-call.xml")).remote(remote(node))
                    .localPort(freePort()).mediaPort(freePort()).service("5735550100").key("caller", "1001")
                    .set("pin", "1234").set("greeting_ms", "3000").set("talk_ms", "1000")
                    .calls(1).timeout(Duration.ofSeconds(40)).run();
            assertTrue(uac.passed(), uac + "\n" + uac.errors());
            assertEquals(1, uac.successful());
            CallRecord cdr = awaitAnyRecord(node);
            assertEquals("1001", cdr.station());
            assertEquals("A1001", cdr.inmateId(), "the PIN was heard");
            assertEquals(CallOutcome.FAILED, cdr.outcome(), "the handset hung up during the IVR");
            // The handset listened 3 s before its PIN, then 1.3 s for the PIN and 1 s more: a scenario whose
            // greeting pause did nothing (a -set string) hung up after 2.5 s.
            long held = Duration.between(cdr.startedAt(), cdr.endedAt()).toMillis();
            assertTrue(held >= 5000, "the handset hung up " + held + " ms after its INVITE");
            assertEquals(0, node.sip().dialogCount() + node.b2bua().activeCount(), "no dialog or call left");
        }
    }

    @Test
    void cancelBeforeAnswerReachesTheTrunkAndGets487() throws Exception {
        int trunkPort = freePort();
        try (SippProcess trunk = Sipp.scenario(SIPP_DIR.resolve("uas-noanswer.xml")).localPort(trunkPort)
                .mediaPort(freePort()).calls(1).timeout(Duration.ofSeconds(40)).start();
             KinlineSwitch node = start(KinlineConfig.MODE_PASSTHROUGH, trunkPort, 100, 50)) {
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-cancel.xml")).remote(remote(node))
                    .localPort(freePort()).mediaPort(freePort()).service("15735550100")
                    .calls(1).callTimeoutMs(500).timeout(Duration.ofSeconds(30)).run();
            assertTrue(uac.passed(), "handset side: " + uac + "\n" + uac.errors());
            SippResult far = trunk.await();
            assertTrue(far.passed(), "trunk side saw the CANCEL and sent 487: " + far + "\n" + far.errors());
            awaitTrue(() -> node.sip().dialogCount() == 0 && node.sip().transactionCount() == 0,
                    "transactions and dialogs drain after the CANCEL");
        }
    }

    @Test
    void overloadIsShedWith503AndRetryAfterThenRecovers() throws Exception {
        int trunkPort = freePort();
        try (SippProcess trunk = Sipp.scenario(SIPP_DIR.resolve("uas-answer.xml")).localPort(trunkPort)
                .mediaPort(freePort()).calls(300).timeout(Duration.ofSeconds(90)).start();
             KinlineSwitch node = start(KinlineConfig.MODE_PASSTHROUGH, trunkPort, 5, 10)) {
            // 40 calls/s offered against 10 calls/s and 5 concurrent: most get 503, and every 503
            // must carry Retry-After (the scenario fails a 503 without it).
            SippResult burst = Sipp.scenario(SIPP_DIR.resolve("uac-overload.xml")).remote(remote(node))
                    .localPort(freePort()).mediaPort(freePort()).service("15735550100")
                    .calls(120).rate(40).limit(200).callTimeoutMs(1000).timeout(Duration.ofSeconds(60)).run();
            assertTrue(burst.passed(), burst + "\n" + burst.errors());
            long shed = node.sip().metrics().serviceUnavailableSent.get();
            assertTrue(shed >= 40, "expected most of the burst shed with 503, got " + shed);
            assertTrue(shed < 120, "some calls must still get through, got " + shed + " of 120 shed");

            // Load drops: calls at a sustainable rate all succeed, with no new 503.
            awaitTrue(() -> node.sip().dialogCount() == 0, "burst calls drain");
            Thread.sleep(1200); // let the token bucket refill
            long before = node.sip().metrics().serviceUnavailableSent.get();
            SippResult calm = Sipp.scenario(SIPP_DIR.resolve("uac-basic.xml")).remote(remote(node))
                    .localPort(freePort()).mediaPort(freePort()).service("15735550100")
                    .calls(10).rate(2).limit(3).callTimeoutMs(200).timeout(Duration.ofSeconds(60)).run();
            assertTrue(calm.passed(), "after the burst: " + calm + "\n" + calm.errors());
            assertEquals(10, calm.successful());
            assertEquals(before, node.sip().metrics().serviceUnavailableSent.get(), "no 503 once the load dropped");
        }
    }

    private static CallRecord awaitAnyRecord(KinlineSwitch node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<CallRecord> r = node.store().calls().search(new io.kinline.store.CallQuery(null, null, null,
                    null, null, null, null, 10)).stream().findFirst();
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no call record written");
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting: " + what);
    }

    static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int p = s.getLocalPort();
                if (p % 2 == 0 && p < 60000) {
                    return p;
                }
            }
        }
        throw new IOException("no free port");
    }

    static {
        // SIPp scenario paths are relative to the tests module, where surefire runs.
        if (!Files.isDirectory(SIPP_DIR)) {
            throw new IllegalStateException("run from the tests module: " + SIPP_DIR.toAbsolutePath());
        }
    }
}
