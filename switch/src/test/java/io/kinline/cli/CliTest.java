package io.kinline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.wav.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: what a technician or operator sees, and the exit codes scripts rely on. */
class CliTest {

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

    /** 8 kHz PCM with the digits as 100 ms DTMF tones, 100 ms apart, after 300 ms of silence. */
    private static short[] dtmf(String digits) {
        String keys = "123A456B789C*0#D";
        double[] low = {697, 770, 852, 941};
        double[] high = {1209, 1336, 1477, 1633};
        short[] pcm = new short[8000 * (1 + digits.length())];
        int pos = 2400;
        for (char d : digits.toCharArray()) {
            int k = keys.indexOf(d);
            for (int i = 0; i < 800; i++) {
                double t = i / 8000.0;
                pcm[pos + i] = (short) (6000 * (Math.sin(2 * Math.PI * low[k / 4] * t)
                        + Math.sin(2 * Math.PI * high[k % 4] * t)));
            }
            pos += 1600;
        }
        return pcm;
    }

    @Test
    void tonesPrintsTheDigitsOfARecording() throws Exception {
        Path wav = dir.resolve("gateway.wav");
        WavWriter.write(wav, 1, dtmf("1234#"));
        assertEquals(0, Kinline.execute("tones", wav.toString()), err());
        String text = out();
        int at = 0;
        for (String d : new String[] {"1", "2", "3", "4", "#"}) {
            int i = text.indexOf("  " + d + " ", at);
            assertTrue(i >= 0, "digit " + d + " in order in:\n" + text);
            at = i + 1;
        }
        assertTrue(text.contains("00:00.3"), "the first digit starts at about 0.3 s:\n" + text);
    }

    @Test
    void tonesRefusesWhatItCannotReadWithAPlainMessage() throws Exception {
        Path notWav = Files.writeString(dir.resolve("song.mp3"), "ID3 this is not a wave file");
        assertEquals(2, Kinline.execute("tones", notWav.toString()));
        assertTrue(err().contains("song.mp3"), err());
        assertTrue(err().contains("not a WAV"), err());
        assertTrue(!err().contains("Exception"), "no stack trace for the technician: " + err());

        assertEquals(2, Kinline.execute("tones", dir.resolve("missing.wav").toString()));
        assertTrue(err().contains("no such file"), err());
    }

    @Test
    void runRejectsABadConfigurationNamingTheKeyAndLine() throws Exception {
        Path cfg = Files.writeString(dir.resolve("kinline.yaml"), "sip:\n  port: 5060\n  prot: 5061\n");
        assertEquals(2, Kinline.execute("run", "--config", cfg.toString(), "--data-dir", dir.toString()));
        assertTrue(err().contains("prot"), err());
        assertTrue(err().contains("line 3"), err());

        assertEquals(2, Kinline.execute("run", "--config", dir.resolve("nope.yaml").toString()));
        assertTrue(err().contains("not found"), err());
    }

    @Test
    void runRejectsBadOptionValues() {
        assertEquals(2, Kinline.execute("run", "--sip-port", "70000", "--data-dir", dir.toString()));
        assertTrue(err().contains("--sip-port"), err());
        assertEquals(2, Kinline.execute("run", "--trunk", "carrier:notaport", "--data-dir", dir.toString()));
        assertTrue(err().contains("--trunk must be HOST:PORT"), err());
        assertEquals(2, Kinline.execute("run", "--mode", "proxy", "--data-dir", dir.toString()));
        assertTrue(err().contains("--mode"), err());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, Kinline.execute("--help"));
        assertTrue(out().contains("run"), out());
        assertTrue(out().contains("tones"), out());
        assertTrue(out().contains("demo"), out());
    }

    @Test
    void helpSummariesAreWholeSentences() {
        // Each command's summary under "Commands:" (its first description line, wrapped) must end a
        // sentence: the demo's once stopped at a colon, promising a list the summary never shows.
        assertEquals(0, Kinline.execute("--help"));
        String commands = out().substring(out().indexOf("Commands:") + "Commands:".length());
        java.util.Map<String, StringBuilder> summaries = new java.util.LinkedHashMap<>();
        String current = null;
        for (String line : commands.split("\\R")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^  (\\w+)\\s+(.*)$").matcher(line);
            if (m.matches()) {
                current = m.group(1);
                summaries.put(current, new StringBuilder(m.group(2).trim()));
            } else if (current != null && !line.isBlank()) {
                summaries.get(current).append(' ').append(line.trim());
            }
        }
        assertTrue(summaries.keySet().containsAll(java.util.List.of("run", "tones", "demo")), summaries.toString());
        summaries.forEach((cmd, text) -> assertTrue(text.toString().endsWith("."),
                "kinline --help cuts the summary of '" + cmd + "': " + text));
    }
}
