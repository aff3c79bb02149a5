package io.kinline.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaEvent;
import io.kinline.media.dtmf.DigitSource;
import io.kinline.media.prompt.Playlist;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IvrTest {

    static final Instant T0 = Instant.parse("2026-03-02T18:00:00Z");
    static final DigitSpec PIN = DigitSpec.upTo(6, Duration.ofSeconds(5), Duration.ofSeconds(3));

    final Simulation sim = new Simulation(T0);
    final CallEvents events = new CallEvents(sim.clock(), sim);
    final FakeEndpoint inmate = new FakeEndpoint(sim, Leg.INMATE, events);
    final Ivr ivr = new Ivr(Leg.INMATE, inmate, events);

    static Playlist p(String name) {
        return Playlist.of("en", name);
    }

    @Test
    void playWaitsForTheEndOfThePrompt() {
        ivr.play(p("welcome"));
        assertEquals(T0.plus(FakeEndpoint.PROMPT), sim.now());
        assertEquals(List.of("welcome"), inmate.heard());
        assertFalse(ivr.playing());
    }

    @Test
    void terminatorEndsCollection() {
        inmate.pressOn("enter-pin", "1234#9");
        Collected c = ivr.playAndCollect(p("enter-pin"), PIN);
        assertEquals(new Collected("1234", Collected.End.TERMINATOR), c);
        assertTrue(inmate.played().get(0).interrupted, "first digit barged in");
        sim.advance(Duration.ofSeconds(1));
        assertEquals(new Collected("9", Collected.End.MAX_LENGTH), ivr.collect(DigitSpec.oneKey(Duration.ofMillis(1))),
                "digits after # stay for the next collection");
    }

    @Test
    void terminatorBeforeAnyDigitIsNotAnEmptyEntry() {
        // A fixed-length PIN stops at its last digit; the caller's '#' after it comes later and
        // must not end the next entry as an empty one.
        DigitSpec fourDigits = new DigitSpec(4, '#', Duration.ofSeconds(5), Duration.ofSeconds(3));
        inmate.pressOn("enter-pin", "9999#");
        assertEquals(new Collected("9999", Collected.End.MAX_LENGTH), ivr.playAndCollect(p("enter-pin"), fourDigits));
        // the '#' is still on its way; the next entry comes a second later
        sim.after(Duration.ofSeconds(1), () -> inmate.press("1234"));
        assertEquals(new Collected("1234", Collected.End.MAX_LENGTH), ivr.collect(fourDigits));
    }

    @Test
    void maxLengthEndsCollection() {
        inmate.pressOn("enter-pin", "12345678");
        assertEquals(new Collected("123456", Collected.End.MAX_LENGTH), ivr.playAndCollect(p("enter-pin"), PIN));
    }

    @Test
    void firstDigitTimeoutCountsFromTheEndOfThePrompt() {
        Collected c = ivr.playAndCollect(p("enter-pin"), PIN);
        assertEquals(new Collected("", Collected.End.TIMEOUT), c);
        assertEquals(T0.plus(FakeEndpoint.PROMPT).plusSeconds(5), sim.now());
    }

    @Test
    void interDigitTimeout() {
        inmate.pressOn("enter-pin", "12");
        Collected c = ivr.playAndCollect(p("enter-pin"), PIN);
        assertEquals(new Collected("12", Collected.End.TIMEOUT), c);
        Instant lastKey = T0.plus(FakeEndpoint.REACTION).plus(FakeEndpoint.KEY_GAP);
        assertEquals(lastKey.plusSeconds(3), sim.now());
    }

    @Test
    void typeAheadDuringAPlainPromptIsKept() {
        inmate.pressOn("welcome", "55");
        ivr.play(p("welcome"));
        assertFalse(inmate.played().get(0).interrupted, "no barge-in on play()");
        inmate.pressOn("enter-pin", "66#");
        Collected c = ivr.playAndCollect(p("enter-pin"), PIN);
        assertEquals(new Collected("55", Collected.End.TIMEOUT), c);
        // the buffered digits skipped the prompt entirely
        assertEquals(List.of("welcome"), inmate.heard());
    }

    @Test
    void typeAheadBetweenPromptsIsKept() {
        inmate.pressOn("welcome", "");
        ivr.play(p("welcome"));
        inmate.digit('4');
        inmate.digit('2');
        inmate.digit('#');
        assertEquals(new Collected("42", Collected.End.TERMINATOR), ivr.playAndCollect(p("enter-number"), PIN));
    }

    @Test
    void sipInfoDigitsCountLikeRtpDigits() {
        sim.after(Duration.ofMillis(100), () -> {
            for (char c : "77#".toCharArray()) {
                events.post(new CallEvent.Media(Leg.INMATE, new MediaEvent.Digit(c, DigitSource.SIP_INFO, 0)));
            }
        });
        assertEquals(new Collected("77", Collected.End.TERMINATOR), ivr.collect(PIN));
    }

    @Test
    void otherLegDigitsDoNotLeakIn() {
        FakeEndpoint called = new FakeEndpoint(sim, Leg.CALLED, events);
        sim.after(Duration.ofMillis(100), () -> called.press("99"));
        Collected c = ivr.collect(PIN);
        assertEquals(new Collected("", Collected.End.TIMEOUT), c);
        assertEquals(2, events.typeAhead(Leg.CALLED).size());
    }

    @Test
    void hangupThrowsCallEnded() {
        inmate.on("enter-pin", e -> events.post(new CallEvent.Hangup(Leg.INMATE, "bye")));
        CallEndedException e = assertThrows(CallEndedException.class, () -> ivr.playAndCollect(p("enter-pin"), PIN));
        assertEquals(Leg.INMATE, e.leg());
        assertEquals("bye", e.reason());
        assertFalse(events.isUp(Leg.INMATE));
        // a dead leg's later events are dropped, not thrown again
        events.post(new CallEvent.Hangup(Leg.INMATE, "again"));
        assertEquals(new Collected("", Collected.End.TIMEOUT), ivr.collect(PIN));
    }

    @Test
    void mediaTimeoutThrowsCallEnded() {
        sim.after(Duration.ofSeconds(1), () -> inmate.post(new MediaEvent.MediaTimeout(30000)));
        CallEndedException e = assertThrows(CallEndedException.class, () -> ivr.collect(PIN));
        assertTrue(e.mediaTimeout());
    }

    @Test
    void aLateDoneFromAnInterruptedPromptIsNotTheEndOfTheNext() {
        ivr.startPlay(p("please-hold"), false);
        ivr.stopPlay();
        Instant afterStop = sim.now();
        ivr.play(p("goodbye"));
        assertEquals(afterStop.plus(FakeEndpoint.PROMPT), sim.now());
    }

    @Test
    void menuRepeatsOnSilenceAndWrongKeys() {
        FakeEndpoint called = new FakeEndpoint(sim, Leg.CALLED, events);
        Ivr b = new Ivr(Leg.CALLED, called, events);
        called.pressOn("consent-menu", "7");
        called.pressOn("consent-menu", "");
        called.pressOn("consent-menu", "1");
        Optional<Character> key = b.menu(p("consent-menu"), Set.of('1', '2'), 2, Duration.ofSeconds(5));
        assertEquals(Optional.of('1'), key);
        assertEquals(3, called.played().size());
    }

    @Test
    void menuGivesUpAfterTheRepeats() {
        Optional<Character> key = ivr.menu(p("consent-menu"), Set.of('1'), 2, Duration.ofSeconds(5));
        assertTrue(key.isEmpty());
        assertEquals(3, inmate.played().size());
    }

    @Test
    void bilingualMenuStopsBothPromptsOnAKey() {
        inmate.pressOn("language-menu", "2");
        Optional<Character> key = ivr.menu(List.of(Playlist.of("en", "language-menu"), Playlist.of("es", "language-menu")),
                Set.of('1', '2'), 1, Duration.ofSeconds(5));
        assertEquals(Optional.of('2'), key);
        assertEquals(1, inmate.played().size(), "the Spanish half is skipped once a key is pressed");
    }

    @Test
    void recordNameStopsAtHash() {
        sim.after(Duration.ofMillis(1800), () -> inmate.digit('#'));
        long ms = ivr.recordName(Path.of("/tmp/name.wav"), 3000);
        assertEquals(1800, ms);
        assertEquals(Path.of("/tmp/name.wav"), inmate.captured());
        assertTrue(events.typeAhead(Leg.INMATE).isEmpty(), "the # is not type-ahead");
    }

    @Test
    void recordNameStopsAtItsMaximum() {
        assertEquals(3000, ivr.recordName(Path.of("/tmp/name.wav"), 3000));
    }

    @Test
    void realTimeWaiterDeliversEventsFromAnotherThread() throws Exception {
        CallEvents real = new CallEvents(Clock.systemUTC());
        Ivr r = new Ivr(Leg.INMATE, inmate, real);
        CountDownLatch started = new CountDownLatch(1);
        Thread feeder = Thread.ofVirtual().start(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            for (char c : "31#".toCharArray()) {
                real.listener(Leg.INMATE).onEvent(inmate, new MediaEvent.Digit(c, DigitSource.INBAND, 0));
            }
        });
        started.countDown();
        Collected c = r.collect(DigitSpec.upTo(6, Duration.ofSeconds(20), Duration.ofSeconds(20)));
        feeder.join();
        assertEquals(new Collected("31", Collected.End.TERMINATOR), c);
    }
}
