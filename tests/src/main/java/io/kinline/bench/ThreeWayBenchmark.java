package io.kinline.bench;

import io.kinline.media.dtmf.DtmfDetector;
import io.kinline.media.threeway.Detection;
import io.kinline.media.threeway.ThreeWayDetector;
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

/**
 * Three-way detection cost per 20 ms frame (160 samples), beside the in-band DTMF detector on the same
 * frames in the same run: the budget is "no more than the DTMF detector". Signals: a call with
 * an attempt in it (speech-like noise bursts, an on-hook gap with clicks, dial tone, DTMF, ringback:
 * every tracker busy), loud noise (the filter bank on every frame, never a sign: the worst steady
 * case), and silence (the bank skipped).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThreeWayBenchmark {

    @Param({"attempt", "noise", "silence"})
    public String signal;

    private short[] audio;
    private int pos;
    private DtmfDetector dtmf;
    private ThreeWayDetector threeWay;
    private long events;

    @Setup
    public void setUp() {
        int seconds = 30;
        audio = new short[8000 * seconds];
        Random r = new Random(42);
        switch (signal) {
            case "attempt" -> attempt(r);
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
        dtmf = new DtmfDetector((d, s, e) -> events++);
        threeWay = new ThreeWayDetector(new ThreeWayDetector.Listener() {
            @Override
            public void onDetection(Detection d) {
                events++;
            }
        });
    }

    /** 8 s of talk-like noise bursts, a 600 ms gap with clicks, 2 s dial tone, 10 digits, two ringback cycles, talk. */
    private void attempt(Random r) {
        int i = 0;
        for (; i < 8 * 8000; i++) {
            boolean talking = (i / 4000) % 3 != 2;
            audio[i] = (short) (r.nextGaussian() * (talking ? 2500 : 30));
        }
        audio[i] = 12000;
        i += 600 * 8;
        audio[i] = -12000;
        i += 160;
        for (int end = i + 2 * 8000; i < end; i++) {
            audio[i] = (short) (2500 * (Math.sin(2 * Math.PI * 350 * i / 8000) + Math.sin(2 * Math.PI * 440 * i / 8000)));
        }
        double[] low = {697, 770, 852, 941};
        double[] high = {1209, 1336, 1477};
        for (int d = 0; d < 10; d++) {
            for (int end = i + 800; i < end; i++) {
                audio[i] = (short) (4000 * (Math.sin(2 * Math.PI * low[d % 4] * i / 8000)
                        + Math.sin(2 * Math.PI * high[d % 3] * i / 8000)));
            }
            i += 800;
        }
        for (int c = 0; c < 2; c++) {
            for (int end = i + 2 * 8000; i < end; i++) {
                audio[i] = (short) (1000 * (Math.sin(2 * Math.PI * 440 * i / 8000) + Math.sin(2 * Math.PI * 480 * i / 8000)));
            }
            i += 4 * 8000;
        }
        for (; i < audio.length; i++) {
            audio[i] = (short) (r.nextGaussian() * ((i / 4000) % 3 != 2 ? 2500 : 30));
        }
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
    public long dtmfPerFrame() {
        dtmf.process(audio, nextFrame(), 160);
        return events;
    }

    @Benchmark
    public long threeWayPerFrame() {
        threeWay.process(audio, nextFrame(), 160);
        return events;
    }
}
