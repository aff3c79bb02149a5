package io.kinline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.wav.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinline threeway}: what an investigator sees for a recording with and without an attempt. */
class ThreeWayCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * 20 s of a called party's line: noise bursts for talk over a -55 dBm0 room; with {@code attempt},
     * the talk stops at 7 s, at 8 s the line goes on hook for 600 ms (clicks at both ends), a 2 s dial
     * tone (350+440 Hz) and seven digits follow.
     */
    private static short[] line(boolean attempt) {
        Random r = new Random(5);
        short[] pcm = new short[8000 * 20];
        for (int i = 0; i < pcm.length; i++) {
            boolean talk = (i / 3200) % 3 != 2;
            pcm[i] = (short) (r.nextGaussian() * (talk ? 2000 : 30));
        }
        if (attempt) {
            for (int i = 7 * 8000; i < 14 * 8000; i++) {
                pcm[i] = (short) (r.nextGaussian() * 30); // the called party stops talking to flash and dial
            }
            int at = 8 * 8000;
            for (int i = at; i < at + 4800; i++) {
                pcm[i] = (short) (r.nextGaussian() * 6); // on hook: the line card's idle noise
            }
            pcm[at] = 9000;
            pcm[at + 4800] = -9000;
            int t = at + 4800 + 800;
            for (int i = 0; i < 16000; i++) {
                pcm[t + i] = (short) (3000 * (Math.sin(2 * Math.PI * 350 * i / 8000) + Math.sin(2 * Math.PI * 440 * i / 8000)));
            }
            t += 16000;
            double[] low = {852, 770, 697, 941, 852, 770, 697};
            double[] high = {1336, 1477, 1209, 1336, 1209, 1336, 1477};
            for (int d = 0; d < 7; d++) {
                for (int i = 0; i < 800; i++) {
                    pcm[t + i] = (short) (5000 * (Math.sin(2 * Math.PI * low[d] * i / 8000) + Math.sin(2 * Math.PI * high[d] * i / 8000)));
                }
                for (int i = 800; i < 1600; i++) {
                    pcm[t + i] = (short) (r.nextGaussian() * 30);
                }
                t += 1600;
            }
        }
        return pcm;
    }

    @Test
    void anAttemptIsOneLineWithTimeScoreAndSigns() throws Exception {
        Path wav = dir.resolve("call.wav");
        WavWriter.write(wav, 1, line(true));
        assertEquals(0, Kinline.execute("threeway", wav.toString()), err());
        String[] lines = out().strip().split("\n");
        assertEquals(1, lines.length, out());
        assertTrue(lines[0].matches("8\\.\\d\\d  0\\.\\d\\d  strong  flash@8\\.\\d\\ds\\(.*clicks at both ends.*dial-tone@.*dialling@.*7 digits 8610753.*"),
                lines[0]);
    }

    @Test
    void aCleanCallPrintsNothing() throws Exception {
        Path wav = dir.resolve("clean.wav");
        WavWriter.write(wav, 1, line(false));
        assertEquals(0, Kinline.execute("threeway", wav.toString()), err());
        assertEquals("", out());
    }

    @Test
    void aStereoRecordingIsReadFromTheCalledPartysChannel() throws Exception {
        short[] called = line(true);
        short[] inmate = line(false);
        short[] stereo = new short[called.length * 2];
        for (int i = 0; i < called.length; i++) {
            stereo[2 * i] = inmate[i];
            stereo[2 * i + 1] = called[i];
        }
        Path wav = WavWriterHelper.stereo(dir.resolve("rec.wav"), stereo);
        assertEquals(0, Kinline.execute("threeway", wav.toString()), err());
        assertTrue(out().contains("strong"), out());
        out.reset();
        assertEquals(0, Kinline.execute("threeway", "--channel", "0", wav.toString()), err());
        assertEquals("", out(), "the inmate's side is clean");
    }

    @Test
    void severalFilesArePrefixedAndSignsCanBeShown() throws Exception {
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        WavWriter.write(a, 1, line(true));
        WavWriter.write(b, 1, line(false));
        assertEquals(0, Kinline.execute("threeway", "--signs", a.toString(), b.toString()), err());
        assertTrue(out().contains(a + ": 8."), out());
        assertTrue(out().contains(a + ": # flash@"), out());
        assertFalse(out().contains(b + ": 8."), out());
    }

    @Test
    void badInputGetsAPlainMessage() throws Exception {
        Path notWav = Files.writeString(dir.resolve("song.mp3"), "ID3 not audio");
        assertEquals(2, Kinline.execute("threeway", notWav.toString()));
        assertTrue(err().contains("song.mp3") && err().contains("not a WAV"), err());
        assertEquals(2, Kinline.execute("threeway", dir.resolve("missing.wav").toString()));
        assertTrue(err().contains("no such file"), err());
        Path mono = dir.resolve("mono.wav");
        WavWriter.write(mono, 1, line(false));
        assertEquals(2, Kinline.execute("threeway", "--channel", "1", mono.toString()));
        assertTrue(err().contains("no channel 1"), err());
        assertEquals(2, Kinline.execute("threeway", "--channel", "7", mono.toString()));
        assertTrue(err().contains("--channel is 0 or 1"), err());
        assertFalse(err().contains("Exception"), err());
    }

    /** Writes interleaved stereo 16-bit PCM. */
    private static final class WavWriterHelper {
        static Path stereo(Path file, short[] interleaved) throws Exception {
            WavWriter.write(file, 2, interleaved);
            return file;
        }
    }
}
