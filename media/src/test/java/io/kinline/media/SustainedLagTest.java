package io.kinline.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sustained-lag rule on a clock the test drives: a probe every 20 ms, each run late by what the test says.
 */
class SustainedLagTest {

    private static final long PERIOD = ms(20);

    private long now = ms(1_000);
    private final SustainedLag lag = new SustainedLag(now, now + PERIOD);

    /** One run, {@code lateMs} after it was due; the next is due a period later (fixed delay). */
    private void run(long lateMs) {
        now += PERIOD + ms(lateMs);
        lag.ran(now, now + PERIOD);
    }

    @Test
    void aProbeOnTimeHasNoLag() {
        for (int i = 0; i < 100; i++) {
            run(0);
        }
        assertEquals(0, lag.lagNanos(now));
    }

    @Test
    void aSingleSpikeIsNotSustained() {
        for (int i = 0; i < 10; i++) {
            run(1);
        }
        run(100);
        for (int i = 0; i < 10; i++) {
            run(1);
        }
        assertEquals(ms(1), lag.lagNanos(now), "one late run among punctual ones counts as the punctual ones");
    }

    @Test
    void fourLateRunsAreNotSustainedButFiveAre() {
        run(0);
        for (int i = 0; i < SustainedLag.RUNS - 1; i++) {
            run(80);
        }
        assertEquals(0, lag.lagNanos(now), "four in a row");
        run(80);
        assertEquals(ms(80), lag.lagNanos(now), "five in a row");
    }

    @Test
    void theSmallestOfTheRunIsTheLag() {
        int[] late = {90, 70, 120, 60, 100};
        for (int l : late) {
            run(l);
        }
        assertEquals(ms(60), lag.lagNanos(now), "late by at least 60 ms at every run");
    }

    @Test
    void aSustainedLagIsKeptForOneToTwoWindowsThenForgotten() {
        for (int i = 0; i < SustainedLag.RUNS; i++) {
            run(50);
        }
        long lateUntil = now;
        while (now - lateUntil < SustainedLag.WINDOW_NANOS) {
            run(0);
            if (now - lateUntil < SustainedLag.WINDOW_NANOS - PERIOD) {
                assertEquals(ms(50), lag.lagNanos(now), "still within the window");
            }
        }
        while (now - lateUntil < 2 * SustainedLag.WINDOW_NANOS + PERIOD) {
            run(0);
        }
        assertEquals(0, lag.lagNanos(now), "forgotten after two windows on time");
    }

    @Test
    void aStalledProbeReportsHowOverdueItIs() {
        run(0);
        long due = now + PERIOD;
        assertEquals(0, lag.lagNanos(due + SustainedLag.STUCK_NANOS), "overdue by the limit is not yet stuck");
        assertEquals(ms(700), lag.lagNanos(due + ms(700)), "overdue past the limit counts in full");
    }

    @Test
    void aStallShorterThanTheLagDoesNotLowerIt() {
        for (int i = 0; i < SustainedLag.RUNS; i++) {
            run(800);
        }
        assertEquals(ms(800), lag.lagNanos(now + PERIOD + ms(600)));
    }

    @Test
    void lateRunsCountFromTheirDueTimeNotTheStart() {
        SustainedLag l = new SustainedLag(0, ms(500)); // first run due half a second in
        long t = ms(500);
        for (int i = 0; i < SustainedLag.RUNS; i++) {
            t += ms(30);
            l.ran(t, t + PERIOD);
            t += PERIOD;
        }
        assertEquals(ms(30), l.lagNanos(t));
    }

    private static long ms(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
