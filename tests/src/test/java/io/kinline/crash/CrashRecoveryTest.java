package io.kinline.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.billing.Billing;
import io.kinline.store.DemoData;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.Goertzel;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of money, call records and recordings, proved on the real switch: {@code kinline.jar run}
 * in a child JVM, driven by a JAIN-SIP handset and called party with RTP both ways, killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at chosen points of a demo call (A1001, PIN 1234, prepaid
 * {@value InmateCallDriver#BTN} $25.00 at $0.06/min), or of calls still in the IVR, and restarted on the
 * same data directory.
 *
 * <p>Between runs the H2 file database is opened directly ({@link Store#open}) to see exactly what the
 * crash left behind; after a restart everything is checked through the admin API. Every kill point is
 * reached by polling the live call state ({@code GET /api/calls}), never by sleeping a guessed time.
 *
 * <p>Needs {@code switch/target/kinline.jar} (built in the switch module's package phase, before this
 * module's tests in {@code mvn verify}); fails with instructions if it is missing. Child logs stay in
 * {@code tests/target/crash-logs/<test>/}.
 */
@Timeout(240)
class CrashRecoveryTest {

    private static final BigDecimal START_BALANCE = new BigDecimal("25.00");
    private static final BigDecimal RATE = new BigDecimal("0.06");
    private static final String SWITCH_RESTART = "switch_restart";
    /** The switch's heartbeat period (io.kinline.call.Call.HEARTBEAT) plus a generous margin for its write. */
    private static final Duration TALK_PAST_FIRST_HEARTBEAT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;
    Path dataDir;
    Path logDir;
    int run;

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

    private SwitchProcess start(SipPeer trunk) throws Exception {
        SwitchProcess sw = SwitchProcess.start(dataDir, trunk.port(), logDir, ++run);
        // The driver's called party accepts half a second into the greeting: let that key count (the
        // consent timing is not what these tests are about; InmateCallSippTest tests both settings).
        sw.patchOk("/api/facilities/" + DemoData.FACILITY, "{\"consentDuringNotice\":true}");
        return sw;
    }

    /** Opens the switch's own H2 database from this JVM; only while no switch process runs. */
    private <T> T inStore(Function<Store, T> f) {
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            return f.apply(store);
        }
    }

    // ---------------------------------------------------------------- 1. killed while the called party hears the greeting

    @Test
    void killedDuringGreetingReleasesTheHoldAndRecordsAFailedCall() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = start(trunk);
            String callId;
            try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE, BigDecimal.ZERO);
                call.dialToGreeting();
                callId = call.callId();
                JsonNode during = sw.prepaid(InmateCallDriver.BTN);
                assertTrue(money(during, "held").signum() > 0, "a hold is taken at call setup: " + during);
                sw.kill();
            }

            // What the crash left: an OPEN, never accepted reservation, the money held, no record.
            Reservation left = inStore(s -> s.accounts().reservation(callId)).orElseThrow();
            assertEquals(Reservation.Status.OPEN, left.status());
            assertNull(left.acceptedAt(), "the called party never accepted");
            assertNull(inStore(s -> s.calls().get(callId)).orElse(null), "no record before the restart");
            PrepaidAccount before = inStore(s -> s.accounts().prepaid(InmateCallDriver.BTN)).orElseThrow();
            assertMoney(START_BALANCE, before.balance());
            assertMoney(left.amount(), before.held());

            sw = start(trunk);
            try {
                JsonNode cdr = sw.cdr(callId);
                assertNotNull(cdr, "reconcile wrote a record for the killed call: " + sw.cdrs());
                assertEquals("failed", cdr.path("outcome").asText(), cdr.toString());
                assertEquals(SWITCH_RESTART, cdr.path("reason").asText(), cdr.toString());
                assertMoney(BigDecimal.ZERO, money(cdr, "charge"));
                assertEquals(0, cdr.path("billedSeconds").asLong(), cdr.toString());
                assertParties(cdr);
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE, BigDecimal.ZERO);
                assertEquals(1, sw.cdrs().size(), "exactly one record");
            } finally {
                sw.kill();
            }
            assertEquals(Reservation.Status.RELEASED,
                    inStore(s -> s.accounts().reservation(callId)).orElseThrow().status());
        }
    }

    // ---------------------------------------------------------------- 2 + 4. killed mid-conversation

    @Test
    void killedMidConversationIsBilledToTheLastHeartbeatOnceAndKeepsItsRecording() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = start(trunk);
            String callId;
            Instant acceptedAt;
            Instant killedAt;
            try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                call.dialToGreeting();
                callId = call.callId();
                acceptedAt = call.acceptAndAwaitTalking();
                // Talk past the first heartbeat (10 s after acceptance), audio flowing both ways.
                Instant killAt = acceptedAt.plus(TALK_PAST_FIRST_HEARTBEAT);
                while (Instant.now().isBefore(killAt)) {
                    assertEquals("talking", call.awaitState("talking", Duration.ofSeconds(10)).path("state").asText());
                    Thread.sleep(250);
                }
                assertTrue(call.handsetRtp.awaitAudio(-40, Duration.ofSeconds(1)), "the inmate hears the called party");
                killedAt = Instant.now();
                sw.kill();
            }

            // What the crash left: an OPEN reservation, accepted, with at least one heartbeat; no record.
            Reservation left = inStore(s -> s.accounts().reservation(callId)).orElseThrow();
            assertEquals(Reservation.Status.OPEN, left.status());
            assertNotNull(left.acceptedAt(), "accepted was written at the bridge");
            assertNotNull(left.heartbeatAt(), "a heartbeat was written during " + TALK_PAST_FIRST_HEARTBEAT + " of talk");
            assertTrue(left.heartbeatAt().isAfter(left.acceptedAt()), "heartbeat after acceptance: " + left);
            assertTrue(!left.heartbeatAt().isAfter(killedAt), "no heartbeat from after the kill: " + left);
            assertNull(inStore(s -> s.calls().get(callId)).orElse(null), "no record before the restart");
            assertMoney(START_BALANCE, inStore(s -> s.accounts().prepaid(InmateCallDriver.BTN)).orElseThrow().balance());

            // 4. The recording as the crash left it: a valid WAV holding the talk up to about a second before the kill.
            Path wav = assertRecordingSurvived(callId, acceptedAt, killedAt);
            byte[] wavAsLeft = Files.readAllBytes(wav);

            // Expected bill: acceptance to the last heartbeat, rounded up to whole minutes, at $0.06.
            long talked = Duration.between(left.acceptedAt(), left.heartbeatAt()).toSeconds()
                    + (Duration.between(left.acceptedAt(), left.heartbeatAt()).toNanosPart() > 0 ? 1 : 0);
            long billed = (talked + 59) / 60 * 60;
            BigDecimal charge = RATE.multiply(BigDecimal.valueOf(billed / 60));
            assertTrue(charge.signum() > 0);

            JsonNode firstCdr;
            sw = start(trunk);
            try {
                firstCdr = sw.cdr(callId);
                assertNotNull(firstCdr, "reconcile wrote a record for the killed call: " + sw.cdrs());
                assertEquals("cut_off", firstCdr.path("outcome").asText(), firstCdr.toString());
                assertEquals(SWITCH_RESTART, firstCdr.path("reason").asText(), firstCdr.toString());
                assertEquals(billed, firstCdr.path("billedSeconds").asLong(), firstCdr.toString());
                assertParties(firstCdr);
                assertEquals("prepaid", firstCdr.path("funding").asText(), firstCdr.toString());
                assertMoney(charge, money(firstCdr, "charge"));
                assertEquals(left.acceptedAt(), Instant.parse(firstCdr.path("acceptedAt").asText()));
                assertEquals(left.heartbeatAt(), Instant.parse(firstCdr.path("endedAt").asText()),
                        "billed up to the last heartbeat");
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE.subtract(charge), BigDecimal.ZERO);
                // The record points at the recording the call left, and the API serves it unchanged.
                assertTrue(firstCdr.path("recorded").asBoolean(), "the reconciled record has the recording: " + firstCdr);
                HttpResponse<byte[]> download = sw.getBytes("/api/recordings/" + callId);
                assertEquals(200, download.statusCode(), new String(download.body(), StandardCharsets.UTF_8));
                assertArrayEquals(wavAsLeft, download.body(), "the recording as the crash left it");
            } finally {
                sw.kill(); // killed again, idle this time
            }

            // Restart again: nothing is charged twice, the record is unchanged.
            sw = start(trunk);
            try {
                assertEquals(1, sw.cdrs().size(), "still exactly one record: " + sw.cdrs());
                assertEquals(firstCdr, sw.cdr(callId), "the record did not change");
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE.subtract(charge), BigDecimal.ZERO);
            } finally {
                sw.kill();
            }
            Reservation settled = inStore(s -> s.accounts().reservation(callId)).orElseThrow();
            assertEquals(Reservation.Status.SETTLED, settled.status());
            assertMoney(charge, settled.charge());
            assertTrue(inStore(s -> s.accounts().openReservations()).isEmpty());
        }
    }

    // ---------------------------------------------------------------- 3. killed right after a normal hangup

    @Test
    void killedRightAfterHangupChangesNothingOnRestart() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = start(trunk);
            String callId;
            JsonNode cdr;
            JsonNode account;
            try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                call.dialToGreeting();
                callId = call.callId();
                call.acceptAndAwaitTalking();
                Thread.sleep(2000);
                call.hangUp();
                cdr = sw.awaitCdr(callId);
                account = sw.prepaid(InmateCallDriver.BTN);
                sw.kill(); // as soon as the record is visible
            }
            assertEquals("completed", cdr.path("outcome").asText(), cdr.toString());
            assertMoney(RATE, money(cdr, "charge"));
            assertAccount(account, START_BALANCE.subtract(RATE), BigDecimal.ZERO);
            assertEquals(Reservation.Status.SETTLED,
                    inStore(s -> s.accounts().reservation(callId)).orElseThrow().status(),
                    "settled before the kill");

            sw = start(trunk);
            try {
                assertEquals(cdr, sw.cdr(callId), "the record is unchanged");
                assertEquals(1, sw.cdrs().size());
                assertEquals(account, sw.prepaid(InmateCallDriver.BTN), "the account is unchanged");

                // The same again, but killed the moment the handset's BYE is answered: the settlement
                // may or may not have committed (it usually has not: the 200 goes out first). Either
                // way exactly one record and one charge of one minute: settled normally, or
                // reconciled from the acceptance (an accepted call costs at least one increment).
                String secondId;
                try (InmateCallDriver call = new InmateCallDriver(sw, trunk)) {
                    call.dialToGreeting();
                    secondId = call.callId();
                    call.acceptAndAwaitTalking();
                    Thread.sleep(2000);
                    call.hangUp();
                    sw.kill();
                }
                sw = start(trunk);
                JsonNode second = sw.cdr(secondId);
                assertNotNull(second, "a record for the call killed at hangup: " + sw.cdrs());
                assertEquals(2, sw.cdrs().size(), sw.cdrs().toString());
                assertTrue(List.of("completed", "cut_off").contains(second.path("outcome").asText()),
                        "settled normally, or reconciled as cut off: " + second);
                assertMoney(RATE, money(second, "charge"));
                assertEquals(60, second.path("billedSeconds").asLong(), second.toString());
                assertTrue(second.path("recorded").asBoolean(), "the recording is linked either way: " + second);
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE.subtract(RATE).subtract(RATE),
                        BigDecimal.ZERO);
                sw.kill();
                sw = start(trunk); // and once more: nothing moves
                assertEquals(second, sw.cdr(secondId));
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE.subtract(RATE).subtract(RATE),
                        BigDecimal.ZERO);
            } finally {
                sw.kill();
            }
            assertTrue(inStore(s -> s.accounts().openReservations()).isEmpty(), "no reservation left open");
        }
    }

    // ---------------------------------------------------------------- 5. killed in the IVR, before any reservation

    @Test
    void killedInTheIvrBeforeFundingStillLeavesOneRecordPerCall() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            SwitchProcess sw = start(trunk);
            String atNumber;
            String atPin;
            try (InmateCallDriver number = new InmateCallDriver(sw, trunk);
                 InmateCallDriver pin = new InmateCallDriver(sw, trunk)) {
                // Station 1002 entered Maria Lopez's PIN and is asked for the number (none in the INVITE).
                number.offhookToPinPrompt("1002", "inmate").enterPin("5678");
                atNumber = number.callId();
                // Station 1001 hears "please enter your PIN" and has entered nothing.
                pin.offhookToPinPrompt("1001", InmateCallDriver.BTN);
                atPin = pin.callId();
                assertEquals("number-lookup", sw.liveCall(atNumber).path("state").asText());
                sw.kill();
            }

            // What the crash left: no reservation, no hold, no record; only the calls' start rows.
            for (String callId : List.of(atPin, atNumber)) {
                assertTrue(inStore(s -> s.accounts().reservation(callId)).isEmpty(), "not funded: " + callId);
                assertNull(inStore(s -> s.calls().get(callId)).orElse(null), "no record before the restart");
            }
            assertMoney(BigDecimal.ZERO, inStore(s -> s.accounts().debit("A1002")).orElseThrow().held());
            List<StartedCall> left = inStore(s -> s.calls().unfinished());
            assertEquals(List.of(atNumber, atPin), left.stream().map(StartedCall::callId).toList(), left.toString());
            assertNull(left.get(1).inmateId(), "nobody identified at the PIN prompt");
            assertEquals("A1002", left.get(0).inmateId(), "the PIN named the caller");

            sw = start(trunk);
            try {
                JsonNode atPinCdr = sw.cdr(atPin);
                assertNotNull(atPinCdr, "reconcile wrote a record for the call killed at the PIN prompt: " + sw.cdrs());
                assertCrashedBeforeFunding(atPinCdr, "1001");
                assertTrue(atPinCdr.path("inmateId").isNull(), atPinCdr.toString());
                assertTrue(atPinCdr.path("dialed").isNull(), atPinCdr.toString());

                JsonNode atNumberCdr = sw.cdr(atNumber);
                assertNotNull(atNumberCdr, "reconcile wrote a record for the call killed at the number: " + sw.cdrs());
                assertCrashedBeforeFunding(atNumberCdr, "1002");
                assertEquals("A1002", atNumberCdr.path("inmateId").asText(), atNumberCdr.toString());

                assertEquals(2, sw.cdrs().size(), "exactly one record per call: " + sw.cdrs());
                assertAccount(sw.prepaid(InmateCallDriver.BTN), START_BALANCE, BigDecimal.ZERO);
            } finally {
                sw.kill();
            }
            assertTrue(inStore(s -> s.calls().unfinished()).isEmpty(), "no start row left");
            assertEquals(0, (int) inStore(s -> Billing.create(s).reconcile().total()), "nothing left to reconcile");
        }
    }

    /** The record reconcile writes for a call a crash ended in the IVR: who and where, failed, free. */
    private static void assertCrashedBeforeFunding(JsonNode cdr, String station) {
        assertEquals("failed", cdr.path("outcome").asText(), cdr.toString());
        assertEquals(SWITCH_RESTART, cdr.path("reason").asText(), cdr.toString());
        assertEquals("scc", cdr.path("facility").asText(), cdr.toString());
        assertEquals(station, cdr.path("station").asText(), cdr.toString());
        assertEquals("free", cdr.path("funding").asText(), cdr.toString());
        assertMoney(BigDecimal.ZERO, money(cdr, "charge"));
        assertEquals(0, cdr.path("billedSeconds").asLong(), cdr.toString());
        assertTrue(cdr.path("acceptedAt").isNull(), cdr.toString());
        assertTrue(cdr.hasNonNull("startedAt"), cdr.toString());
    }

    // ---------------------------------------------------------------- helpers

    /** A record written by reconcile still says who called whom from where (kept on the reservation). */
    private static void assertParties(JsonNode cdr) {
        assertEquals("scc", cdr.path("facility").asText(), cdr.toString());
        assertEquals("1001", cdr.path("station").asText(), cdr.toString());
        assertEquals("A1001", cdr.path("inmateId").asText(), cdr.toString());
        assertEquals(InmateCallDriver.BTN, cdr.path("dialed").asText(), cdr.toString());
        assertEquals(InmateCallDriver.BTN, cdr.path("btn").asText(), cdr.toString());
    }

    private static BigDecimal money(JsonNode n, String field) {
        assertTrue(n.hasNonNull(field), field + " missing in " + n);
        return new BigDecimal(n.path(field).asText());
    }

    private static void assertMoney(BigDecimal expected, BigDecimal actual) {
        assertEquals(0, expected.compareTo(actual), "expected " + expected + " but was " + actual);
    }

    private static void assertAccount(JsonNode account, BigDecimal balance, BigDecimal held) {
        assertEquals(0, balance.compareTo(money(account, "balance")), "balance: " + account);
        assertEquals(0, held.compareTo(money(account, "held")), "held: " + account);
        assertEquals(0, balance.subtract(held).compareTo(money(account, "available")), "available: " + account);
    }

    /**
     * The killed call's WAV: RIFF header consistent with the file (rewritten at each flush), 8 kHz 16-bit
     * stereo, holding the talk time up to about a second before the kill, the inmate's 440 Hz on the
     * left and the called party's 1000 Hz on the right up to its end.
     */
    private Path assertRecordingSurvived(String callId, Instant acceptedAt, Instant killedAt) throws IOException {
        String name = callId.replaceAll("[^A-Za-z0-9._-]", "_") + ".wav";
        Path wav;
        try (Stream<Path> files = Files.walk(dataDir.resolve("recordings"))) {
            wav = files.filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no recording " + name + " under " + dataDir.resolve("recordings")));
        }
        byte[] bytes = Files.readAllBytes(wav);
        assertTrue(bytes.length >= 44, "at least a header: " + bytes.length + " bytes");
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", ascii(bytes, 0));
        assertEquals("WAVE", ascii(bytes, 8));
        assertEquals("fmt ", ascii(bytes, 12));
        assertEquals(16, h.getInt(16));
        assertEquals(1, h.getShort(20), "PCM");
        assertEquals(2, h.getShort(22), "stereo: inmate left, called party right");
        assertEquals(8000, h.getInt(24));
        assertEquals(32000, h.getInt(28), "byte rate");
        assertEquals(4, h.getShort(32), "block align");
        assertEquals(16, h.getShort(34), "bits");
        assertEquals("data", ascii(bytes, 36));
        long dataBytes = h.getInt(40) & 0xFFFFFFFFL;
        assertEquals(36 + dataBytes, h.getInt(4) & 0xFFFFFFFFL, "RIFF size matches the data size");
        assertTrue(44 + dataBytes <= bytes.length, "the header never claims more than the file holds: "
                + dataBytes + " data bytes in a file of " + bytes.length);
        assertEquals(0, dataBytes % 4, "whole stereo frames");

        double recorded = dataBytes / 32000.0;
        double talked = Duration.between(acceptedAt, killedAt).toMillis() / 1000.0;
        double lost = talked - recorded;
        System.out.printf("recording of the killed call: %.2f s of %.2f s talked before the kill (%.2f s lost)%n",
                recorded, talked, lost);
        // Generous for a loaded machine: the design bound is ~0.8 s (300 ms commit lag + 500 ms flush).
        assertTrue(lost <= 2.5, String.format("recording lost %.2f s before the kill (%.2f of %.2f s)", lost,
                recorded, talked));
        assertTrue(lost >= -0.5, String.format("recording longer than the talk: %.2f s vs %.2f s", recorded, talked));

        // Content up to the end: the last second on each channel carries that side's tone.
        int frames = (int) (dataBytes / 4);
        int window = 8000;
        short[] left = new short[window];
        short[] right = new short[window];
        for (int i = 0; i < window; i++) {
            int frame = frames - window + i;
            left[i] = h.getShort(44 + frame * 4);
            right[i] = h.getShort(44 + frame * 4 + 2);
        }
        assertEquals(InmateCallDriver.INMATE_HZ,
                Goertzel.strongest(left, 0, window, 8000, InmateCallDriver.INMATE_HZ, InmateCallDriver.CALLED_HZ),
                "inmate channel (left) in the last recorded second");
        assertEquals(InmateCallDriver.CALLED_HZ,
                Goertzel.strongest(right, 0, window, 8000, InmateCallDriver.INMATE_HZ, InmateCallDriver.CALLED_HZ),
                "called party channel (right) in the last recorded second");
        assertTrue(Goertzel.levelDbov(left, 0, window) > -30, "inmate channel is not silence");
        assertTrue(Goertzel.levelDbov(right, 0, window) > -30, "called channel is not silence");
        return wav;
    }

    private static String ascii(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.US_ASCII);
    }
}
