package io.kinline.media.tones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.codec.G711;
import io.kinline.media.wav.WavException;
import io.kinline.media.wav.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToneScannerTest {

    @TempDir
    Path dir;

    private static final String LOW_HIGH = "123A456B789C*0#D";
    private static final double[] LOW = {697, 770, 852, 941};
    private static final double[] HIGH = {1209, 1336, 1477, 1633};

    /** Digits each {@code toneMs} long after {@code gapMs} of silence, starting at {@code leadMs}. */
    private static short[] tones(String digits, int leadMs, int toneMs, int gapMs) {
        int total = (leadMs + digits.length() * (toneMs + gapMs) + 200) * 8;
        short[] s = new short[total];
        int pos = leadMs * 8;
        for (char d : digits.toCharArray()) {
            int k = LOW_HIGH.indexOf(d);
            for (int i = 0; i < toneMs * 8; i++) {
                double v = 7000 * Math.sin(2 * Math.PI * LOW[k / 4] * i / 8000)
                        + 7000 * Math.sin(2 * Math.PI * HIGH[k % 4] * i / 8000);
                s[pos + i] = (short) v;
            }
            pos += (toneMs + gapMs) * 8;
        }
        return s;
    }

    private static String digits(List<DetectedDigit> list) {
        StringBuilder sb = new StringBuilder();
        list.forEach(d -> sb.append(d.digit()));
        return sb.toString();
    }

    @Test
    void pcmMono() throws IOException {
        Path f = dir.resolve("pcm.wav");
        WavWriter.write(f, 1, tones("0123456789*#ABCD", 1000, 80, 120));
        List<DetectedDigit> found = ToneScanner.scan(f);
        assertEquals("0123456789*#ABCD", digits(found));
        DetectedDigit first = found.get(0);
        assertEquals(1000, first.startMillis(), 6);
        assertEquals(80, first.durationMillis(), 10);
        assertEquals(0, first.channel());
        assertEquals(1200, found.get(1).startMillis(), 6);
    }

    @Test
    void ulawAndAlaw() throws IOException {
        short[] pcm = tones("5551212", 300, 60, 60);
        for (int tag : new int[] {6, 7}) {
            byte[] data = new byte[pcm.length];
            if (tag == 7) {
                G711.encodeUlaw(pcm, 0, data, 0, pcm.length);
            } else {
                G711.encodeAlaw(pcm, 0, data, 0, pcm.length);
            }
            Path f = dir.resolve("g711-" + tag + ".wav");
            Files.write(f, wav(tag, 1, 8000, 8, data));
            assertEquals("5551212", digits(ToneScanner.scan(f)), "format tag " + tag);
        }
    }

    @Test
    void stereoScansEachChannel() throws IOException {
        short[] left = tones("12", 100, 80, 400);
        short[] right = tones("9", 300, 80, 100);
        int frames = Math.max(left.length, right.length);
        short[] inter = new short[frames * 2];
        for (int i = 0; i < frames; i++) {
            inter[2 * i] = i < left.length ? left[i] : 0;
            inter[2 * i + 1] = i < right.length ? right[i] : 0;
        }
        Path f = dir.resolve("stereo.wav");
        WavWriter.write(f, 2, inter);
        List<DetectedDigit> found = ToneScanner.scan(f);
        assertEquals("192", digits(found));
        assertEquals(List.of(0, 1, 0), found.stream().map(DetectedDigit::channel).toList());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ToneScanner.print(found, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].matches("00:00\\.(09[5-9]|10[0-5])  1  \\(\\d+ ms\\)\\s+left"), lines[0]);
        assertTrue(lines[1].matches("00:00\\.\\d{3}  9  \\(\\d+ ms\\)\\s+right"), lines[1]);
    }

    @Test
    void printFormat() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ToneScanner.print(List.of(new DetectedDigit('5', 1240, 1320, 0), new DetectedDigit('#', 61_005, 61_105, 0)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("00:01.240  5  (80 ms)\n01:01.005  #  (100 ms)\n",
                bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void silenceHasNoDigits() throws IOException {
        Path f = dir.resolve("silence.wav");
        WavWriter.write(f, 1, new short[80_000]);
        assertEquals(List.of(), ToneScanner.scan(f));
    }

    @Test
    void sixteenKilohertzRefused() throws IOException {
        Path f = dir.resolve("wide.wav");
        Files.write(f, wav(1, 1, 16000, 16, new byte[3200]));
        WavException e = assertThrows(WavException.class, () -> ToneScanner.scan(f));
        assertTrue(e.getMessage().contains("16000 Hz") && e.getMessage().contains("8000"), e.getMessage());
        assertTrue(e.getMessage().contains("sox"), e.getMessage());
    }

    @Test
    void eightBitPcmRefused() throws IOException {
        Path f = dir.resolve("u8.wav");
        Files.write(f, wav(1, 1, 8000, 8, new byte[800]));
        WavException e = assertThrows(WavException.class, () -> ToneScanner.scan(f));
        assertTrue(e.getMessage().contains("8 bits"), e.getMessage());
    }

    @Test
    void mp3AndGarbageRefused() throws IOException {
        Path mp3 = dir.resolve("call.mp3");
        byte[] id3 = new byte[512];
        id3[0] = 'I';
        id3[1] = 'D';
        id3[2] = '3';
        Files.write(mp3, id3);
        WavException e = assertThrows(WavException.class, () -> ToneScanner.scan(mp3));
        assertTrue(e.getMessage().contains("MP3"), e.getMessage());

        Path junk = dir.resolve("junk.wav");
        byte[] g = new byte[1000];
        new Random(1).nextBytes(g);
        g[0] = 'x';
        Files.write(junk, g);
        e = assertThrows(WavException.class, () -> ToneScanner.scan(junk));
        assertTrue(e.getMessage().contains("not a WAV file"), e.getMessage());

        Path empty = dir.resolve("empty.wav");
        Files.write(empty, new byte[0]);
        e = assertThrows(WavException.class, () -> ToneScanner.scan(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        e = assertThrows(WavException.class, () -> ToneScanner.scan(dir.resolve("missing.wav")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    /** A minimal RIFF/WAVE file with the given fmt fields. */
    static byte[] wav(int formatTag, int channels, int rate, int bits, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = channels * bits / 8;
        b.putInt(0x46464952).putInt(36 + data.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) formatTag).putShort((short) channels)
                .putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        b.putInt(0x61746164).putInt(data.length).put(data);
        return b.array();
    }
}
