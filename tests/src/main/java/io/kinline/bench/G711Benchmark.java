package io.kinline.bench;

import io.kinline.media.codec.G711;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** G.711 per 20 ms frame (160 samples): encode, decode, and μ-law to A-law transcoding. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class G711Benchmark {

    private final short[] pcm = new short[160];
    private final short[] pcmOut = new short[160];
    private final byte[] ulaw = new byte[160];
    private final byte[] alaw = new byte[160];

    @Setup
    public void setUp() {
        Random r = new Random(7);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (r.nextGaussian() * 4000);
        }
        G711.encodeUlaw(pcm, 0, ulaw, 0, 160);
    }

    @Benchmark
    public byte[] encodeUlaw() {
        G711.encodeUlaw(pcm, 0, ulaw, 0, 160);
        return ulaw;
    }

    @Benchmark
    public byte[] encodeAlaw() {
        G711.encodeAlaw(pcm, 0, alaw, 0, 160);
        return alaw;
    }

    @Benchmark
    public short[] decodeUlaw() {
        G711.decodeUlaw(ulaw, 0, pcmOut, 0, 160);
        return pcmOut;
    }

    @Benchmark
    public short[] decodeAlaw() {
        G711.decodeAlaw(alaw, 0, pcmOut, 0, 160);
        return pcmOut;
    }

    @Benchmark
    public byte[] transcodeUlawToAlaw() {
        for (int i = 0; i < 160; i++) {
            alaw[i] = G711.ulawToAlaw(ulaw[i]);
        }
        return alaw;
    }
}
