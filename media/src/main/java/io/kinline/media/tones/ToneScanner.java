package io.kinline.media.tones;

import io.kinline.media.dtmf.DtmfDetector;
import io.kinline.media.wav.WavException;
import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The core of {@code kinline tones FILE.wav}: finds the DTMF digits in a recording.
 *
 * <p>Reads 8 kHz WAV files in 16-bit PCM, μ-law or A-law, mono or stereo (each channel scanned on its
 * own, so a stereo call recording shows who pressed what). Anything else is refused with a
 * {@link WavException} that says what the file is and how to convert it.
 */
public final class ToneScanner {

    private static final String CONVERT_HINT =
            " (convert with: sox IN -r 8000 -c 1 -b 16 -e signed-integer OUT.wav)";

    private ToneScanner() {
    }

    public static List<DetectedDigit> scan(Path wav) throws IOException {
        return scan(read(wav));
    }

    /**
     * Reads a recording for analysis (also {@code kinline threeway}): an 8 kHz WAV, or a
     * {@link WavException} saying what the file is instead and how to convert it.
     */
    public static WavReader.Audio read(Path wav) throws IOException {
        if (!Files.exists(wav)) {
            throw new WavException(wav + ": no such file");
        }
        if (Files.isDirectory(wav)) {
            throw new WavException(wav + ": is a directory, not a WAV file");
        }
        WavReader.Audio audio;
        try {
            audio = WavReader.read(wav);
        } catch (NoSuchFileException e) {
            throw new WavException(wav + ": no such file");
        } catch (WavException e) {
            throw new WavException(describe(wav, e.getMessage()) + CONVERT_HINT);
        }
        return audio;
    }

    /** Scans decoded audio (8 kHz). */
    public static List<DetectedDigit> scan(WavReader.Audio audio) {
        if (audio.sampleRate() != 8000) {
            throw new IllegalArgumentException("sample rate " + audio.sampleRate() + " Hz; 8000 Hz required");
        }
        List<DetectedDigit> found = new ArrayList<>();
        for (int ch = 0; ch < audio.channels(); ch++) {
            int channel = ch;
            DtmfDetector detector = new DtmfDetector((digit, start, end) ->
                    found.add(new DetectedDigit(digit, start / 8, end / 8, channel)));
            short[] pcm = audio.channel(ch);
            detector.process(pcm, 0, pcm.length);
            detector.flush();
        }
        found.sort(Comparator.comparingLong(DetectedDigit::startMillis).thenComparingInt(DetectedDigit::channel));
        return List.copyOf(found);
    }

    /**
     * Prints one line per digit, e.g. {@code 00:01.240  5  (80 ms)}; with a {@code left}/{@code right}
     * column when any digit came from the right channel of a stereo file.
     */
    public static void print(List<DetectedDigit> digits, PrintStream out) {
        boolean stereo = digits.stream().anyMatch(d -> d.channel() != 0);
        for (DetectedDigit d : digits) {
            long ms = d.startMillis();
            String line = String.format("%02d:%02d.%03d  %c  (%d ms)", ms / 60_000, ms / 1000 % 60, ms % 1000,
                    d.digit(), d.durationMillis());
            if (stereo) {
                line = String.format("%-24s %s", line, d.channel() == 0 ? "left" : "right");
            }
            out.println(line);
        }
    }

    /** Adds what the file looks like when it is not a WAV at all (MP3 is the usual mistake). */
    private static String describe(Path file, String message) {
        byte[] head = new byte[4];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return message;
        }
        if (n == 0) {
            return file + ": file is empty";
        }
        if (n >= 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3'
                || n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
            return file + ": looks like an MP3 file, not a WAV file";
        }
        if (n >= 4 && head[0] == 'O' && head[1] == 'g' && head[2] == 'g' && head[3] == 'S') {
            return file + ": looks like an Ogg file, not a WAV file";
        }
        return message;
    }
}
