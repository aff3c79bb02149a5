package io.kinline.media.threeway;

import io.kinline.media.dtmf.DtmfDetector;
import io.kinline.media.tones.ToneScanner;
import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The core of {@code kinline threeway FILE.wav}: runs the three-way detector over one channel of a
 * recording, with the in-band DTMF detector beside it feeding it digits (on a live call the endpoint's
 * own DTMF detection does that).
 *
 * <p>Kinline's recordings put the inmate on the left and the called party on the right, so a stereo
 * file is read from channel 1 unless told otherwise; a mono file from channel 0.
 */
public final class ThreeWayScanner {

    /** Channels are analysed in chunks of this many samples: one RTP packet of 20 ms. */
    private static final int CHUNK = 160;

    private ThreeWayScanner() {
    }

    /**
     * What a scan found.
     *
     * @param channel    the channel analysed
     * @param detections one per detected episode, with its complete evidence, in time order
     * @param signs      every sign found, detected or not
     * @param below      the episodes that stayed below the threshold, with their scores
     */
    public record Result(int channel, long durationMillis, List<Detection> detections, List<Sign> signs,
            List<Detection> below) {
        public Result {
            detections = List.copyOf(detections);
            signs = List.copyOf(signs);
            below = List.copyOf(below);
        }
    }

    /** Reads and scans a WAV file; {@code channel} null for the default (1 for stereo, 0 for mono). */
    public static Result scan(Path wav, Integer channel) throws IOException {
        return scan(ToneScanner.read(wav), channel);
    }

    public static Result scan(WavReader.Audio audio, Integer channel) {
        if (audio.sampleRate() != 8000) {
            throw new IllegalArgumentException("sample rate " + audio.sampleRate() + " Hz; 8000 Hz required");
        }
        int ch = channel != null ? channel : audio.channels() > 1 ? 1 : 0;
        if (ch < 0 || ch >= audio.channels()) {
            throw new IllegalArgumentException("no channel " + ch + ": the file has " + audio.channels()
                    + (audio.channels() == 1 ? " channel (use 0)" : " channels (0 to " + (audio.channels() - 1) + ")"));
        }
        return scan(audio.channel(ch), ch);
    }

    /** Scans 8 kHz linear PCM. */
    public static Result scan(short[] pcm, int channel) {
        List<Detection> detections = new ArrayList<>();
        List<Sign> signs = new ArrayList<>();
        List<Detection> below = new ArrayList<>();
        ThreeWayDetector detector = new ThreeWayDetector(new ThreeWayDetector.Listener() {
            @Override
            public void onDetection(Detection d) {
            }

            @Override
            public void onEpisodeEnd(Detection d) {
                detections.add(d);
            }

            @Override
            public void onEpisodeBelowThreshold(Detection d) {
                below.add(d);
            }

            @Override
            public void onSign(Sign s) {
                signs.add(s);
            }
        });
        DtmfDetector dtmf = new DtmfDetector((digit, start, end) -> detector.digit(digit, start / 8, false));
        for (int i = 0; i < pcm.length; i += CHUNK) {
            int n = Math.min(CHUNK, pcm.length - i);
            dtmf.process(pcm, i, n);
            detector.process(pcm, i, n);
        }
        dtmf.flush();
        detector.flush();
        return new Result(channel, pcm.length / 8L, detections, signs, below);
    }

    /** One line per detection: {@code 12.34  0.87  strong  flash@12.34s(...) dial-tone@...}; nothing for a clean call. */
    public static void print(Result r, PrintStream out, String prefix) {
        for (Detection d : r.detections()) {
            out.println(prefix + d.line());
        }
    }

    /** Every sign, detected or not, one per line with a leading {@code #}, then the episodes below the threshold. */
    public static void printSigns(Result r, PrintStream out, String prefix) {
        for (Sign s : r.signs()) {
            out.println(prefix + "# " + s);
        }
        for (Detection d : r.below()) {
            out.println(prefix + "# below threshold: " + d.line().replace("  flag  ", "  "));
        }
    }
}
