package io.kinline.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.tones.CallProgressTone;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo phones' ears: the 1 kHz beep before "say your name", and the end of a prompt. */
class EarsTest {

    private static short[] tone(double hz, int samples, double amplitude, int phase) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) (amplitude * Math.sin(2 * Math.PI * hz * (i + phase) / 8000.0));
        }
        return s;
    }

    private static void hear(Phone.Ears ears, double hz, int frames) {
        for (int f = 0; f < frames; f++) {
            short[] frame = tone(hz, 160, 8000, f * 160);
            ears.hear(frame, 0, frame.length);
        }
    }

    @Test
    void aSustainedOneKilohertzToneIsTheBeep() {
        Phone.Ears ears = new Phone.Ears();
        long before = System.nanoTime();
        hear(ears, 1000, 20); // 400 ms, like the switch's beep
        assertTrue(ears.beepSince(before));
    }

    @Test
    void ringbackAndShortBlipsAreNotTheBeep() {
        Phone.Ears ears = new Phone.Ears();
        long before = System.nanoTime();
        // Two seconds of the switch's ringback (440+480 Hz), frame by frame as the phone gets it.
        short[] ringback = CallProgressTone.RINGBACK.cycle();
        for (int off = 0; off < 16000; off += 160) {
            ears.hear(ringback, off, 160);
        }
        assertTrue(ears.promptEnded(0, Duration.ZERO), "ringback is sound");
        hear(ears, 1000, 4);   // 80 ms of 1 kHz inside speech
        hear(ears, 700, 10);
        hear(ears, 1000, 4);
        assertFalse(ears.beepSince(before));
    }

    @Test
    void silenceIsNotSound() {
        Phone.Ears ears = new Phone.Ears();
        long mark = ears.mark();
        short[] quiet = new short[160];
        for (int i = 0; i < 50; i++) {
            ears.hear(quiet, 0, quiet.length);
        }
        assertFalse(ears.promptEnded(mark, Duration.ZERO), "nothing was said, so nothing ended");
        hear(ears, 440, 10);
        assertTrue(ears.promptEnded(mark, Duration.ZERO));
        assertFalse(ears.promptEnded(ears.mark(), Duration.ZERO), "no sound after the new mark");
        assertFalse(ears.promptEnded(mark, Duration.ofHours(1)), "not quiet for long enough yet");
    }
}
