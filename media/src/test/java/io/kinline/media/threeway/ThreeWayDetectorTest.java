package io.kinline.media.threeway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.dtmf.DtmfDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detector as its owners use it: audio, digits from the DTMF detection, RFC 4733 flashes, the switch's prompts. */
class ThreeWayDetectorTest {

    /** Talk, a clicked flash, recall dial tone, ten digits, two rings, a new voice. */
    static Audio attempt(long seed) {
        return new Audio(seed, -55).talk(8000, -20).pause(500).onHook(650, -66, true, true).pause(150)
                .cadence(3, 100, 100, -15, 350, 440).tones(1800, -15, 350, 440)
                .digits("5735550147", 90, 120, -10).pause(2500)
                .cadence(2, 2000, 4000, -22, 440, 480).talk(10_000, -26);
    }

    /** Runs with the in-band DTMF detector feeding digits, as the endpoint and the CLI do. */
    static Run withDtmf(short[] pcm, int chunk) {
        Run run = new Run();
        DtmfDetector dtmf = new DtmfDetector((d, s, e) -> run.detector.digit(d, s / 8, false));
        for (int i = 0; i < pcm.length; i += chunk) {
            int n = Math.min(chunk, pcm.length - i);
            dtmf.process(pcm, i, n);
            run.detector.process(pcm, i, n);
        }
        dtmf.flush();
        run.detector.flush();
        return run;
    }

    @Test
    void anAttemptIsOneStrongDetectionWithItsEvidenceInOrder() {
        Run r = withDtmf(attempt(1).pcm(), 160);
        assertEquals(1, r.ended.size(), r.toString());
        Detection d = r.ended.getFirst();
        assertTrue(d.strong() && d.score() >= 0.85, d.line());
        assertEquals(8500, d.atMillis(), 100, "starts at the flash");
        assertTrue(d.kinds().startsWith("flash,dial-tone,dialling,ringback"), d.kinds());
        assertTrue(d.signs().stream().anyMatch(s -> s.detail().contains("10 digits 5735550147")), d.line());
        assertEquals(1, r.detections.size(), "detected at the dial tone, and strong at once: " + r.detections);
        assertTrue(r.detections.getFirst().strong());
        Sign last = r.detections.getFirst().signs().getLast();
        assertTrue(last.kind() == Sign.Kind.DIAL_TONE && last.endMillis() < 11_720,
                "while the dial tone still sounded, before the first digit: " + last);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 80, 160, 240, 1000})
    void anyChunkingGivesTheSameResult(int chunk) {
        short[] pcm = attempt(2).pcm();
        assertEquals(withDtmf(pcm, 160).ended.toString(), withDtmf(pcm, chunk).ended.toString());
    }

    @Test
    void aSingleKeyPressOrAnAccountNumberAloneIsNotAnAttempt() {
        Run one = withDtmf(new Audio(3, -55).talk(5000, -20).pause(1500).digits("1", 120, 200, -10).talk(5000, -20).pcm(), 160);
        assertTrue(one.ended.isEmpty(), one.toString());
        Run many = withDtmf(new Audio(4, -55).talk(5000, -20).pause(1500).digits("4417092231", 100, 150, -10)
                .talk(5000, -20).pcm(), 160);
        assertTrue(many.ended.isEmpty() && many.best(Sign.Kind.DIALLING) == 1.0, many.toString());
    }

    @Test
    void callWaitingFlashesAloneAreNotAnAttempt() {
        Run r = withDtmf(new Audio(5, -55).talk(5000, -20).onHook(600, -66, true, true).pause(20)
                .onHook(12_000, -66, false, false).onHook(500, -66, true, true).pause(300).talk(5000, -20).pcm(), 160);
        assertFalse(r.signs(Sign.Kind.FLASH).isEmpty(), r.toString());
        assertTrue(r.ended.isEmpty(), r.toString());
    }

    @Test
    void rfc4733FlashThenDigitsIsStrong() {
        Run run = new Run();
        run.feed(new Audio(6, -55).talk(5000, -20).pcm(), 160);
        long t = run.detector.millis();
        run.detector.hookFlashEvent(t);
        for (int i = 0; i < 7; i++) {
            run.detector.digit((char) ('2' + i), t + 2000 + 300L * i, true);
        }
        run.feed(new Audio(7, -55).talk(5000, -20).pcm(), 160);
        run.detector.flush();
        assertEquals(1, run.ended.size(), run.toString());
        assertTrue(run.ended.getFirst().strong());
        assertTrue(run.ended.getFirst().line().contains("RFC 4733"), run.ended.getFirst().line());
    }

    @Test
    void whileTheSwitchSpeaksNothingIsTaken() {
        Run run = new Run();
        run.feed(new Audio(8, -55).talk(5000, -20).pcm(), 160);
        run.detector.announcing(true);
        run.feed(new Audio(9, -55).onHook(600, -66, true, true).tones(2000, -15, 350, 440).pcm(), 160);
        run.detector.announcing(false);
        run.feed(new Audio(10, -55).talk(5000, -20).pcm(), 160);
        run.detector.flush();
        assertTrue(run.signs.isEmpty(), run.toString());
    }

    @Test
    void timeCountsHeardAndLostAudio() {
        ThreeWayDetector d = new ThreeWayDetector(det -> { });
        d.process(new short[800], 0, 800);
        d.lost(1600);
        d.process(new short[80], 0, 80);
        assertEquals(310, d.millis());
        assertThrows(IndexOutOfBoundsException.class, () -> d.process(new short[10], 5, 10));
        assertThrows(IllegalArgumentException.class, () -> d.lost(-1));
    }
}
