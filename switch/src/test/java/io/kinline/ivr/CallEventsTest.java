package io.kinline.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kinline.media.MediaEvent;
import io.kinline.media.RtpStatistics;
import io.kinline.media.dtmf.DigitSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallEventsTest {

    final Simulation sim = new Simulation(Instant.parse("2026-03-02T18:00:00Z"));
    final CallEvents events = new CallEvents(sim.clock(), sim);

    Instant soon() {
        return sim.now().plusSeconds(1);
    }

    @Test
    void statisticsAreSkippedAndTheDeadlineReturnsNull() {
        events.post(new CallEvent.Media(Leg.INMATE, new MediaEvent.Statistics(RtpStatistics.EMPTY)));
        Instant deadline = soon();
        assertNull(events.next(deadline));
        assertEquals(deadline, sim.now());
    }

    @Test
    void sipEventsPassThrough() {
        events.post(new CallEvent.BLegProgress(180));
        assertEquals(new CallEvent.BLegProgress(180), events.next(soon()));
        events.post(new CallEvent.Timer("watchdog"));
        assertEquals(new CallEvent.Timer("watchdog"), events.next(soon()));
    }

    @Test
    void aFloodDropsDigitsButNeverAHangup() {
        for (int i = 0; i < CallEvents.MAX_QUEUED + 10; i++) {
            events.post(new CallEvent.Media(Leg.CALLED, new MediaEvent.Digit('1', DigitSource.INBAND, i)));
        }
        events.post(new CallEvent.Hangup(Leg.CALLED, "bye"));
        int digits = 0;
        CallEndedException end = null;
        try {
            while (events.next(soon()) != null) {
                digits++;
            }
        } catch (CallEndedException e) {
            end = e;
        }
        assertEquals(CallEvents.MAX_QUEUED, digits);
        assertEquals(Leg.CALLED, end.leg());
        assertEquals(CallEvents.MAX_TYPE_AHEAD, events.typeAhead(Leg.CALLED).size(), "type-ahead is bounded");
    }

    @Test
    void aLegEndedByTheScriptIsSilent() {
        events.markEnded(Leg.CALLED);
        events.post(new CallEvent.Hangup(Leg.CALLED, "late"));
        events.post(new CallEvent.Media(Leg.CALLED, new MediaEvent.MediaTimeout(30000)));
        events.post(new CallEvent.Media(Leg.CALLED, new MediaEvent.Digit('5', DigitSource.RFC4733, 0)));
        assertNull(events.next(soon()));
        assertEquals(0, events.typeAhead(Leg.CALLED).size());
    }

    @Test
    void playbackAccounting() {
        events.playbackStarted(Leg.INMATE);
        events.playbackStarted(Leg.INMATE);
        events.post(new CallEvent.Media(Leg.INMATE, new MediaEvent.PlaybackDone(true)));
        assertInstanceOf(CallEvent.Media.class, events.next(soon()));
        assertEquals(1, events.pendingPlaybacks(Leg.INMATE));
        events.post(new CallEvent.Media(Leg.INMATE, new MediaEvent.PlaybackDone(false)));
        events.post(new CallEvent.Media(Leg.INMATE, new MediaEvent.PlaybackDone(false)));
        events.next(soon());
        events.next(soon());
        assertEquals(0, events.pendingPlaybacks(Leg.INMATE), "never below zero");
    }

    @Test
    void mediaTimeoutIsACallEnd() {
        sim.after(Duration.ofMillis(10), () -> events.post(
                new CallEvent.Media(Leg.INMATE, new MediaEvent.MediaTimeout(30000))));
        CallEndedException e = assertThrows(CallEndedException.class, () -> events.next(soon()));
        assertEquals(CallEndedException.MEDIA_TIMEOUT, e.reason());
        assertEquals(false, events.isUp(Leg.INMATE));
    }

    @Test
    void farDeadlinesDoNotOverflow() {
        sim.after(Duration.ofDays(3), () -> events.post(new CallEvent.BLegAnswered()));
        assertEquals(new CallEvent.BLegAnswered(), events.next(Instant.MAX));
    }
}
