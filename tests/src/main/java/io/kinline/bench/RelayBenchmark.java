package io.kinline.bench;

import io.kinline.media.codec.Codec;
import io.kinline.media.rtp.RtpPacket;
import io.kinline.media.rtp.Transcoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-packet work of the media relay without sockets: what {@code RtpEndpoint.relayOut} does to
 * each received 20 ms G.711 packet on the event loop, on a pooled direct buffer as epoll delivers it.
 *
 * <ul>
 *   <li>{@code copyThrough}: validate the header, rewrite PT/seq/ts/SSRC/marker in place (equal codecs).
 *   <li>{@code transcode}: the same plus μ-law to A-law in place by table.
 *   <li>{@code announceMix}: the same plus decode, add a prompt frame with saturation, re-encode.
 * </ul>
 *
 * Run: {@code java -jar tests/target/benchmarks.jar RelayBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RelayBenchmark {

    private ByteBuf buf;
    private final RtpPacket view = new RtpPacket();
    private final byte[] scratch = new byte[1500];
    private final short[] pcm = new short[1500];
    private final short[] prompt = new short[160];
    private int inSeq;
    private long inTs;
    private int seqDelta = 1234;
    private long tsDelta = 987654;

    @Setup(Level.Trial)
    public void setup() {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(172);
        RtpPacket.writeHeader(buf, false, 0, 1, 160, 0x1234);
        for (int i = 0; i < 160; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 400 * i / 8000.0));
            buf.writeByte(Codec.PCMU.encode(s));
            prompt[i] = (short) (4000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
        }
    }

    @TearDown(Level.Trial)
    public void teardown() {
        buf.release();
    }

    private RtpPacket rewrite() {
        RtpPacket p = view;
        if (!p.wrap(buf)) {
            throw new IllegalStateException("invalid packet");
        }
        // The peer's header as it arrives (varying seq/ts), then our mapping into the endpoint's space.
        p.setSequenceNumber(inSeq = (inSeq + 1) & 0xFFFF);
        p.setTimestamp(inTs = (inTs + 160) & 0xFFFFFFFFL);
        p.setPayloadType(0);
        p.setSequenceNumber((p.sequenceNumber() + seqDelta) & 0xFFFF);
        p.setTimestamp((p.timestamp() + tsDelta) & 0xFFFFFFFFL);
        p.setSsrc(0xCAFEBABEL);
        p.setMarker(false);
        return p;
    }

    @Benchmark
    public int copyThrough() {
        RtpPacket p = rewrite();
        return p.sequenceNumber();
    }

    @Benchmark
    public int transcode() {
        RtpPacket p = rewrite();
        Transcoder.transcode(buf, p.payloadIndex(), p.payloadLength(), Codec.PCMU, Codec.PCMA, scratch);
        p.setPayloadType(8);
        return p.sequenceNumber();
    }

    @Benchmark
    public int announceMix() {
        RtpPacket p = rewrite();
        int n = p.payloadLength();
        buf.getBytes(p.payloadIndex(), scratch, 0, n);
        Codec.PCMU.decode(scratch, 0, pcm, 0, n);
        for (int i = 0; i < n; i++) {
            int v = pcm[i] + prompt[i];
            pcm[i] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
        }
        Codec.PCMU.encode(pcm, 0, scratch, 0, n);
        buf.setBytes(p.payloadIndex(), scratch, 0, n);
        return p.sequenceNumber();
    }
}
