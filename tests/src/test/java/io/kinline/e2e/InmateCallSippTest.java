package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.store.Block;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.CallType;
import io.kinline.store.DemoData;
import io.kinline.store.Funding;
import io.kinline.store.Incident;
import io.kinline.store.RateTable;
import io.kinline.store.Reservation;
import io.kinline.tests.sipp.Sipp;
import io.kinline.tests.sipp.Sipp.SippProcess;
import io.kinline.tests.sipp.Sipp.SippResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The inmate call flow through real SIP and RTP, driven by SIPp: the handset (UAC) sends its PIN as
 * RFC 4733 events (or in-band tones) from pcaps, the called party (UAS on the switch's trunk) presses
 * its consent keys the same way. Each test asserts the call record and the money.
 *
 * <p>One switch for the class. Tests that reach the trunk take the {@code trunk} lock (the switch has
 * one trunk, the SIPp UAS listens on it for one call); the others, denied before any B-leg, run
 * alongside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class InmateCallSippTest {

    private static final BigDecimal RATE = new BigDecimal("0.06");
    private static final BigDecimal INTERNATIONAL_RATE = new BigDecimal("0.25");
    /** Time the handset waits for the switch's BYE before hanging up itself. */
    private static final long LONG_WAIT_MS = 60_000;
    /** A second into the consent menu, after the notice is heard, for the tests' inmates (named by an-inmate.wav). */
    private static long afterNotice;
    /** The same for the demo inmate A1001, whose name (said on its first call here) may last the 3 s maximum. */
    private static long afterNoticeA1001;
    private static long afterNoticePrivileged;

    private E2eSwitch sw;
    private int trunkPort;

    @TempDir
    Path tmp;

    @BeforeAll
    void startSwitch() throws IOException {
        SippCalls.requireSipp();
        afterNotice = SippCalls.noticeMillis(SippCalls.promptSeconds("an-inmate"), false) + 1000;
        afterNoticeA1001 = SippCalls.noticeMillis(3.0, false) + 1000;
        afterNoticePrivileged = SippCalls.noticeMillis(SippCalls.promptSeconds("an-inmate"), true) + 1000;
        trunkPort = SippCalls.freeFixedPort(32000, 32700);
        // SIPp sends RTP only while it plays a pcap: the media timeout must outlast a whole call.
        // International calls cost more than the local ones every test makes: a local call must still be
        // checked, held and charged at the local rate (prepaidThatBuysOneLocalMinutePaysForALocalCall).
        sw = E2eSwitch.start(new InetSocketAddress("127.0.0.1", trunkPort), 300, 30000,
                f -> f.answerTimeoutSeconds(6).consentRepeats(1)
                        .rates(RateTable.flat(RATE).with(CallType.INTERNATIONAL, INTERNATIONAL_RATE)));
    }

    @AfterAll
    void stopSwitch() {
        if (sw != null) {
            sw.close();
        }
    }

    @BeforeEach
    void needSipp() {
        SippCalls.requireSipp();
    }

    /** The called party on the trunk: uas-called-party.xml pressing {@code choice} after {@code greetingMs}. */
    private SippProcess calledParty(String choice, long greetingMs, long talkMs) throws IOException {
        return calledParty(choice, greetingMs, 0, talkMs);
    }

    /** As {@link #calledParty(String, long, long)}, pressing 1 again {@code thenMs} after the first key (if > 0). */
    private SippProcess calledParty(String choice, long greetingMs, long thenMs, long talkMs) throws IOException {
        SippProcess uas = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uas-called-party.xml")).localPort(trunkPort)
                .mediaPort(SippCalls.freeUdpPort()).calls(1).set("choice", choice)
                .set("greeting_ms", Long.toString(greetingMs)).set("then_ms", Long.toString(thenMs))
                .set("talk_ms", Long.toString(talkMs))
                .timeout(Duration.ofSeconds(talkMs / 1000 + 120)).start();
        E2eSwitch.sleep(400); // let it bind
        return uas;
    }

    private static String callId(String name) {
        return "e2e-" + name + "-" + E2eSwitch.next() + "@127.0.0.1";
    }

    private SippResult handset(String station, String dialled, String callId, long talkMs,
            SippCalls.Steps steps) throws IOException {
        Path scenario = SippCalls.handsetScenario(tmp, steps);
        return SippCalls.handset(scenario, sw.sipTarget(), station, dialled, callId, talkMs).run();
    }

    private static void assertNoMoneyMoved(CallRecord r) {
        assertEquals(0, BigDecimal.ZERO.compareTo(r.charge()), "charge of " + r);
        assertEquals(0, r.billedSeconds());
        assertEquals(Funding.FREE, r.funding());
    }

    // ---- calls that reach the called party ----------------------------------------------------

    @Test
    @ResourceLock("trunk")
    void completedCallIsChargedAndRecorded() throws Exception {
        // The demo inmate A1001 (PIN 1234) through the committed scenarios, as in the manual run. The
        // called party accepts with the RFC 2833 "1" that ships with sip-tester, not one of ours.
        String number = "+15735550100";
        BigDecimal prepaidBefore = sw.prepaidBalance(number);
        BigDecimal debitBefore = sw.debitBalance("A1001");
        String callId = callId("completed");
        try (SippProcess uas = calledParty("sip-tester-1", afterNoticeA1001, LONG_WAIT_MS)) {
            SippResult uac = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uac-inmate-call.xml")).remote(sw.sipTarget())
                    .localPort(SippCalls.freeUdpPort()).mediaPort(SippCalls.freeUdpPort())
                    .service(number.substring(1)).key("caller", "1001").set("pin", "1234")
                    .set("greeting_ms", "1000").set("talk_ms", "34000").arg("-cid_str", callId)
                    .timeout(Duration.ofSeconds(120)).run();
            assertTrue(uac.passed(), SippCalls.describe(uac));
            SippResult called = uas.await();
            assertTrue(called.passed(), SippCalls.describe(called));
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
        assertEquals("inmate_hangup", r.reason());
        assertEquals("A1001", r.inmateId());
        assertEquals("1001", r.station());
        assertEquals(number, r.btn());
        assertEquals(Funding.PREPAID, r.funding());
        assertNotNull(r.answeredAt());
        assertNotNull(r.acceptedAt());
        assertFalse(r.privileged());
        // Billing rounds up to whole minutes: a call of a few seconds is one minute.
        assertEquals(60, r.billedSeconds());
        assertEquals(0, RATE.compareTo(r.charge()), r.charge().toString());
        // The called party listened to the notice before its key counted: SIPp's greeting_ms was waited.
        long consentMs = Duration.between(r.answeredAt(), r.acceptedAt()).toMillis();
        assertTrue(consentMs >= afterNoticeA1001 - 500, "accepted " + consentMs + " ms after the answer");
        assertNotNull(r.recording(), "a recorded call has a recording");
        Wav wav = Wav.awaitComplete(Path.of(r.recording()), Duration.ofSeconds(20));
        double talked = Duration.between(r.acceptedAt(), r.endedAt()).toMillis() / 1000.0;
        double seconds = wav.frames() / 8000.0;
        assertTrue(seconds > talked * 0.6 && seconds < talked + 3,
                "recording of " + seconds + " s for " + talked + " s talked");
        assertBothVoices(wav);
        assertEquals(0, prepaidBefore.subtract(RATE).compareTo(sw.prepaidBalance(number)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(number)));
        assertEquals(0, debitBefore.compareTo(sw.debitBalance("A1001")), "the prepaid account paid");
        assertNotNull(r.inmateQuality());
        assertNotNull(r.calledQuality());
    }

    /**
     * Both SIPp phones talk through the call (rtp_stream): the inmate counts in English on the left channel,
     * the called party in Spanish on the right, each channel carrying its own voice and not the other's.
     */
    private static void assertBothVoices(Wav wav) throws IOException {
        assertEquals(2, wav.channels());
        short[] inmate = Voices.channel(wav, 0);
        short[] called = Voices.channel(wav, 1);
        assertTrue(Voices.activeShare(inmate, -40) > 0.15, "the inmate talks: " + Voices.activeShare(inmate, -40));
        assertTrue(Voices.activeShare(called, -40) > 0.15, "the called party talks: " + Voices.activeShare(called, -40));
        short[] english = Voices.ulaw(Path.of("pcap/talk-inmate-en.ulaw"));
        short[] spanish = Voices.ulaw(Path.of("pcap/talk-called-es.ulaw"));
        double inmateEn = Voices.match(inmate, english);
        double inmateEs = Voices.match(inmate, spanish);
        double calledEs = Voices.match(called, spanish);
        double calledEn = Voices.match(called, english);
        String got = String.format("left: en %.2f es %.2f; right: es %.2f en %.2f", inmateEn, inmateEs, calledEs, calledEn);
        assertTrue(inmateEn > 0.7 && inmateEn > inmateEs + 0.3, "the inmate's English on the left: " + got);
        assertTrue(calledEs > 0.7 && calledEs > calledEn + 0.3, "the called party's Spanish on the right: " + got);
    }

    @Test
    @ResourceLock("trunk")
    void consentKeyPressedDuringTheNoticeDoesNotCount() throws Exception {
        // The default: the called party presses 1 three seconds into the greeting, while still hearing who
        // calls; that key is discarded. It presses 1 again a second into the menu: that one accepts.
        String inmate = sw.newInmate("4791", "en", "gen", new BigDecimal("10.00"));
        String number = sw.newNumber(new BigDecimal("5.00"));
        String callId = callId("notice-first");
        long notice = afterNotice - 1000;
        try (SippProcess uas = calledParty("1", 3000, afterNotice - 3000, LONG_WAIT_MS)) {
            SippResult uac = handset(sw.newStation(), number.substring(1), callId, 22_000,
                    new SippCalls.Steps(tmp).pause(1000).digits("4791#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            assertTrue(uas.await().passed());
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
        assertEquals(inmate, r.inmateId());
        long consentMs = Duration.between(r.answeredAt(), r.acceptedAt()).toMillis();
        assertTrue(consentMs >= notice, "accepted " + consentMs + " ms after the answer, before the notice ("
                + notice + " ms) was over: the key at 3 s counted");
        assertTrue(consentMs >= afterNotice - 500 && consentMs < afterNotice + 3000,
                "accepted by the second key (at " + afterNotice + " ms), " + consentMs + " ms after the answer");
    }

    @Test
    @ResourceLock("trunk")
    void consentKeyPressedDuringTheNoticeCountsWhenTheFacilitySaysSo() throws Exception {
        String inmate = sw.newInmate("4792", "en", "gen", new BigDecimal("10.00"));
        String number = sw.newNumber(new BigDecimal("5.00"));
        String callId = callId("notice-barge-in");
        assertTrue(sw.patchDemoFacility("{\"consentDuringNotice\":true}").contains("\"consentDuringNotice\":true"));
        try {
            try (SippProcess uas = calledParty("1", 3000, LONG_WAIT_MS)) {
                SippResult uac = handset(sw.newStation(), number.substring(1), callId, 12_000,
                        new SippCalls.Steps(tmp).pause(1000).digits("4792#").pause(1500));
                assertTrue(uac.passed(), SippCalls.describe(uac));
                assertTrue(uas.await().passed());
            }
        } finally {
            sw.patchDemoFacility("{\"consentDuringNotice\":false}");
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
        assertEquals(inmate, r.inmateId());
        // Accepted by the key pressed 3 s into the greeting (so SIPp did wait its 3 s), well before the
        // notice was over.
        long consentMs = Duration.between(r.answeredAt(), r.acceptedAt()).toMillis();
        assertTrue(consentMs >= 3000 && consentMs < afterNotice - 3000,
                "accepted " + consentMs + " ms after the answer; the key went at 3000 ms, the notice ends at "
                        + (afterNotice - 1000) + " ms");
    }

    @Test
    @ResourceLock("trunk")
    void refusedCallCostsNothing() throws Exception {
        String inmate = sw.newInmate("4811", "en", "gen", new BigDecimal("10.00"));
        String station = sw.newStation();
        String number = sw.newNumber(new BigDecimal("5.00"));
        String callId = callId("refused");
        try (SippProcess uas = calledParty("2", afterNotice, LONG_WAIT_MS)) {
            SippResult uac = handset(station, number.substring(1), callId, LONG_WAIT_MS,
                    new SippCalls.Steps(tmp).pause(1000).digits("4811#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            assertTrue(uas.await().passed());
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.REFUSED, r.outcome(), r.toString());
        assertEquals("refused", r.reason());
        assertEquals(inmate, r.inmateId());
        assertNotNull(r.answeredAt());
        assertNull(r.acceptedAt());
        assertNull(r.recording());
        assertNoMoneyMoved(r);
        assertEquals(0, new BigDecimal("5.00").compareTo(sw.prepaidBalance(number)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(number)), "the hold is released");
        assertEquals(0, new BigDecimal("10.00").compareTo(sw.debitBalance(inmate)));
    }

    @Test
    @ResourceLock("trunk")
    void keypadBlockByTheCalledPartyStopsTheNextCall() throws Exception {
        String inmate = sw.newInmate("4822", "en", "gen", new BigDecimal("10.00"));
        String station = sw.newStation();
        String number = sw.newNumber(new BigDecimal("5.00"));
        String callId = callId("block");
        try (SippProcess uas = calledParty("99", afterNotice, LONG_WAIT_MS)) {
            SippResult uac = handset(station, number.substring(1), callId, LONG_WAIT_MS,
                    new SippCalls.Steps(tmp).pause(1000).digits("4822#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            assertTrue(uas.await().passed());
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.BLOCKED_BY_CALLED_PARTY, r.outcome(), r.toString());
        assertEquals("keypad_block", r.reason());
        assertNoMoneyMoved(r);
        List<Block> blocks = sw.store().blocks().findActive(DemoData.FACILITY, inmate, number);
        assertTrue(blocks.stream().anyMatch(b -> b.type() == Block.Type.KEYPAD), blocks.toString());

        // The number is now blocked for everyone at the facility: the next call never rings it.
        String inmate2 = sw.newInmate("4823", "en", "gen", new BigDecimal("10.00"));
        String again = callId("blocked");
        SippResult uac = handset(sw.newStation(), number.substring(1), again, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("4823#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord denied = sw.awaitCdr(again);
        assertEquals(CallOutcome.DENIED, denied.outcome(), denied.toString());
        assertEquals("blocked_number", denied.reason());
        assertEquals(inmate2, denied.inmateId());
        assertNull(denied.answeredAt());
        assertNoMoneyMoved(denied);
        assertEquals(0, new BigDecimal("5.00").compareTo(sw.prepaidBalance(number)));
    }

    @Test
    @ResourceLock("trunk")
    void privilegedCallIsChargedButNeverRecorded() throws Exception {
        String inmate = sw.newInmate("4833", "en", "gen", new BigDecimal("10.00"));
        String station = sw.newStation();
        String callId = callId("privileged");
        try (SippProcess uas = calledParty("1", afterNoticePrivileged, LONG_WAIT_MS)) {
            // Hang up a while after the attorney accepts.
            SippResult uac = handset(station, "15735550199", callId, 22_000,
                    new SippCalls.Steps(tmp).pause(1000).digits("4833#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            assertTrue(uas.await().passed());
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
        assertEquals("inmate_hangup", r.reason());
        assertTrue(r.privileged());
        assertNull(r.recording(), "privileged calls are never recorded");
        assertEquals(Funding.DEBIT, r.funding(), "no prepaid account on the attorney's number");
        assertEquals(0, RATE.compareTo(r.charge()));
        assertEquals(0, new BigDecimal("10.00").subtract(RATE).compareTo(sw.debitBalance(inmate)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.debitHeld(inmate)));
        try (var files = Files.walk(sw.dir().resolve("recordings"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("privileged")),
                    "no recording file for the privileged call");
        }
    }

    @Test
    @ResourceLock("trunk")
    void prepaidThatBuysOneLocalMinutePaysForALocalCall() throws Exception {
        // The family's account holds one minute of this local call (far less than a minute at the
        // facility's international rate); the inmate has money too. The family's account pays.
        String inmate = sw.newInmate("4899", "en", "gen", new BigDecimal("10.00"));
        String station = sw.newStation();
        String number = sw.newNumber(RATE);
        String callId = callId("local-rate");
        try (SippProcess uas = calledParty("1", afterNotice, LONG_WAIT_MS)) {
            SippResult uac = handset(station, number.substring(1), callId, 21_000,
                    new SippCalls.Steps(tmp).pause(1000).digits("4899#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            assertTrue(uas.await().passed());
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
        assertEquals(Funding.PREPAID, r.funding(), r.toString());
        assertEquals(60, r.billedSeconds());
        assertEquals(0, RATE.compareTo(r.charge()), "charged at the local rate: " + r);
        Reservation hold = sw.store().accounts().reservation(r.callId()).orElseThrow(); // keyed by the switch's id
        assertEquals(0, RATE.compareTo(hold.rate()), "held at the local rate: " + hold);
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidBalance(number)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(number)));
        assertEquals(0, new BigDecimal("10.00").compareTo(sw.debitBalance(inmate)), "the inmate paid nothing");
    }

    @Test
    @ResourceLock("trunk")
    void unansweredCallIsCancelled() throws Exception {
        String inmate = sw.newInmate("4844", "en", "gen", new BigDecimal("10.00"));
        String station = sw.newStation();
        String number = sw.newNumber(BigDecimal.ZERO);
        String callId = callId("noanswer");
        try (SippProcess uas = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uas-noanswer.xml")).localPort(trunkPort)
                .calls(1).timeout(Duration.ofSeconds(120)).start()) {
            E2eSwitch.sleep(400);
            SippResult uac = handset(station, number.substring(1), callId, LONG_WAIT_MS,
                    new SippCalls.Steps(tmp).pause(1000).digits("4844#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            // uas-noanswer only completes when it got the CANCEL (and the ACK of its 487).
            SippResult called = uas.await();
            assertTrue(called.passed(), "the switch CANCELs the unanswered INVITE: " + SippCalls.describe(called));
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.NO_ANSWER, r.outcome(), r.toString());
        assertEquals("no_answer", r.reason());
        assertNull(r.answeredAt());
        assertNoMoneyMoved(r);
        assertEquals(0, new BigDecimal("10.00").compareTo(sw.debitBalance(inmate)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.debitHeld(inmate)), "the hold is released");
    }

    @Test
    @ResourceLock("trunk")
    void pinSentAsInbandTones() throws Exception {
        // inband-1234h.ulaw carries 1234# as dual tones: the demo inmate A1001.
        String number = sw.newNumber(new BigDecimal("5.00"));
        String callId = callId("inband");
        try (SippProcess uas = calledParty("2", afterNoticeA1001, LONG_WAIT_MS)) {
            SippResult uac = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uac-inmate-call-inband.xml"))
                    .remote(sw.sipTarget()).localPort(SippCalls.freeUdpPort()).mediaPort(SippCalls.freeUdpPort())
                    .service(number.substring(1)).key("caller", "1002").set("greeting_ms", "1000")
                    .set("talk_ms", Long.toString(LONG_WAIT_MS)).arg("-cid_str", callId)
                    .timeout(Duration.ofSeconds(150)).run();
            assertTrue(uac.passed(), SippCalls.describe(uac));
            assertTrue(uas.await().passed());
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals("A1001", r.inmateId(), "the in-band PIN identified the inmate: " + r);
        assertEquals(CallOutcome.REFUSED, r.outcome(), "the call went on to the called party: " + r);
        assertNotNull(r.answeredAt());
        assertNoMoneyMoved(r);
        assertEquals(0, new BigDecimal("5.00").compareTo(sw.prepaidBalance(number)));
    }

    @Test
    @ResourceLock("trunk")
    void busyCalledPartyCostsNothing() throws Exception {
        String inmate = sw.newInmate("4855", "en", "gen", new BigDecimal("10.00"));
        String number = sw.newNumber(new BigDecimal("5.00"));
        String callId = callId("busy");
        try (SippProcess uas = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uas-busy.xml")).localPort(trunkPort)
                .calls(1).timeout(Duration.ofSeconds(120)).start()) {
            E2eSwitch.sleep(400);
            SippResult uac = handset(sw.newStation(), number.substring(1), callId, LONG_WAIT_MS,
                    new SippCalls.Steps(tmp).pause(1000).digits("4855#").pause(1500));
            assertTrue(uac.passed(), SippCalls.describe(uac));
            SippResult called = uas.await();
            assertTrue(called.passed(), "the switch ACKs the 486: " + SippCalls.describe(called));
        }
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.BUSY, r.outcome(), r.toString());
        assertEquals("busy", r.reason());
        assertEquals(inmate, r.inmateId());
        assertNull(r.answeredAt());
        assertNoMoneyMoved(r);
        assertEquals(0, new BigDecimal("5.00").compareTo(sw.prepaidBalance(number)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(number)));
    }

    // ---- calls denied before any B-leg (run alongside the others) -----------------------------

    @Test
    void noContactOrderIsDeniedWithAnIncident() throws Exception {
        // Demo data: A1001 (PIN 1234) has a no-contact order on +15735550177.
        String callId = callId("nocontact");
        SippResult uac = handset(sw.newStation(), "15735550177", callId, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("1234#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.DENIED, r.outcome(), r.toString());
        assertEquals("no_contact", r.reason());
        assertEquals("A1001", r.inmateId());
        assertNoMoneyMoved(r);
        List<Incident> incidents = sw.incidents(callId);
        assertTrue(incidents.stream().anyMatch(i -> i.type() == Incident.Type.NO_CONTACT_ATTEMPT
                && "A1001".equals(i.inmateId())), incidents.toString());
    }


    @Test
    void threeWrongPinsLockOut() throws Exception {
        String station = sw.newStation();
        String callId = callId("wrongpin");
        // Each wrong PIN once the previous one has been heard as wrong ("pin-invalid" takes ~3 s).
        SippResult uac = handset(station, "15735550100", callId, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("9990#").pause(5000).digits("9991#").pause(5000)
                        .digits("9992#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.DENIED, r.outcome(), r.toString());
        assertEquals("pin_failed", r.reason());
        assertNull(r.inmateId());
        assertNull(r.answeredAt());
        assertNoMoneyMoved(r);
        List<Incident> incidents = sw.incidents(callId);
        assertTrue(incidents.stream().anyMatch(i -> i.type() == Incident.Type.PIN_LOCKOUT), incidents.toString());
    }

    @Test
    void twoWrongPinsThenTheRightOneGetThrough() throws Exception {
        // Fewer wrong PINs than pinAttempts: the third, right PIN is accepted and the call goes on.
        String inmate = sw.newInmate("4866", "en", "gen", new BigDecimal("10.00"));
        String station = sw.newStation();
        String callId = callId("pinretry");
        SippResult uac = handset(station, "18005550123", callId, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("9993#").pause(5000).digits("9994#").pause(5000)
                        .digits("4866#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        // The third PIN was right: the call went on to the number check (a toll-free number here).
        assertEquals(inmate, r.inmateId(), r.toString());
        assertEquals(CallOutcome.DENIED, r.outcome());
        assertEquals("toll_free", r.reason());
        assertTrue(sw.incidents(callId).stream().noneMatch(i -> i.type() == Incident.Type.PIN_LOCKOUT));
    }

    @Test
    void tollFreeNumberIsDenied() throws Exception {
        String inmate = sw.newInmate("4877", "en", "gen", new BigDecimal("10.00"));
        String callId = callId("tollfree");
        SippResult uac = handset(sw.newStation(), "18005550100", callId, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("4877#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.DENIED, r.outcome(), r.toString());
        assertEquals("toll_free", r.reason());
        assertEquals(inmate, r.inmateId());
        assertEquals("+18005550100", r.dialed());
        assertNoMoneyMoved(r);
        List<Incident> incidents = sw.incidents(callId);
        assertTrue(incidents.stream().anyMatch(i -> i.type() == Incident.Type.TOLL_FREE_ATTEMPT
                && inmate.equals(i.inmateId())), incidents.toString());
        assertEquals(0, new BigDecimal("10.00").compareTo(sw.debitBalance(inmate)));
    }

    @Test
    void spanishSpeakingInmateIsServedInSpanish() throws Exception {
        // Demo inmate A1002 (PIN 5678, language es) through the committed scenario's 5678 pcap.
        String callId = callId("spanish");
        SippResult uac = Sipp.scenario(SippCalls.SIPP_DIR.resolve("uac-inmate-call.xml")).remote(sw.sipTarget())
                .localPort(SippCalls.freeUdpPort()).mediaPort(SippCalls.freeUdpPort())
                .service("18885550100").key("caller", sw.newStation()).set("pin", "5678")
                .set("greeting_ms", "1000").set("talk_ms", Long.toString(LONG_WAIT_MS)).arg("-cid_str", callId)
                .timeout(Duration.ofSeconds(120)).run();
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        assertEquals("A1002", r.inmateId(), r.toString());
        assertEquals(CallOutcome.DENIED, r.outcome());
        assertEquals("toll_free", r.reason());
        assertEquals("es", sw.scriptRecord(callId).language(), "the call went on in the inmate's language");
        assertNoMoneyMoved(r);
    }

    @Test
    void outsidePhoneHoursIsDenied() throws Exception {
        // Demo inmate A1004 lives in unit-c, whose phones are on 03:00-03:01 only.
        BigDecimal before = sw.debitBalance("A1004");
        String callId = callId("hours");
        SippResult uac = handset(sw.newStation(), "15735550100", callId, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("2468#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.DENIED, r.outcome(), r.toString());
        assertEquals("outside_hours", r.reason());
        assertEquals("A1004", r.inmateId());
        assertNoMoneyMoved(r);
        assertEquals(0, before.compareTo(sw.debitBalance("A1004")));
    }

    @Test
    void insufficientFundsIsDenied() throws Exception {
        // No debit money, and the number's prepaid account holds $0.03: less than a minute.
        String inmate = sw.newInmate("4888", "en", "gen", BigDecimal.ZERO);
        String number = "+15735550111";
        BigDecimal prepaidBefore = sw.prepaidBalance(number);
        String callId = callId("funds");
        SippResult uac = handset(sw.newStation(), number.substring(1), callId, LONG_WAIT_MS,
                new SippCalls.Steps(tmp).pause(1000).digits("4888#").pause(1500));
        assertTrue(uac.passed(), SippCalls.describe(uac));
        CallRecord r = sw.awaitCdr(callId);
        assertEquals(CallOutcome.DENIED, r.outcome(), r.toString());
        assertEquals("insufficient_funds", r.reason());
        assertEquals(inmate, r.inmateId());
        assertNoMoneyMoved(r);
        assertEquals(0, prepaidBefore.compareTo(sw.prepaidBalance(number)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(number)));
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.debitBalance(inmate)));
    }
}
