package io.kinline.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.ivr.CallEvent;
import io.kinline.ivr.FakeEndpoint;
import io.kinline.ivr.Leg;
import io.kinline.media.MediaEvent;
import io.kinline.media.threeway.Detection;
import io.kinline.media.threeway.Sign;
import io.kinline.policy.FacilityRules;
import io.kinline.policy.IncidentType;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The call script's answer to the three-way detector (the detector itself is tested in media): what is
 * flagged, warned and cut off under each facility setting, and what no longer counts.
 */
class ThreeWayScriptTest {

    private final CallHarness h = new CallHarness();
    /** When detection began on the called leg (just after acceptance and the start of the recording). */
    private long streamStart;

    private static final Sign FLASH = new Sign(Sign.Kind.FLASH, 64_000, 64_600, 0.9, "620 ms gap, clicks at both ends");
    private static final Sign DIAL_TONE = new Sign(Sign.Kind.DIAL_TONE, 64_800, 66_600, 1.0, "1.8 s");
    private static final Sign RINGBACK = new Sign(Sign.Kind.RINGBACK, 70_000, 72_000, 0.6, "one burst");

    /** What the media layer raises: stream time counts from when detection began, 10 ms after the recording. */
    private MediaEvent.ThreeWay found(int episode, boolean strong, boolean complete, Sign... signs) {
        return new MediaEvent.ThreeWay(new Detection(episode, signs[0].startMillis(), strong ? 0.7 : 0.64, strong,
                List.of(signs)), complete, streamStart);
    }

    /** The called party accepts; {@code during} then runs against the connected call; the inmate hangs up after 5 minutes. */
    private void call(Consumer<FakeEndpoint> during) {
        h.inmateEp.pressOn("enter-pin", CallHarness.PIN + "#");
        h.calledEp.on("consent-menu", e -> {
            e.press("1");
            h.sim.after(Duration.ofMillis(10), () -> {
                streamStart = h.sim.now().toEpochMilli();
                during.accept(e);
            });
            h.sim.after(Duration.ofMinutes(5), () -> h.events.post(new CallEvent.Hangup(Leg.INMATE, "bye")));
        });
    }

    private List<String> threeWayIncidents() {
        return h.incidents.stream().filter(i -> i.type() == IncidentType.THREE_WAY_SUSPECTED).map(IncidentReport::detail).toList();
    }

    @Test
    void aKeyOrAnRfc4733FlashAloneNoLongerFlagsTheCall() {
        call(e -> {
            h.sim.after(Duration.ofMinutes(1), () -> e.digit('3'));
            h.sim.after(Duration.ofMinutes(2), () -> e.post(new MediaEvent.HookFlash(0)));
        });
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertFalse(r.threeWaySuspected());
        assertTrue(threeWayIncidents().isEmpty());
        assertTrue(h.calledEp.threeWayDetectionEverOn(), "the detector ran on the called leg");
        assertFalse(h.calledEp.threeWayDetectionOn(), "and was stopped at the end");
        assertFalse(h.inmateEp.threeWayDetectionEverOn(), "never on the inmate's leg");
    }

    @Test
    void flagWritesOneIncidentPerEpisodeWithWhereEachSignIsInTheRecording() {
        call(e -> {
            h.sim.after(Duration.ofMinutes(1), () -> e.post(found(1, true, false, FLASH, DIAL_TONE)));
            h.sim.after(Duration.ofSeconds(80), () -> e.post(found(1, true, true, FLASH, DIAL_TONE, RINGBACK)));
        });
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome(), "flag never ends a call");
        assertTrue(r.threeWaySuspected());
        List<String> inc = threeWayIncidents();
        assertEquals(1, inc.size(), inc.toString());
        String d = inc.getFirst();
        assertTrue(d.contains("score 0.70, strong"), d);
        assertTrue(d.contains("facility action flag"), d);
        assertTrue(d.contains("flash at 1:04.0 in the recording (0.90, 620 ms gap, clicks at both ends)"), d);
        assertTrue(d.contains("dial-tone at 1:04.8 in the recording"), d);
        assertTrue(d.contains("ringback at 1:10.0"), "the complete evidence: " + d);
        assertEquals(1, Collections.frequency(h.steps, "three-way-suspected"));
        assertTrue(h.bridge.announced.stream().noneMatch(a -> a.contains("three-way-warning")));
    }

    @Test
    void anEpisodeStillOpenWhenTheCallEndsIsWrittenAtTheEndWithTheEvidenceSoFar() {
        call(e -> {
            h.sim.after(Duration.ofMinutes(4), () -> e.post(found(1, false, false, DIAL_TONE, RINGBACK)));
            Sign digits = new Sign(Sign.Kind.DIALLING, 66_700, 69_000, 1.0, "10 digits 5735550147");
            h.sim.after(Duration.ofSeconds(250), () -> e.post(found(1, false, false, DIAL_TONE, digits, RINGBACK)));
        });
        CallResult r = h.run();
        assertTrue(r.threeWaySuspected());
        List<String> inc = threeWayIncidents();
        assertEquals(1, inc.size());
        assertTrue(inc.getFirst().contains("10 digits 5735550147"), "the latest evidence: " + inc);
        assertEquals(1, Collections.frequency(h.steps, "three-way-suspected"), "more evidence is not a new detection");
    }

    @Test
    void warnTellsBothPartiesOncePerEpisode() {
        h.facility = h.facility.toBuilder().threeWayAction(FacilityRules.ThreeWayAction.WARN).build();
        call(e -> {
            h.sim.after(Duration.ofMinutes(1), () -> e.post(found(1, false, false, DIAL_TONE, RINGBACK)));
            h.sim.after(Duration.ofSeconds(70), () -> e.post(found(1, true, false, FLASH, DIAL_TONE, RINGBACK)));
            h.sim.after(Duration.ofMinutes(3), () -> e.post(found(2, false, false, DIAL_TONE, RINGBACK)));
        });
        CallResult r = h.run();
        assertEquals(Outcome.COMPLETED, r.outcome(), "warn never ends a call");
        assertEquals(2, Collections.frequency(h.bridge.announced, List.of("three-way-warning")), h.bridge.announced.toString());
        assertEquals(2, threeWayIncidents().size());
    }

    @Test
    void disconnectActsOnlyOnAStrongDetectionAndSaysWhy() {
        h.facility = h.facility.toBuilder().threeWayAction(FacilityRules.ThreeWayAction.DISCONNECT).build();
        call(e -> {
            h.sim.after(Duration.ofMinutes(1), () -> e.post(found(1, false, false, DIAL_TONE, RINGBACK)));
            h.sim.after(Duration.ofMinutes(3), () -> e.post(found(2, true, false, FLASH, DIAL_TONE)));
        });
        CallResult r = h.run();
        assertEquals(Outcome.CUT_OFF, r.outcome());
        assertEquals("three_way", r.reason());
        assertTrue(r.talked().compareTo(Duration.ofMinutes(3)) >= 0, "the weak episode did not end the call");
        assertEquals(List.of("three-way-ended", "goodbye"), h.bridge.announced.getLast());
        List<String> inc = threeWayIncidents();
        assertEquals(2, inc.size(), inc.toString());
        assertEquals(1, inc.stream().filter(i -> i.contains("strong") && i.contains("call cut off")).count(), inc.toString());
        assertEquals(1, inc.stream().filter(i -> !i.contains("strong") && !i.contains("call cut off")).count(), inc.toString());
    }

    @Test
    void aPrivilegedCallIsNeverAnalysed() {
        h.standing = new NumberStanding(false, true, List.of());
        call(e -> { });
        CallResult r = h.run();
        assertTrue(r.privileged());
        assertFalse(h.calledEp.threeWayDetectionEverOn());
    }

    @Test
    void aCallerWhoKeepsMakingAttemptsFillsNoMoreThanTwentyIncidents() {
        call(e -> {
            for (int i = 0; i < 30; i++) {
                int episode = i + 1;
                h.sim.after(Duration.ofSeconds(5 + 9L * i), () -> e.post(found(episode, false, true, DIAL_TONE, RINGBACK)));
            }
        });
        CallResult r = h.run();
        assertTrue(r.threeWaySuspected());
        assertEquals(ThreeWayResponse.MAX_INCIDENTS, threeWayIncidents().size());
    }
}
