package io.kinline.media.threeway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How signs combine: no sign decides alone; an attempt's signs together do; only flash-then-dial is strong. */
class DecisionTest {

    private static Sign sign(Sign.Kind kind, double startS, double endS, double c) {
        return new Sign(kind, (long) (startS * 1000), (long) (endS * 1000), c, "");
    }

    @Test
    void noSignDecidesAloneHoweverSure() {
        for (Sign.Kind k : Sign.Kind.values()) {
            assertTrue(Decision.score(List.of(sign(k, 1, 2, 1.0))) < Decision.THRESHOLD, k.toString());
        }
    }

    @Test
    void aLineChangeNeedsAFlashADialToneOrDialling() {
        assertTrue(Decision.score(List.of(sign(Sign.Kind.RINGBACK, 1, 3, 1), sign(Sign.Kind.LINE_CHANGE, 8, 14, 1)))
                < Decision.THRESHOLD, "a TV ringing, then the handset set down");
        assertTrue(Decision.score(List.of(sign(Sign.Kind.FLASH, 1, 1.6, 1), sign(Sign.Kind.RINGBACK, 6, 8, 1),
                sign(Sign.Kind.LINE_CHANGE, 12, 18, 1))) >= Decision.THRESHOLD);
    }

    @Test
    void flashThenDialToneIsStrong() {
        List<Sign> s = List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.9), sign(Sign.Kind.DIAL_TONE, 10.8, 13, 1));
        assertTrue(Decision.score(s) >= Decision.THRESHOLD);
        assertTrue(Decision.strong(s));
    }

    @Test
    void flashThenDiallingWithinTenSecondsIsStrongButNotAfter() {
        assertTrue(Decision.strong(List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.9), sign(Sign.Kind.DIALLING, 19, 22, 1))));
        assertFalse(Decision.strong(List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.9), sign(Sign.Kind.DIALLING, 21, 24, 1))));
        assertFalse(Decision.strong(List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.9), sign(Sign.Kind.DIALLING, 12, 12.1, 0.3))),
                "one key after a flash is not dialling");
    }

    @Test
    void dialToneAndDiallingWithoutFlashIsDetectedButNotStrong() {
        List<Sign> s = List.of(sign(Sign.Kind.DIAL_TONE, 10, 12, 1), sign(Sign.Kind.DIALLING, 12.2, 15, 1));
        assertTrue(Decision.score(s) >= Decision.THRESHOLD);
        assertFalse(Decision.strong(s));
    }

    @Test
    void aGapRightBeforeADialToneCountsAsAFlashButNotForACutOff() {
        List<Sign> s = List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.35), sign(Sign.Kind.DIAL_TONE, 10.8, 13, 1.0));
        assertTrue(Decision.score(s) >= Decision.THRESHOLD, "" + Decision.score(s));
        assertFalse(Decision.strong(s), "a bare pause before a dial tone is also a TV scene; only a flash of its own standing cuts off");
        assertTrue(Decision.strong(List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.5), sign(Sign.Kind.DIAL_TONE, 10.8, 13, 1.0))));
        List<Sign> late = List.of(sign(Sign.Kind.FLASH, 10, 10.6, 0.35), sign(Sign.Kind.DIAL_TONE, 13, 15, 1.0));
        assertTrue(Decision.score(late) < Decision.THRESHOLD, "a pause, then a dial tone 2.4 s later: " + Decision.score(late));
    }

    @Test
    void episodesAreSeparatedByFifteenQuietSeconds() {
        Run run = new Run();
        Decision d = new Decision(run);
        d.sign(Sign.Kind.FLASH, 1000, 1600, 0.9, "");
        d.sign(Sign.Kind.DIAL_TONE, 20_000, 22_000, 1.0, "");
        d.tick(40_000);
        assertTrue(run.detections.isEmpty(), "a call-waiting flash, then much later a dial tone on the TV");
        d.sign(Sign.Kind.FLASH, 50_000, 50_600, 0.9, "");
        d.sign(Sign.Kind.DIAL_TONE, 50_800, 53_000, 1.0, "");
        assertEquals(1, run.detections.size());
        assertTrue(run.detections.getFirst().strong());
        assertEquals(50_000, run.detections.getFirst().atMillis());
        d.sign(Sign.Kind.DIALLING, 53_100, 56_000, 1.0, "10 digits");
        d.flush();
        assertEquals(1, run.detections.size(), "already strong: nothing new to say until the end");
        assertEquals(3, run.ended.getFirst().signs().size(), "the complete evidence at the end");
    }

    @Test
    void aDetectionIsReportedAgainOnlyWhenItBecomesStrong() {
        Run run = new Run();
        Decision d = new Decision(run);
        d.sign(Sign.Kind.FLASH, 10_000, 10_600, 0.9, "");
        d.sign(Sign.Kind.RINGBACK, 12_000, 14_000, 1.0, "");
        assertEquals(1, run.detections.size());
        assertFalse(run.detections.getFirst().strong());
        d.sign(Sign.Kind.RINGBACK, 18_000, 20_000, 1.0, "2 cycles");
        assertEquals(1, run.detections.size());
        d.sign(Sign.Kind.DIALLING, 15_000, 17_000, 1.0, "7 digits");
        assertEquals(2, run.detections.size());
        assertTrue(run.detections.get(1).strong());
        d.flush();
        assertEquals(1, run.ended.size());
        assertEquals(3, run.ended.getFirst().signs().size(), "ringback cycles are one sign: " + run.ended);
    }

    @Test
    void aCallerWhoKeepsMakingSignsCannotGrowAnEpisodeWithoutBound() {
        // Hostile: a flash event every 2 s for a quarter of an hour keeps one episode open. Each sign
        // is weighed against the others, so an unbounded list would cost the event loop more per sign.
        Run run = new Run();
        ThreeWayDetector d = new ThreeWayDetector(run);
        for (int i = 0; i < 450; i++) {
            d.hookFlashEvent(i * 2000L);
            d.digit('5', i * 2000L + 500, true);
            d.digit('5', i * 2000L + 900, true);
        }
        d.flush();
        assertEquals(1, run.ended.size());
        assertTrue(run.ended.getFirst().signs().size() <= Decision.MAX_SIGNS, "" + run.ended.getFirst().signs().size());
        assertTrue(run.ended.getFirst().strong());
    }
}
