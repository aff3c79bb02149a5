package io.kinline.media.threeway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hook flash: an on-hook gap of 0.3-1.1 s, and the pauses, losses and knocks that must not pass for one. */
class FlashSignTest {

    private static Audio call(long seed) {
        return new Audio(seed, -55).talk(4000, -20).pause(600);
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 500, 800, 1100})
    void onHookGapWithClicksIsAFlash(int ms) {
        Run r = Run.of(call(ms).onHook(ms, -66, true, true).pause(600).talk(3000, -20).pcm());
        assertEquals(1, r.signs(Sign.Kind.FLASH).size(), r.toString());
        Sign f = r.signs(Sign.Kind.FLASH).getFirst();
        assertTrue(f.confidence() >= 0.9, r.toString());
        assertEquals(ms, f.durationMillis(), 60, r.toString());
        assertTrue(f.detail().contains("clicks at both ends"), f.detail());
    }

    @Test
    void unclickedGapCountsLessAndDeepnessStillCounts() {
        Run r = Run.of(call(2).onHook(600, -66, false, false).pause(600).talk(3000, -20).pcm());
        double c = r.best(Sign.Kind.FLASH);
        assertTrue(c >= 0.3 && c < 0.6, r.toString());
    }

    @Test
    void gapsOutsideTheFlashRangeAreNotFlashes() {
        assertTrue(Run.of(call(3).onHook(150, -66, true, true).talk(3000, -20).pcm()).signs(Sign.Kind.FLASH).isEmpty());
        assertTrue(Run.of(call(3).onHook(2500, -66, true, true).talk(3000, -20).pcm()).signs(Sign.Kind.FLASH).isEmpty());
    }

    @Test
    void pausesInTalkAreNotFlashes() {
        Audio a = new Audio(4, -55);
        for (int i = 0; i < 30; i++) {
            a.talk(1500, -20).pause(300 + 30 * i);
        }
        assertTrue(Run.of(a.pcm()).signs.isEmpty());
    }

    @Test
    void lostPacketsAreNeverAFlash() {
        Run run = new Run();
        run.feed(call(5).pcm(), 160);
        run.detector.lost(8 * 700);
        run.feed(new Audio(6, -55).talk(3000, -20).pcm(), 160);
        run.detector.flush();
        assertTrue(run.signs(Sign.Kind.FLASH).isEmpty(), run.toString());
    }

    @Test
    void aKnockWithoutSilenceIsNotAFlash() {
        Run r = Run.of(call(7).click(-6).talk(500, -50).click(-10).talk(3000, -20).pcm());
        assertTrue(r.signs(Sign.Kind.FLASH).isEmpty(), r.toString());
    }

    @Test
    void aGapWhileTheSwitchSpeaksIsIgnored() {
        short[] before = call(8).pcm();
        short[] gap = new Audio(9, -55).onHook(700, -66, true, true).pcm();
        short[] after = new Audio(10, -55).pause(600).talk(3000, -20).pcm();
        Run run = new Run();
        run.feed(before, 160);
        run.detector.announcing(true);
        run.feed(gap, 160);
        run.detector.announcing(false);
        run.feed(after, 160);
        run.detector.flush();
        assertTrue(run.signs(Sign.Kind.FLASH).isEmpty(), run.toString());
    }
}
