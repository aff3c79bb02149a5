package io.kinline.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.ivr.CallEvent;
import io.kinline.ivr.FakeEndpoint;
import io.kinline.ivr.Leg;
import io.kinline.media.MediaEvent;
import io.kinline.media.dtmf.DigitSource;
import io.kinline.policy.ActiveBlock;
import io.kinline.policy.BlockType;
import io.kinline.policy.FacilityRules;
import io.kinline.policy.IncidentType;
import io.kinline.policy.PhoneSchedule;
import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InmateCallScriptTest {

    final CallHarness h = new CallHarness();

    /** The inmate enters the right PIN; the called party accepts and hangs up {@code talk} later. */
    void acceptedCall(Duration talk) {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(talk, () -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        });
    }

    /**
     * Fails unless {@code expected} come in this order in what {@code who} heard (other prompts may come
     * between), naming the first one missing and what was heard instead.
     */
    static void assertHeardInOrder(String who, List<String> heard, String... expected) {
        int from = 0;
        for (int k = 0; k < expected.length; k++) {
            int i = heard.subList(from, heard.size()).indexOf(expected[k]);
            if (i < 0) {
                fail(who + " did not hear '" + expected[k] + "'" + (k == 0 ? "" : " after '" + expected[k - 1] + "'")
                        + " (expected in order: " + List.of(expected) + "); heard " + heard);
            }
            from += i + 1;
        }
    }

    /** The call every completedCall case checks from its own side: talked 7 minutes, then the called party hung up. */
    private CallResult completedCall() {
        acceptedCall(Duration.ofMinutes(7));
        return h.run();
    }

    @Test
    void completedCallRecord() {
        CallResult r = completedCall();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertEquals("called_hangup", r.reason());
        assertEquals("i-1", r.inmateId());
        assertEquals(CallHarness.HOME, r.dialed());
        assertEquals(CallHarness.HOME, r.btn());
        assertEquals(Funding.DEBIT, r.funding());
        assertFalse(r.privileged());
        assertEquals(Path.of("/rec/call-1.wav"), r.recording());
        assertEquals(List.of(r), h.records);
        assertEquals(List.of(CallHarness.HOME), h.placed);
    }

    @Test
    void completedCallPrompts() {
        completedCall();
        assertHeardInOrder("the inmate", h.inmateHeard(), "enter-pin", "please-hold", "tone:ringback");
        // The notice to its end (no barge-in), then the menu that takes the key.
        assertEquals(List.of("prepaid-call-from", "file:i-1.wav", "an-inmate-at", "facility-south-central",
                "recorded-notice"), h.calledEp.played().get(0).names());
        assertFalse(h.calledEp.played().get(0).bargeIn);
        assertEquals(List.of("consent-menu"), h.calledEp.played().get(1).names());
    }

    @Test
    void completedCallTalkTimeRunsFromAcceptanceToTheEnd() {
        CallResult r = completedCall();
        assertNotNull(r.answeredAt());
        assertTrue(r.acceptedAt().isAfter(r.answeredAt()), "accepted after answered");
        assertEquals(Duration.ofMinutes(7), r.talked());
        assertEquals(r.talked(), Duration.between(r.acceptedAt(), r.endedAt()));
    }

    @Test
    void completedCallHoldsFifteenMinutesOfDebitAndSettlesTheTalk() {
        CallResult r = completedCall();
        assertEquals(1, h.reserved.size());
        assertEquals(new BigDecimal("1.50"), h.reserved.get(0).amount());
        assertEquals("i-1", h.reserved.get(0).account());
        assertEquals(r.talked(), h.settled.get(h.reserved.get(0)));
        assertTrue(h.released.isEmpty(), "nothing released: " + h.released);
    }

    @Test
    void completedCallIsRecordedRemindedAndClosed() {
        CallResult r = completedCall();
        assertEquals(Path.of("/rec/call-1.wav"), h.bridge.recording);
        assertTrue(h.bridge.recordingStopped && h.bridge.closed, "recording stopped and bridge closed");
        assertEquals(List.of(List.of("reminder")), h.bridge.announced);
        assertEquals(r.acceptedAt().plus(Duration.ofMinutes(5)), h.bridge.announcedAt.get(0));
        assertTrue(h.legActions.contains("bye-inmate"), "the switch hung up the inmate: " + h.legActions);
        assertFalse(h.legActions.contains("bye-called"), "the called party hung up itself");
    }

    @Test
    void completedCallSteps() {
        completedCall();
        assertEquals(List.of("offhook", "pin-ok", "dialing", "ringing", "greeting", "accepted", "talking", "reminder",
                "ended"), h.steps);
    }

    @Test
    void completedCallListensForKeysOnlyOnTheCalledLegWhileTalking() {
        CallResult r = completedCall();
        // while talking nobody reads the inmate's keys, so the detector is off there; the called
        // party's keys are a three-way sign and stay watched
        assertFalse(h.inmateEp.inbandDtmfOn());
        assertEquals(r.acceptedAt(), h.inmateEp.inbandDtmfChangedAt());
        assertTrue(h.calledEp.inbandDtmfOn());
    }

    @Test
    void calledPartyRefuses() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.pressOn("consent-menu", "2");
        CallResult r = h.run();
        assertEquals(Outcome.REFUSED, r.outcome());
        assertEquals("refused", r.reason());
        assertEquals(Funding.FREE, r.funding());
        assertNull(r.acceptedAt());
        assertHeardInOrder("the inmate", h.inmateHeard(), "please-hold", "not-accepted", "goodbye");
        assertEquals(h.reserved, h.released);
        assertTrue(h.settled.isEmpty());
        assertTrue(h.legActions.contains("bye-called"));
        assertNull(h.bridge);
        assertTrue(h.steps.contains("refused"));
    }

    @Test
    void calledPartyBlocksWithNineNine() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.pressOn("consent-menu", "9");
        h.calledEp.pressOn("confirm-block", "9");
        CallResult r = h.run();
        assertEquals(Outcome.BLOCKED_BY_CALLED_PARTY, r.outcome());
        assertEquals(List.of("scc:" + CallHarness.HOME), h.blocksAdded);
        assertHeardInOrder("the called party", h.calledHeard(), "consent-menu", "confirm-block", "block-confirmed",
                "goodbye");
        assertHeardInOrder("the inmate", h.inmateHeard(), "not-accepted", "goodbye");
        assertEquals(h.reserved, h.released);
        assertTrue(h.steps.contains("blocked"));
    }

    @Test
    void aSingleNineIsNotABlock() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.pressOn("consent-menu", "9");
        h.calledEp.pressOn("confirm-block", "3");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofMinutes(1), () -> h.events.post(new CallEvent.Hangup(Leg.INMATE, "bye")));
        });
        CallResult r = h.run();
        assertTrue(h.blocksAdded.isEmpty());
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertEquals("inmate_hangup", r.reason());
        assertTrue(h.legActions.contains("bye-called"));
    }

    @Test
    void rateKeyThenAccept() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.pressOn("consent-menu", "5");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofMinutes(1), () -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        });
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertHeardInOrder("the called party", h.calledHeard(), "consent-menu", "rate-is", "rate:0.10", "per-minute",
                "consent-menu");
    }

    @Test
    void noConsentAfterTheRepeatsIsARefusal() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.REFUSED, r.outcome());
        assertEquals("no_response", r.reason());
        assertEquals(3, Collections.frequency(h.calledHeard(), "consent-menu"), "played once, repeated twice");
        assertHeardInOrder("the inmate", h.inmateHeard(), "not-accepted");
    }

    @Test
    void threeWrongPinsLockAndEnd() {
        h.inmateEp.pressOn("enter-pin", "123999#");
        h.inmateEp.pressOn("enter-pin", "123888#");
        h.inmateEp.pressOn("enter-pin", "123777#");
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("pin_failed", r.reason());
        assertEquals(h.incidents.get(0).at().plus(Duration.ofMinutes(30)), h.locks.get("i-1"));
        assertEquals(IncidentType.PIN_LOCKOUT, h.incidents.get(0).type());
        assertEquals(3, Collections.frequency(h.inmateHeard(), "enter-pin"));
        assertEquals(List.of("enter-pin", "pin-invalid", "enter-pin", "pin-invalid", "enter-pin", "pin-invalid",
                "goodbye"), h.inmateHeard());
        assertTrue(h.placed.isEmpty());
        assertEquals(3, Collections.frequency(h.steps, "pin-failed"));
    }

    @Test
    void aLockedPinIsRefused() {
        h.pinLockedUntil = CallHarness.NOON.plus(Duration.ofMinutes(10));
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals("pin_failed", r.reason());
        assertEquals("i-1", r.inmateId());
        assertEquals(List.of("enter-pin", "pin-locked", "goodbye"), h.inmateHeard());
    }

    @Test
    void tollFreeIsDeniedWithAnIncident() {
        h.dialedUser = "1-800-555-1234";
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("toll_free", r.reason());
        assertEquals("+18005551234", r.dialed());
        assertEquals(List.of("enter-pin", "denied-toll-free", "goodbye"), h.inmateHeard());
        assertEquals(1, h.incidents.size());
        assertEquals(IncidentType.TOLL_FREE_ATTEMPT, h.incidents.get(0).type());
        assertEquals("i-1", h.incidents.get(0).inmateId());
        assertTrue(h.placed.isEmpty() && h.reserved.isEmpty());
        assertTrue(h.steps.contains("denied"));
    }

    @Test
    void outsidePhoneHours() {
        h.inmate = new Caller("i-1", null, h.inmate.status(), null, PhoneSchedule.parse("07:00-11:00"), null);
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals("outside_hours", r.reason());
        assertEquals(List.of("enter-pin", "denied-outside-hours", "goodbye"), h.inmateHeard());
    }

    @Test
    void insufficientDebitFunds() {
        h.funds = new Funds(new BigDecimal("0.09"), Optional.empty());
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("insufficient_funds", r.reason());
        assertEquals(List.of("enter-pin", "denied-insufficient-funds-debit", "goodbye"), h.inmateHeard());
        assertTrue(h.reserved.isEmpty() && h.placed.isEmpty());
    }

    @Test
    void insufficientPrepaidFundsNamesThePrepaidAccount() {
        h.funds = new Funds(new BigDecimal("0.00"), Optional.of(new BigDecimal("0.05")));
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals("insufficient_funds", r.reason());
        assertEquals(List.of("enter-pin", "denied-insufficient-funds-prepaid", "goodbye"), h.inmateHeard());
    }

    @Test
    void prepaidPaysWhenItHoldsAMinute() {
        h.funds = new Funds(new BigDecimal("3.00"), Optional.of(new BigDecimal("0.70")));
        acceptedCall(Duration.ofMinutes(2));
        CallResult r = h.run();
        assertEquals(Funding.PREPAID, r.funding());
        Hold hold = h.reserved.get(0);
        assertEquals(Funding.PREPAID, hold.funding());
        assertEquals(CallHarness.HOME, hold.account());
        assertEquals(new BigDecimal("0.70"), hold.amount(), "7 minutes");
    }

    /**
     * Two calls to one BTN at once (here or on another node): both see the prepaid minute, one holds it first.
     * The other's hold is refused; it looks at the funds again and the inmate's debit account pays, instead of
     * the call failing with a system error.
     */
    @Test
    void aHoldRefusedBecauseAnotherCallTookThePrepaidMinuteFallsBackToDebit() {
        h.funds = new Funds(new BigDecimal("3.00"), Optional.of(new BigDecimal("0.07")));
        h.fundsAfterRace = new Funds(new BigDecimal("3.00"), Optional.of(new BigDecimal("0.01")));
        acceptedCall(Duration.ofMinutes(2));
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome(), "not a system error: " + r.reason());
        assertEquals(Funding.DEBIT, r.funding());
        assertEquals(List.of(Funding.DEBIT), h.reserved.stream().map(Hold::funding).toList(),
                "one hold, on the debit account");
    }

    @Test
    void privilegedCallIsNotRecorded() {
        h.standing = new NumberStanding(false, true, List.of());
        h.facility = h.facility.toBuilder().requireApprovedList(true).build();
        acceptedCall(Duration.ofMinutes(3));
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertTrue(r.privileged());
        assertNull(r.recording());
        assertNull(h.bridge.recording);
        assertFalse(h.calledHeard().contains("recorded-notice"));
    }

    @Test
    void blockedNumber() {
        h.standing = new NumberStanding(true, false, List.of(new ActiveBlock(BlockType.KEYPAD, "")));
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        assertEquals("blocked_number", h.run().reason());
        assertTrue(h.inmateHeard().contains("denied-blocked"));
    }

    @Test
    void noAnswer() {
        h.called = CallHarness.Called.NEVER_ANSWERS;
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.NO_ANSWER, r.outcome());
        assertTrue(h.legActions.contains("cancel-called"));
        assertHeardInOrder("the inmate", h.inmateHeard(), "please-hold", "tone:ringback", "no-answer", "goodbye");
        assertEquals(h.reserved, h.released);
        assertEquals(Funding.FREE, r.funding());
        assertTrue(h.steps.contains("ringing"));
    }

    @Test
    void busy() {
        h.called = CallHarness.Called.BUSY;
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.BUSY, r.outcome());
        assertHeardInOrder("the inmate", h.inmateHeard(), "busy", "goodbye");
        assertFalse(h.legActions.contains("cancel-called"));
        assertEquals(h.reserved, h.released);
    }

    @Test
    void trunkFailure() {
        h.called = CallHarness.Called.FAILS;
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("sip_503", r.reason());
        assertHeardInOrder("the inmate", h.inmateHeard(), "call-failed", "goodbye");
    }

    @Test
    void longRingbackIsReplayed() {
        // one ringback playlist lasts 60 s (ten 2 s on / 4 s off cycles)
        h.answerAfter = Duration.ofSeconds(70);
        h.facility = h.facility.toBuilder().answerTimeout(Duration.ofSeconds(90)).build();
        acceptedCall(Duration.ofMinutes(1));
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome());
        List<FakeEndpoint.Played> ringbacks = h.inmateEp.played().stream()
                .filter(p -> p.names().get(0).equals("tone:ringback")).toList();
        assertEquals(2, ringbacks.size());
        assertFalse(ringbacks.get(0).interrupted);
        assertTrue(ringbacks.get(1).interrupted, "stopped at the answer");
    }

    @Test
    void ringbackStopsWhenTheCalledPartyAnswers() {
        // The answer ends ringing: the inmate must not hear the ringing tone through the greeting.
        List<Boolean> ringbackDuringGreeting = new java.util.ArrayList<>();
        acceptedCall(Duration.ofMinutes(1));
        h.calledEp.on("prepaid-call-from", e -> ringbackDuringGreeting.add(h.inmateEp.isPlaying()));
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertEquals(List.of(false), ringbackDuringGreeting, "nothing plays to the inmate during the greeting");
        FakeEndpoint.Played ringback = h.inmateEp.played().stream()
                .filter(p -> p.names().get(0).equals("tone:ringback")).findFirst().orElseThrow();
        assertTrue(ringback.interrupted, "stopped at the answer, before its minute was over");
    }

    @Test
    void warningThenCutOffWhenFundsRunOut() {
        h.funds = new Funds(new BigDecimal("0.50"), Optional.empty()); // 5 minutes
        acceptedCall(Duration.ofMinutes(30));
        CallResult r = h.run();
        assertEquals(Outcome.CUT_OFF, r.outcome());
        assertEquals("funds_exhausted", r.reason());
        assertEquals(List.of(List.of("one-minute-remaining"), List.of("funds-exhausted", "goodbye")), h.bridge.announced);
        assertEquals(r.acceptedAt().plus(Duration.ofMinutes(4)), h.bridge.announcedAt.get(0));
        assertEquals(r.acceptedAt().plus(Duration.ofMinutes(5)), h.bridge.announcedAt.get(1));
        assertTrue(h.steps.containsAll(List.of("warning", "cut-off")));
        assertTrue(h.legActions.containsAll(List.of("bye-called", "bye-inmate")));
        assertTrue(r.talked().compareTo(Duration.ofMinutes(5)) >= 0);
    }

    @Test
    void cutOffAtTheMaximumLength() {
        h.facility = h.facility.toBuilder().maxCallLength(Duration.ofMinutes(15)).build();
        acceptedCall(Duration.ofMinutes(30));
        CallResult r = h.run();
        assertEquals("time_limit", r.reason());
        assertEquals(List.of(List.of("reminder"), List.of("reminder"), List.of("one-minute-remaining"),
                List.of("time-limit-reached", "goodbye")), h.bridge.announced);
    }

    @Test
    void mediaTimeoutEndsTheCall() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofMinutes(3), () -> e.post(new MediaEvent.MediaTimeout(30000)));
        });
        CallResult r = h.run();
        assertEquals(Outcome.CUT_OFF, r.outcome());
        assertEquals("media_timeout", r.reason());
        assertTrue(h.legActions.contains("bye-inmate"));
        assertFalse(h.legActions.contains("bye-called"), "the dead leg is not sent a BYE by the script");
        assertTrue(h.settled.containsKey(h.reserved.get(0)));
    }

    @Test
    void inmateHangsUpWhileRinging() {
        h.called = CallHarness.Called.NEVER_ANSWERS;
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.inmateEp.on("please-hold", e -> h.sim.after(Duration.ofSeconds(5),
                () -> h.events.post(new CallEvent.Hangup(Leg.INMATE, "bye"))));
        CallResult r = h.run();
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("inmate_hangup", r.reason());
        assertTrue(h.legActions.contains("cancel-called"));
        assertFalse(h.legActions.contains("bye-inmate"));
        assertEquals(h.reserved, h.released);
    }

    @Test
    void numberIsPromptedWhenTheInviteHasNone() {
        h.dialedUser = null;
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.inmateEp.pressOn("enter-number", "12345#");
        h.inmateEp.on("enter-number", e -> e.press("(573)"));
        h.inmateEp.on("enter-number", e -> { });
        // second try: "573" then the remaining digits after a pause shorter than the inter-digit timeout
        h.inmateEp.pressOn("number-invalid", "5735550100#");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofMinutes(1), () -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        });
        CallResult r = h.run();
        assertEquals(CallHarness.HOME, r.dialed());
        assertEquals(List.of(CallHarness.HOME), h.placed);
    }

    @Test
    void invalidNumberThreeTimes() {
        h.dialedUser = "s";
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        for (int i = 0; i < 3; i++) {
            h.inmateEp.pressOn("enter-number", "0123#");
        }
        CallResult r = h.run();
        assertEquals("invalid_number", r.reason());
        assertEquals("0123", r.dialed());
        assertHeardInOrder("the inmate", h.inmateHeard(), "enter-number", "number-invalid", "enter-number",
                "number-invalid", "enter-number", "number-invalid", "goodbye");
    }

    @Test
    void unknownStation() {
        CallStart start = new CallStart("call-1", "station-x", null, h.sim.now());
        CallResult r = new InmateCallScript(start, h.events, h, h, h, io.kinline.policy.Policy.standard()).run();
        assertEquals("unknown_station", r.reason());
        assertEquals(List.of("denied-unknown-station", "goodbye"), h.inmateHeard());
        assertNull(r.facilityId());
    }

    @Test
    void nameIsRecordedOnFirstUseAndAnnounced() {
        h.inmate = new Caller("i-1", null, h.inmate.status(), null, PhoneSchedule.ALWAYS, null);
        h.inmateEp.captureLasts(2200);
        acceptedCall(Duration.ofMinutes(1));
        h.run();
        assertEquals(Path.of("/names/i-1-new.wav"), h.savedName);
        assertEquals(Path.of("/names/i-1-new.wav"), h.inmateEp.captured());
        assertHeardInOrder("the inmate", h.inmateHeard(), "say-name", "tone:1000", "name-saved", "please-hold");
        assertEquals("file:i-1-new.wav", h.calledEp.played().get(0).names().get(1));
    }

    @Test
    void silenceIsNotSavedAsAName() {
        h.inmate = new Caller("i-1", null, h.inmate.status(), null, PhoneSchedule.ALWAYS, null);
        h.inmateEp.on("say-name", e -> h.sim.after(Duration.ofMillis(1700), () -> e.digit('#')));
        acceptedCall(Duration.ofMinutes(1));
        h.run();
        assertNull(h.savedName, "200 ms of capture is not a name");
        assertEquals("an-inmate", h.calledEp.played().get(0).names().get(1));
    }

    @Test
    void languageMenuChoosesSpanish() {
        h.facility = h.facility.toBuilder().languageMenu(true).build();
        h.inmateEp.pressOn("language-menu", "2");
        acceptedCall(Duration.ofMinutes(1));
        CallResult r = h.run();
        assertEquals("es", r.language());
        assertEquals("en", h.inmateEp.played().get(0).playlist.language());
        assertEquals("es", h.inmateEp.played().get(1).playlist.language(), "enter-pin in Spanish");
        assertEquals("es", h.calledEp.played().get(0).playlist.language());
    }

    @Test
    void inmatesOwnLanguageAfterThePin() {
        h.inmate = new Caller("i-1", "es", h.inmate.status(), null, PhoneSchedule.ALWAYS, Path.of("/names/i-1.wav"));
        acceptedCall(Duration.ofMinutes(1));
        h.run();
        assertEquals("en", h.inmateEp.played().get(0).playlist.language(), "enter-pin in the default");
        assertEquals("es", h.inmateEp.played().get(1).playlist.language(), "please-hold in the inmate's");
    }

    @Test
    void sipInfoDigitsWorkForThePin() {
        h.inmateEp.on("enter-pin", e -> {
            for (char c : (CallHarness.PIN + "#").toCharArray()) {
                e.post(new MediaEvent.Digit(c, DigitSource.SIP_INFO, 0));
            }
        });
        h.calledEp.pressOn("consent-menu", "2");
        assertEquals(Outcome.REFUSED, h.run().outcome());
        assertTrue(h.steps.contains("pin-ok"));
    }

    @Test
    void systemErrorEndsWithTheSystemPrompt() {
        CallHarness broken = new CallHarness() {
            @Override
            public Usage usage(String inmateId, Instant now) {
                throw new IllegalStateException("database down");
            }
        };
        broken.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = broken.run();
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("system_error", r.reason());
        assertHeardInOrder("the inmate", broken.inmateHeard(), "denied-system", "goodbye");
        assertEquals(1, broken.records.size());
    }

    @Test
    void typeAheadOfTheWholeDialString() {
        h.dialedUser = null;
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#5735550100#");
        h.calledEp.pressOn("consent-menu", "2");
        h.run();
        assertEquals(List.of(CallHarness.HOME), h.placed);
        FakeEndpoint.Played enterNumber = h.inmateEp.played().get(1);
        assertEquals(List.of("enter-number"), enterNumber.names());
        assertTrue(enterNumber.interrupted, "the next typed digit barged in");
    }

    @Test
    void nineOneOneFromTheInviteIsDenied() {
        h.dialedUser = "911";
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals("n11", r.reason());
        assertEquals("911", r.dialed());
        assertNull(r.btn());
        assertEquals(List.of("enter-pin", "denied-n11", "goodbye"), h.inmateHeard());
        assertTrue(h.incidents.isEmpty());
    }

    @Test
    void calledPartyHangsUpDuringTheGreeting() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.on("prepaid-call-from", e -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        CallResult r = h.run();
        assertEquals(Outcome.REFUSED, r.outcome());
        assertEquals("called_hangup", r.reason());
        assertHeardInOrder("the inmate", h.inmateHeard(), "not-accepted", "goodbye");
        assertFalse(h.legActions.contains("bye-called"));
        assertEquals(h.reserved, h.released);
    }

    @Test
    void interruptedThreadStillWritesTheRecord() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofMinutes(2), () -> Thread.currentThread().interrupt());
        });
        CallResult r;
        try {
            r = h.run();
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        }
        assertEquals(Outcome.CUT_OFF, r.outcome());
        assertEquals("shutdown", r.reason());
        assertEquals(1, h.records.size());
        assertTrue(h.legActions.containsAll(List.of("bye-called", "bye-inmate")));
    }

    @Test
    void phoneHoursEndingCutTheCallAtTheirEnd() {
        // noon Chicago; the housing unit's phones go off at 12:10
        h.inmate = new Caller("i-1", null, h.inmate.status(), null, PhoneSchedule.parse("07:00-12:10"),
                Path.of("/names/i-1.wav"));
        acceptedCall(Duration.ofMinutes(30));
        CallResult r = h.run();
        assertEquals(Outcome.CUT_OFF, r.outcome());
        assertEquals("time_limit", r.reason());
        Instant off = CallHarness.NOON.plus(Duration.ofMinutes(10));
        assertEquals(off, h.bridge.announcedAt.get(h.bridge.announcedAt.size() - 1),
                "cut at the end of phone hours, not 10 minutes after acceptance");
        assertEquals(List.of("time-limit-reached", "goodbye"), h.bridge.announced.get(h.bridge.announced.size() - 1));
    }

    @Test
    void fixedLengthPinNeedsNoHash() {
        h.facility = h.facility.toBuilder().pinLength(6).build();
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN);
        h.calledEp.pressOn("consent-menu", "2");
        h.run();
        assertTrue(h.steps.contains("pin-ok"));
        assertEquals(1, Collections.frequency(h.inmateHeard(), "enter-pin"));
    }

    @Test
    void silenceAtThePinPromptCountsAsAWrongTry() {
        CallResult r = h.run();
        assertEquals("pin_failed", r.reason());
        assertEquals(3, Collections.frequency(h.inmateHeard(), "enter-pin"));
        assertTrue(h.locks.isEmpty(), "no PIN to lock");
        assertEquals(IncidentType.PIN_LOCKOUT, h.incidents.get(0).type());
    }

    @Test
    void hangingUpDuringTheDenialKeepsTheDenial() {
        h.dialedUser = "18005551234";
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.inmateEp.on("denied-toll-free", e -> h.events.post(new CallEvent.Hangup(Leg.INMATE, "bye")));
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("toll_free", r.reason());
        assertFalse(h.legActions.contains("bye-inmate"), "already gone");
    }

    @Test
    void hangingUpDuringBlockConfirmedKeepsTheBlock() {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.pressOn("consent-menu", "9");
        h.calledEp.pressOn("confirm-block", "9");
        h.calledEp.on("block-confirmed", e -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        CallResult r = h.run();
        assertEquals(Outcome.BLOCKED_BY_CALLED_PARTY, r.outcome());
        assertEquals(1, h.blocksAdded.size());
    }

    // ---- the call's own rate -------------------------------------------------------------------
    // A facility whose call types cost different amounts: local 0.05, interstate 0.30 (the dearest),
    // international 0.21. Each call is quoted, checked, held and charged at its own type's rate.

    static final String INTERSTATE = "+12125550133";
    static final String ABROAD = "+442071234567";

    void callTypeRates() {
        h.rates.put(CallHarness.HOME, new BigDecimal("0.05"));
        h.rates.put(INTERSTATE, new BigDecimal("0.30"));
        h.rates.put(ABROAD, new BigDecimal("0.21"));
    }

    /** The called party presses the rate key, then accepts; the call lasts {@code talk}. */
    void rateKeyThenAccepted(Duration talk) {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.pressOn("consent-menu", "5");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(talk, () -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        });
    }

    /** The amount the called party heard after "rate-is". */
    BigDecimal quoted() {
        List<String> heard = h.calledHeard();
        return new BigDecimal(heard.get(heard.indexOf("rate-is") + 1).replaceFirst("^rate:", ""));
    }

    @Test
    void rateKeyQuotesTheRateOfTheNumberDialled() {
        callTypeRates();
        rateKeyThenAccepted(Duration.ofMinutes(1));
        h.run();
        assertEquals(List.of(CallHarness.HOME), h.ratesAsked);
        assertHeardInOrder("the called party", h.calledHeard(), "consent-menu", "rate-is", "rate:0.05", "per-minute",
                "consent-menu");
        assertFalse(h.calledHeard().contains("rate:0.30"), "not the facility's dearest rate");
        assertEquals(quoted(), h.reserved.get(0).ratePerMinute(), "the quoted rate is the one held, so the one charged");
    }

    @Test
    void anInternationalCallIsQuotedAndHeldAtTheInternationalRate() {
        callTypeRates();
        h.facility = h.facility.toBuilder().allowInternational(true).build();
        h.dialedUser = ABROAD;
        rateKeyThenAccepted(Duration.ofMinutes(1));
        h.run();
        assertHeardInOrder("the called party", h.calledHeard(), "rate-is", "rate:0.21", "per-minute");
        Hold hold = h.reserved.get(0);
        assertEquals(quoted(), hold.ratePerMinute());
        assertEquals(new BigDecimal("3.15"), hold.amount(), "15 minutes at 0.21");
    }

    @Test
    void theHoldIsSizedAtTheCallsRate() {
        callTypeRates();
        acceptedCall(Duration.ofMinutes(7));
        h.run();
        assertEquals(new BigDecimal("0.75"), h.reserved.get(0).amount(), "15 minutes at the local 0.05, not at 0.30");
    }

    @Test
    void fundsBuyTheMinutesOfTheCallsRate() {
        callTypeRates();
        h.funds = new Funds(new BigDecimal("0.60"), Optional.empty()); // 12 local minutes (2 at 0.30)
        acceptedCall(Duration.ofMinutes(30));
        CallResult r = h.run();
        int last = h.bridge.announced.size() - 1;
        assertEquals(Map.entry(r.acceptedAt().plus(Duration.ofMinutes(12)), List.of("funds-exhausted", "goodbye")),
                Map.entry(h.bridge.announcedAt.get(last), h.bridge.announced.get(last)), "cut off 12 minutes in");
    }

    @Test
    void aPrepaidAccountThatBuysAMinuteOfThisCallPays() {
        callTypeRates();
        // Two local minutes on the family's account, nothing on the inmate's: under a minute at 0.30.
        h.funds = new Funds(BigDecimal.ZERO, Optional.of(new BigDecimal("0.10")));
        acceptedCall(Duration.ofMinutes(5));
        CallResult r = h.run();
        assertEquals(Outcome.CUT_OFF, r.outcome(), r.reason());
        assertEquals("funds_exhausted", r.reason());
        assertEquals(Funding.PREPAID, r.funding());
        Hold hold = h.reserved.get(0);
        assertEquals(Funding.PREPAID, hold.funding());
        assertEquals(CallHarness.HOME, hold.account());
        assertEquals(new BigDecimal("0.10"), hold.amount());
        assertEquals(r.acceptedAt().plus(Duration.ofMinutes(2)), h.bridge.announcedAt.get(h.bridge.announcedAt.size() - 1));
    }

    @Test
    void aFreeCallTypeIsFreeWhileOthersCost() {
        callTypeRates();
        h.rates.put(CallHarness.HOME, BigDecimal.ZERO);
        rateKeyThenAccepted(Duration.ofMinutes(3));
        CallResult r = h.run();
        assertEquals(Funding.FREE, r.funding());
        assertTrue(h.reserved.isEmpty() && h.settled.isEmpty(), "nothing held, nothing charged");
        assertEquals(0, BigDecimal.ZERO.compareTo(quoted()), "the called party hears it is free");
    }

    @Test
    void aHoldAtAnotherRateThanQuotedIsNotPlaced() {
        callTypeRates();
        h.holdRate = new BigDecimal("0.30"); // a billing side that ignored the call's rate
        acceptedCall(Duration.ofMinutes(2));
        CallResult r = h.run();
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("system_error", r.reason());
        assertTrue(h.placed.isEmpty(), "never rings a family that would be charged another rate");
        assertEquals(h.reserved, h.released);
    }
}
