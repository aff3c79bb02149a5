package io.kinline.bench;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.kinline.media.codec.Codec;
import io.kinline.media.codec.G711FrameCodec;
import io.kinline.media.opus.OpusCodec;
import io.kinline.media.opus.Resampler;
import io.kinline.media.wav.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * The codec work of one 20 ms frame on a tablet's leg, on speech (the English consent prompt):
 * {@code decode} what a browser sends (Opus at 48 kHz, fullband as Chrome sends by default or
 * narrowband as it sends when told {@code maxplaybackrate=8000}) down to 8 kHz; {@code encode} 8 kHz
 * to Opus; and {@code g711} (encode and decode one PCMU frame) as the handset leg's reference.
 *
 * Run from the repository root: {@code java -jar tests/target/benchmarks.jar OpusBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class OpusBenchmark {

    @Param({"POLYPHASE", "OPUS_INTERNAL"})
    public String resampling;

    @Param({"fullband", "narrowband"})
    public String browser;

    /** What {@code encode} sends: CELT (the switch's default), or SILK at complexity 0 or 2. */
    @Param({"CELT", "SILK0", "SILK2"})
    public String sending;

    /** Frame length of {@code encode}, in ms: 20, or 40 (two frames in one packet, half the packets). */
    @Param({"20", "40"})
    public int frameMs;

    private short[][] frames8k;
    private byte[][] packets;
    private OpusCodec decoder;
    private OpusCodec encoder;
    private final G711FrameCodec g711 = new G711FrameCodec(Codec.PCMU);
    private final short[] pcm = new short[960];
    private final byte[] out = new byte[1500];
    private int i;

    @Setup
    public void setUp() throws Exception {
        Path wav = Path.of("config/prompts/en/consent-menu.wav");
        short[] speech = Files.exists(wav) ? WavReader.read(wav).channel(0) : synthetic();
        int n = speech.length / 160;
        frames8k = new short[n][];
        packets = new byte[n][];
        OpusEncoder browserEncoder = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        browserEncoder.setBitrate(32_000); // Chrome's default for mono voice
        if (browser.equals("narrowband")) {
            browserEncoder.setMaxBandwidth(OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND);
        }
        Resampler.Up up = new Resampler.Up();
        short[] wide = new short[960];
        for (int f = 0; f < n; f++) {
            frames8k[f] = Arrays.copyOfRange(speech, f * 160, f * 160 + 160);
            up.process(frames8k[f], 0, 160, wide, 0);
            int len = browserEncoder.encode(wide, 0, 960, out, 0, out.length);
            packets[f] = Arrays.copyOf(out, len);
        }
        OpusCodec.Resampling r = OpusCodec.Resampling.valueOf(resampling);
        decoder = new OpusCodec(r, OpusCodec.DEFAULT_BITRATE);
        encoder = switch (sending) {
            case "CELT" -> new OpusCodec(r, OpusCodec.Encoding.WAVEFORM);
            case "SILK0" -> new OpusCodec(r, OpusCodec.Encoding.SPEECH, OpusCodec.DEFAULT_BITRATE, 0);
            default -> new OpusCodec(r, OpusCodec.Encoding.SPEECH, OpusCodec.DEFAULT_BITRATE, OpusCodec.COMPLEXITY);
        };
        int per = 8 * frameMs;
        frames8k = new short[n * 160 / per][];
        for (int f = 0; f < frames8k.length; f++) {
            frames8k[f] = Arrays.copyOfRange(speech, f * per, f * per + per);
        }
    }

    private static short[] synthetic() {
        short[] s = new short[8000 * 5];
        for (int k = 0; k < s.length; k++) {
            s[k] = (short) (3000 * Math.sin(k * 0.3) * (1 + Math.sin(k * 0.001)) + 500 * Math.sin(k * 1.1));
        }
        return s;
    }

    @Benchmark
    public int decode() {
        byte[] p = packets[i++ % packets.length];
        return decoder.decode(p, 0, p.length, pcm, 0);
    }

    /** One frame of {@link #frameMs}: per 20 ms it is half the score at 40. */
    @Benchmark
    public int encode() {
        short[] f = frames8k[i++ % frames8k.length];
        return encoder.encode(f, 0, f.length, out, 0, out.length);
    }

    @Benchmark
    public int g711() {
        short[] f = frames8k[i++ % frames8k.length];
        g711.encode(f, 0, 160, out, 0, out.length);
        return g711.decode(out, 0, 160, pcm, 0);
    }
}
