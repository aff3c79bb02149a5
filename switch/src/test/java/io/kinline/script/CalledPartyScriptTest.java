package io.kinline.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.ivr.CallEndedException;
import io.kinline.ivr.CallEvent;
import io.kinline.ivr.CallEvents;
import io.kinline.ivr.FakeEndpoint;
import io.kinline.ivr.Ivr;
import io.kinline.ivr.Leg;
import io.kinline.ivr.Simulation;
import io.kinline.media.prompt.Playlist;
import io.kinline.policy.FacilityRules;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CalledPartyScriptTest {

    final Simulation sim = new Simulation(Instant.parse("2026-03-02T18:00:00Z"));
    final CallEvents events = new CallEvents(sim.clock(), sim);
    final FakeEndpoint called = new FakeEndpoint(sim, Leg.CALLED, events);
    final AtomicInteger blocks = new AtomicInteger();
    FacilityRules facility = FacilityRules.builder("scc").build();
    BigDecimal rate = new BigDecimal("0.06");

    CalledPartyScript.Decision run() {
        Playlist greeting = CalledPartyScript.greeting("en", null, facility, false);
        return new CalledPartyScript(new Ivr(Leg.CALLED, called, events), facility, "en", greeting,
                rate, blocks::incrementAndGet).run();
    }

    @Test
    void greetingWithoutANameOrFacilityPrompt() {
        assertEquals(List.of("prepaid-call-from", "an-inmate", "an-inmate-at", "a-correctional-facility",
                "recorded-notice", "consent-menu"), FakeEndpoint.names(CalledPartyScript.greeting("en", null, facility, false)));
        FacilityRules named = facility.toBuilder().facilityNamePrompt("facility-south-central").build();
        assertEquals(List.of("prepaid-call-from", "file:n.wav", "an-inmate-at", "facility-south-central",
                "consent-menu"), FakeEndpoint.names(CalledPartyScript.greeting("en", Path.of("n.wav"), named, true)));
    }

    @Test
    void acceptWithBargeIn() {
        called.pressOn("consent-menu", "1");
        assertEquals(CalledPartyScript.Decision.ACCEPTED, run());
        assertEquals(List.of("prepaid-call-from", "an-inmate", "an-inmate-at", "a-correctional-facility",
                "recorded-notice"), called.played().get(0).names());
        assertFalse(called.played().get(0).bargeIn, "the notice is heard whole");
        assertFalse(called.played().get(0).interrupted);
        assertEquals(List.of("consent-menu"), called.played().get(1).names());
        assertTrue(called.played().get(1).interrupted, "the menu takes the key from its first word");
    }

    @Test
    void keyPressedDuringTheNoticeIsNoConsent() {
        // The default: the notice plays to its end, and a 1 pressed while it plays is forgotten.
        called.pressOn("recorded-notice", "1");
        called.pressOn("consent-menu", "2");
        assertEquals(CalledPartyScript.Decision.REFUSED, run());
        assertFalse(called.played().get(0).interrupted, "the early key did not cut the notice short");
    }

    @Test
    void keyPressedDuringTheNoticeAloneEndsWithoutConsent() {
        called.pressOn("prepaid-call-from", "1");
        assertEquals(CalledPartyScript.Decision.NO_RESPONSE, run());
        assertEquals(1 + facility.consentRepeats(), called.heard().stream().filter("consent-menu"::equals).count());
    }

    @Test
    void keyPressedDuringTheNoticeCountsWhenTheFacilitySaysSo() {
        facility = facility.toBuilder().consentDuringNotice(true).build();
        called.pressOn("recorded-notice", "1");
        assertEquals(CalledPartyScript.Decision.ACCEPTED, run());
        assertEquals(1, called.played().size(), "one greeting, cut short by the key");
        assertTrue(called.played().get(0).bargeIn);
        assertTrue(called.played().get(0).interrupted);
    }

    @Test
    void hangupDuringTheNoticeIsADecision() {
        called.on("recorded-notice", e -> events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        assertEquals(CalledPartyScript.Decision.HUNG_UP, run());
    }

    @Test
    void privilegedCallsHearWhoIsCallingBeforeTheirKeyCounts() {
        // No recording notice on a privileged call; the announcement of who calls is still heard whole.
        Playlist greeting = CalledPartyScript.greeting("en", null, facility, true);
        called.pressOn("an-inmate-at", "1");
        called.pressOn("consent-menu", "1");
        assertEquals(CalledPartyScript.Decision.ACCEPTED, new CalledPartyScript(new Ivr(Leg.CALLED, called, events),
                facility, "en", greeting, rate, blocks::incrementAndGet).run());
        assertEquals(List.of("prepaid-call-from", "an-inmate", "an-inmate-at", "a-correctional-facility"),
                called.played().get(0).names());
        assertFalse(called.played().get(0).interrupted);
    }

    @Test
    void configuredKeys() {
        facility = facility.toBuilder().acceptKey('5').rateKey('4').build();
        called.pressOn("consent-menu", "1");
        called.pressOn("consent-menu", "5");
        assertEquals(CalledPartyScript.Decision.ACCEPTED, run());
        assertEquals(3, called.played().size(), "notice, menu; 1 is not a key any more: the menu repeats");
    }

    @Test
    void blockNeedsTheSecondNine() {
        called.pressOn("consent-menu", "9");
        called.pressOn("confirm-block", "9");
        assertEquals(CalledPartyScript.Decision.BLOCKED, run());
        assertEquals(1, blocks.get());
        assertEquals(List.of("block-confirmed", "goodbye"), called.played().get(3).names());
    }

    @Test
    void silenceAtTheConfirmationReturnsToTheMenu() {
        called.pressOn("consent-menu", "9");
        called.pressOn("consent-menu", "2");
        assertEquals(CalledPartyScript.Decision.REFUSED, run());
        assertEquals(0, blocks.get());
    }

    @Test
    void digitsBeforeTheGreetingDoNotCount() {
        called.digit('1');
        sim.advance(Duration.ofMillis(10));
        called.pressOn("consent-menu", "2");
        // the early '1' was posted before the script started; it is cleared once read
        events.next(sim.now().plusMillis(1));
        assertEquals(CalledPartyScript.Decision.REFUSED, run());
    }

    @Test
    void calledHangupIsADecision() {
        called.on("consent-menu", e -> events.post(new CallEvent.Hangup(Leg.CALLED, "bye")));
        assertEquals(CalledPartyScript.Decision.HUNG_UP, run());
    }

    @Test
    void inmateHangupPropagates() {
        called.on("consent-menu", e -> events.post(new CallEvent.Hangup(Leg.INMATE, "bye")));
        CallEndedException e = assertThrows(CallEndedException.class, this::run);
        assertEquals(Leg.INMATE, e.leg());
    }

    @Test
    void rateKeyQuotesTheCallsRate() {
        // The rate of this call (here an interstate one), not a facility-wide default.
        rate = new BigDecimal("0.21");
        called.pressOn("consent-menu", "5");
        called.pressOn("consent-menu", "1");
        assertEquals(CalledPartyScript.Decision.ACCEPTED, run());
        assertEquals(List.of("rate-is", "rate:0.21", "per-minute"), called.played().get(2).names());
    }

    @Test
    void endlessRateRequestsEnd() {
        for (int i = 0; i < 20; i++) {
            called.pressOn("consent-menu", "5");
        }
        assertEquals(CalledPartyScript.Decision.NO_RESPONSE, run());
        assertEquals(CalledPartyScript.MAX_ROUNDS, called.heard().stream().filter("rate-is"::equals).count());
    }
}
