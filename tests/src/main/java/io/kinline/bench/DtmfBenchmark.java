package io.kinline.bench;

import io.kinline.media.dtmf.DtmfDetector;
import io.kinline.media.dtmf.DtmfReceiver;
import io.kinline.media.dtmf.DigitSource;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * In-band DTMF detection cost per 20 ms frame (160 samples), the unit an endpoint feeds per RTP
 * packet. Signals: tones (DTMF present: full analysis every hop), noise (loud enough to run the
 * filter bank every hop but never a digit: the worst steady case) and silence (early exit).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DtmfBenchmark {

    @Param({"tones", "noise", "silence"})
    public String signal;

    private short[] audio;
    private int pos;
    private DtmfDetector detector;
    private DtmfReceiver receiver;
    private long ts;
    private long digits;

    @Setup
    public void setUp() {
        int seconds = 10;
        audio = new short[8000 * seconds];
        Random r = new Random(42);
        switch (signal) {
            case "tones" -> {
                double[] low = {697, 770, 852, 941};
                double[] high = {1209, 1336, 1477, 1633};
                for (int i = 0; i < audio.length; i++) {
                    int slot = i / 800; // 60 ms tone, 40 ms pause, digits cycling
                    if (i % 800 < 480) {
                        audio[i] = (short) (6000 * Math.sin(2 * Math.PI * low[slot % 4] * i / 8000)
                                + 6000 * Math.sin(2 * Math.PI * high[(slot / 4) % 4] * i / 8000));
                    }
                }
            }
            case "noise" -> {
                for (int i = 0; i < audio.length; i++) {
                    audio[i] = (short) (r.nextGaussian() * 3000);
                }
            }
            default -> {
                for (int i = 0; i < audio.length; i++) {
                    audio[i] = (short) (r.nextGaussian() * 2);
                }
            }
        }
        detector = new DtmfDetector((d, s, e) -> digits++);
        receiver = new DtmfReceiver(new DtmfReceiver.Listener() {
            @Override
            public void onDigit(char digit, DigitSource source, long rtpTimestamp) {
                digits++;
            }

            @Override
            public void onHookFlash(long rtpTimestamp) {
            }
        }, true);
    }

    private int nextFrame() {
        int p = pos;
        pos += 160;
        if (pos + 160 > audio.length) {
            pos = 0;
        }
        return p;
    }

    @Benchmark
    public long detectorPerFrame() {
        detector.process(audio, nextFrame(), 160);
        return digits;
    }

    @Benchmark
    public void receiverPerFrame(Blackhole bh) {
        receiver.onAudio(audio, nextFrame(), 160, ts);
        ts += 160;
        bh.consume(digits);
    }
}
