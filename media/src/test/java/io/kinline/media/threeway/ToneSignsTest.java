package io.kinline.media.threeway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The call-progress tones and SIT, each as the precise tone plan defines it, and what must not pass for them. */
class ToneSignsTest {

    private static Run run(Audio a) {
        return Run.of(a.pcm());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-13, -20, -28, -36})
    void dialToneAtNetworkLevelsDownToMinus36(double level) {
        Run r = run(new Audio(1, -60).pause(1000).tones(2000, level, 350, 440).pause(1000));
        assertEquals(1, r.signs(Sign.Kind.DIAL_TONE).stream().mapToLong(Sign::startMillis).distinct().count(), r.toString());
        Sign s = r.signs(Sign.Kind.DIAL_TONE).getLast();
        assertEquals(1.0, s.confidence(), 1e-9, r.toString());
        assertEquals(1000, s.startMillis(), 40);
        assertEquals(3000, s.endMillis(), 40);
        assertTrue(r.signs(Sign.Kind.RINGBACK).isEmpty() && r.signs(Sign.Kind.BUSY).isEmpty(), r.toString());
    }

    @Test
    void dialToneBelowMinus40IsNotHeard() {
        Run r = run(new Audio(1, -70).pause(500).tones(2000, -43, 350, 440).pause(500));
        assertTrue(r.signs(Sign.Kind.DIAL_TONE).isEmpty(), r.toString());
    }

    @Test
    void shortDialToneHasLowConfidenceAndTooShortNone() {
        Run shortTone = run(new Audio(2, -60).pause(500).tones(400, -15, 350, 440).pause(500));
        assertEquals(1, shortTone.signs(Sign.Kind.DIAL_TONE).size(), shortTone.toString());
        assertTrue(shortTone.best(Sign.Kind.DIAL_TONE) < 0.6, shortTone.toString());
        assertTrue(run(new Audio(2, -60).pause(500).tones(200, -15, 350, 440).pause(500)).signs.isEmpty());
    }

    @Test
    void dialToneUnderTalkIsStillADialTone() {
        // "hang on": louder talk over the tone for 0.6 s, then the tone alone again
        Run r = run(new Audio(4, -60).pause(500).tones(600, -20, 350, 440).tonesWithTalk(600, -20, -8, 350, 440)
                .tones(800, -20, 350, 440).pause(500));
        assertEquals(1, r.signs(Sign.Kind.DIAL_TONE).stream().mapToLong(Sign::startMillis).distinct().count(), r.toString());
        Sign s = r.signs(Sign.Kind.DIAL_TONE).getLast();
        assertTrue(s.endMillis() >= 2400 && s.detail().contains("heard in"), r.toString());
    }

    @Test
    void aRecallDialToneSaysTheLineWasFlashedEvenWithoutAGap() {
        // A quiet room: the on-hook gap cannot be told from a pause, but the network's stutter can.
        Run r = run(new Audio(11, -66).pause(1500).cadence(3, 100, 100, -15, 350, 440).tones(2500, -15, 350, 440).pause(500));
        assertEquals(1, r.signs(Sign.Kind.FLASH).size(), r.toString());
        Sign flash = r.signs(Sign.Kind.FLASH).getFirst();
        assertEquals(1500, flash.startMillis(), 40);
        assertTrue(flash.detail().contains("recall"), flash.detail());
        assertEquals(1, r.ended.size(), r.toString());
        assertTrue(r.ended.getFirst().strong(), r.toString());
        Run plain = run(new Audio(11, -66).pause(1500).tones(2500, -15, 350, 440).pause(500));
        assertTrue(plain.signs(Sign.Kind.FLASH).isEmpty() && plain.ended.isEmpty(), plain.toString());
    }

    @Test
    void ringbackOneBurstThenCadenceConfirmed() {
        Run one = run(new Audio(5, -60).pause(500).tones(2000, -19, 440, 480).pause(3000));
        assertEquals(0.6, one.best(Sign.Kind.RINGBACK), 1e-9, one.toString());
        Run two = run(new Audio(5, -60).pause(500).cadence(2, 2000, 4000, -19, 440, 480));
        assertEquals(1.0, two.best(Sign.Kind.RINGBACK), 1e-9, two.toString());
        assertTrue(two.signs(Sign.Kind.DIAL_TONE).isEmpty(), "ringback is not a dial tone: " + two);
    }

    @Test
    void continuousRingbackFrequenciesAreNotRingback() {
        Run r = run(new Audio(6, -60).pause(500).tones(6000, -19, 440, 480).pause(500));
        assertTrue(r.signs(Sign.Kind.RINGBACK).isEmpty(), r.toString());
    }

    @Test
    void busyAndReorder() {
        Run busy = run(new Audio(7, -60).pause(500).cadence(4, 500, 500, -24, 480, 620));
        assertTrue(busy.best(Sign.Kind.BUSY) >= 0.6 && busy.signs(Sign.Kind.REORDER).isEmpty(), busy.toString());
        Run reorder = run(new Audio(7, -60).pause(500).cadence(6, 250, 250, -24, 480, 620));
        assertTrue(reorder.best(Sign.Kind.REORDER) >= 0.6 && reorder.signs(Sign.Kind.BUSY).isEmpty(), reorder.toString());
        Run twice = run(new Audio(7, -60).pause(500).cadence(2, 500, 500, -24, 480, 620));
        assertTrue(twice.signs.isEmpty(), "two bursts are not yet a cadence: " + twice);
    }

    @Test
    void specialInformationTone() {
        Run r = run(new Audio(8, -60).pause(500).tones(274, -24, 985.2).tones(274, -24, 1428.5).tones(380, -24, 1776.7).pause(500));
        assertEquals(1, r.signs(Sign.Kind.SIT).size(), r.toString());
        Run wrongOrder = run(new Audio(8, -60).pause(500).tones(274, -24, 1776.7).tones(274, -24, 1428.5).tones(380, -24, 985.2).pause(500));
        assertTrue(wrongOrder.signs(Sign.Kind.SIT).isEmpty(), wrongOrder.toString());
    }

    @Test
    void singleToneCallWaitingBeepIsNothing() {
        Run r = run(new Audio(9, -60).talk(2000, -20).tones(300, -20, 440).talk(2000, -20).tones(300, -20, 440).pause(500));
        assertTrue(r.signs.isEmpty(), r.toString());
    }
}
