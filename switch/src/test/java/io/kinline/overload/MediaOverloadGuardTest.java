package io.kinline.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaLoad;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard's thresholds and hysteresis, on an explicit clock and load. */
class MediaOverloadGuardTest {

    /** A load the test sets (the probe itself is measured on a real loop in LoopLagProbeTest). */
    private static final class Load implements MediaLoad {
        long lagMicros;
        long backlogMillis;

        @Override
        public long loopLagMicros() {
            return lagMicros;
        }

        @Override
        public long recordingBacklogMillis() {
            return backlogMillis;
        }
    }

    private static final long HOLD_MS = MediaOverloadGuard.DEFAULT_HOLD_SECONDS * 1000L;
    private final Load load = new Load();
    private long now = 1_000_000_000L;

    private void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Test
    void shedsOverTheLagThresholdAndKeepsSheddingUntilCalmForTheHold() {
        MediaOverloadGuard g = new MediaOverloadGuard(load, 20, 500, () -> now);
        load.lagMicros = 20_000; // at the threshold: not over
        assertNull(g.shedReason());
        load.lagMicros = 20_001;
        assertEquals(MediaOverloadGuard.MEDIA, g.shedReason());
        assertTrue(g.shedding());

        load.lagMicros = 15_000; // under the threshold, above half: still shedding (no flapping)
        advanceMillis(5_000);
        assertEquals(MediaOverloadGuard.MEDIA, g.shedReason());

        load.lagMicros = 10_000; // at half: calm starts now
        assertEquals(MediaOverloadGuard.MEDIA, g.shedReason());
        advanceMillis(HOLD_MS - 1);
        assertEquals(MediaOverloadGuard.MEDIA, g.shedReason(), "calm for less than the hold");
        load.lagMicros = 11_000; // a blip above half restarts the hold
        assertEquals(MediaOverloadGuard.MEDIA, g.shedReason());
        load.lagMicros = 1_000;
        assertEquals(MediaOverloadGuard.MEDIA, g.shedReason());
        advanceMillis(HOLD_MS);
        assertNull(g.shedReason(), "calm for the whole hold: admitted again");
        assertFalse(g.shedding());
        assertEquals(6, g.rejected());
    }

    @Test
    void shedsOnTheRecordingBacklogWithItsOwnReason() {
        MediaOverloadGuard g = new MediaOverloadGuard(load, 20, 500, () -> now);
        load.backlogMillis = 501;
        assertEquals(MediaOverloadGuard.RECORDING, g.shedReason());
        load.backlogMillis = 250;
        assertEquals(MediaOverloadGuard.RECORDING, g.shedReason());
        advanceMillis(HOLD_MS);
        assertNull(g.shedReason());
    }

    @Test
    void zeroTurnsEachCheckOff() {
        load.lagMicros = 10_000_000;
        load.backlogMillis = 10_000;
        assertNull(new MediaOverloadGuard(load, 0, 0, () -> now).shedReason());
        assertEquals(MediaOverloadGuard.RECORDING, new MediaOverloadGuard(load, 0, 500, () -> now).shedReason());
        assertEquals(MediaOverloadGuard.MEDIA, new MediaOverloadGuard(load, 20, 0, () -> now).shedReason());
        // With the lag check off, only the backlog decides when shedding stops.
        MediaOverloadGuard backlogOnly = new MediaOverloadGuard(load, 0, 500, () -> now);
        assertEquals(MediaOverloadGuard.RECORDING, backlogOnly.shedReason());
        load.backlogMillis = 0;
        assertEquals(MediaOverloadGuard.RECORDING, backlogOnly.shedReason());
        advanceMillis(HOLD_MS);
        assertNull(backlogOnly.shedReason(), "a huge lag is ignored when its check is off");
    }

    @Test
    void negativeThresholdsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MediaOverloadGuard(load, -1, 500, () -> now));
        assertTrue(e.getMessage().contains("sip.overload.maxMediaLagMillis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MediaOverloadGuard(load, 20, -5, () -> now));
        assertTrue(e.getMessage().contains("sip.overload.maxRecordingBacklogMillis"), e.getMessage());
    }

    @Test
    void shedsWhileTheCallScriptsWakeLateAndOnlyThen() {
        long[] scripts = {0};
        MediaOverloadGuard g = new MediaOverloadGuard(load, 20, 500, () -> scripts[0], 50, 10, () -> now);
        scripts[0] = 50_000;
        assertNull(g.shedReason(), "at the threshold");
        scripts[0] = 50_001;
        assertEquals(MediaOverloadGuard.SCRIPTS, g.shedReason());
        scripts[0] = 25_000; // half: calm, but only after the hold
        assertEquals(MediaOverloadGuard.SCRIPTS, g.shedReason());
        advanceMillis(HOLD_MS);
        assertNull(g.shedReason());
        assertFalse(g.shedding());
        scripts[0] = 10_000_000;
        assertNull(new MediaOverloadGuard(load, 20, 500, () -> scripts[0], 0, 10, () -> now).shedReason(), "0 is off");
        assertThrows(IllegalArgumentException.class,
                () -> new MediaOverloadGuard(load, 20, 500, () -> 0, -1, 10, () -> now));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaOverloadGuard(load, 20, 500, () -> 0, 50, -1, () -> now));
    }
}
