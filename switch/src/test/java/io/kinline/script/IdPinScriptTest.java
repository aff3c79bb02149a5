package io.kinline.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.ivr.CallEvent;
import io.kinline.ivr.Leg;
import io.kinline.policy.IncidentType;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code identification: id_pin}: the inmate number, then the PIN, checked against that inmate only (issue 10.3). */
class IdPinScriptTest {

    final CallHarness h = new CallHarness();

    @BeforeEach
    void idPin() {
        h.facility = h.facility.toBuilder().idPin(true).build();
    }

    @Test
    void theNumberThenThePinIdentifyTheCaller() {
        h.inmateEp.pressOn("enter-inmate-number", "1001#");
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofSeconds(30), () -> h.events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        });
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertEquals("i-1", r.inmateId());
        assertEquals(List.of("1001/" + CallHarness.PIN), h.numberPinsAsked, "the number and PIN, together, once");
        assertEquals(List.of("enter-inmate-number", "enter-pin"), h.inmateHeard().subList(0, 2));
    }

    @Test
    void aPinAloneIsNotAskedFor() {
        // In id_pin mode the PIN-only check must never be consulted: it would let a PIN alone name someone.
        h.inmateEp.pressOn("enter-inmate-number", "1001#");
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.run();
        assertTrue(h.steps.contains("pin-ok"));
        assertEquals(1, h.numberPinsAsked.size());
    }

    @Test
    void wrongPinsForOneNumberLockThatInmate() {
        for (String pin : List.of("111111#", "222222#", "333333#")) {
            h.inmateEp.pressOn("enter-inmate-number", "1001#");
            h.inmateEp.pressOn("enter-pin", pin);
        }
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("pin_locked", r.reason());
        assertEquals("i-1", r.inmateId(), "the record names the inmate whose PIN was guessed");
        assertEquals(CallHarness.NOON.plus(Duration.ofMinutes(30)).getEpochSecond() / 60,
                h.pinLockedUntil.getEpochSecond() / 60, "locked for pinLockout");
        assertEquals(1, h.incidents.size());
        assertEquals(IncidentType.PIN_LOCKOUT, h.incidents.get(0).type());
        assertEquals("i-1", h.incidents.get(0).inmateId());
        assertTrue(h.placed.isEmpty());
        assertEquals(List.of("pin-locked", "goodbye"), h.inmateHeard().subList(h.inmateHeard().size() - 2,
                h.inmateHeard().size()));
    }

    @Test
    void failuresFromEarlierCallsCountAgainstTheInmate() {
        h.inmatePinFailures = 2; // two wrong PINs on earlier calls, from any station
        h.inmateEp.pressOn("enter-inmate-number", "1001#");
        h.inmateEp.pressOn("enter-pin", "999999#");
        CallResult r = h.run();
        assertEquals("pin_locked", r.reason());
        assertEquals(IncidentType.PIN_LOCKOUT, h.incidents.get(0).type());
        assertEquals("i-1", h.incidents.get(0).inmateId());
    }

    @Test
    void aLockedInmatesRightPinIsRefused() {
        h.pinLockedUntil = CallHarness.NOON.plus(Duration.ofMinutes(10));
        h.inmateEp.pressOn("enter-inmate-number", "1001#");
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("pin_locked", r.reason());
        assertEquals("i-1", r.inmateId());
        assertTrue(h.placed.isEmpty());
        assertEquals(List.of("enter-inmate-number", "enter-pin", "pin-locked", "goodbye"), h.inmateHeard());
    }

    @Test
    void anUnknownNumberIsAWrongEntryAndLocksNoInmate() {
        for (int i = 0; i < 3; i++) {
            h.inmateEp.pressOn("enter-inmate-number", "4242#");
            h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        }
        CallResult r = h.run();
        assertEquals(Outcome.DENIED, r.outcome());
        assertEquals("pin_failed", r.reason());
        assertNull(r.inmateId());
        assertNull(h.pinLockedUntil);
        assertEquals(0, h.inmatePinFailures);
        assertEquals(3, Collections.frequency(h.inmateHeard(), "pin-invalid"));
        assertEquals(IncidentType.PIN_LOCKOUT, h.incidents.get(0).type(), "the in-call lockout still reports");
        assertNull(h.incidents.get(0).inmateId());
    }

    @Test
    void silenceAtTheNumberPromptCountsAsAWrongTry() {
        CallResult r = h.run();
        assertEquals("pin_failed", r.reason());
        assertEquals(3, Collections.frequency(h.inmateHeard(), "enter-inmate-number"));
        assertEquals(0, Collections.frequency(h.inmateHeard(), "enter-pin"), "no PIN asked without a number");
        assertTrue(h.numberPinsAsked.isEmpty());
    }

    @Test
    void aRightPinAfterAWrongOneResetsTheInmatesCount() {
        h.inmateEp.pressOn("enter-inmate-number", "1001#");
        h.inmateEp.pressOn("enter-pin", "999999#");
        h.inmateEp.pressOn("enter-inmate-number", "1001#");
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.run();
        assertTrue(h.steps.contains("pin-ok"));
        assertEquals(0, h.inmatePinFailures);
        assertEquals(List.of("enter-inmate-number", "enter-pin", "pin-invalid", "enter-inmate-number", "enter-pin"),
                h.inmateHeard().subList(0, 5));
    }
}
