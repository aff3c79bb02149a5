package io.kinline.bench;

import io.kinline.media.srtp.SrtpCrypto;
import io.kinline.media.srtp.SrtpMasterKey;
import io.kinline.media.srtp.SrtpProfile;
import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpResult;
import io.kinline.media.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect and unprotect of one RTP packet, as the event loop would do it: the packet is copied
 * into a direct buffer (as epoll delivers it) and transformed in place. Sizes: 172 bytes (20 ms of
 * G.711) and 100 bytes (a 20 ms Opus packet). libsrtp2 is timed with the same sizes by
 * {@code media/src/test/c/srtp_peer.c bench} in the same run ({@code tests/bench/srtp.sh}).
 *
 * <p>Unprotect cycles through 65,536 packets protected in advance (one full sequence space), with a
 * fresh receiver for each pass so that no packet is refused as a replay.
 *
 * Run: {@code java -jar tests/target/benchmarks.jar SrtpBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SrtpBenchmark {

    @Param({"172", "100"})
    public int size;

    @Param({"JCA", "BOUNCY_CASTLE"})
    public String crypto;

    private SrtpMasterKey key;
    private SrtpCrypto backEnd;
    private SrtpSender tx;
    private SrtpReceiver rx;
    private byte[] plain;
    private byte[][] ring;
    private int next;
    private int seq;
    private ByteBuf buf;

    @Setup
    public void setUp() {
        Random r = new Random(3711);
        byte[] k = new byte[16];
        byte[] s = new byte[14];
        r.nextBytes(k);
        r.nextBytes(s);
        key = new SrtpMasterKey(SrtpProfile.AES_CM_128_HMAC_SHA1_80, k, s);
        backEnd = SrtpCrypto.valueOf(crypto);
        tx = new SrtpSender(key, backEnd);
        plain = new byte[size];
        r.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 0;
        buf = new UnpooledByteBufAllocator(true, true).directBuffer(256);
        SrtpSender ringTx = new SrtpSender(key, backEnd);
        ring = new byte[65_536][];
        for (int i = 0; i < ring.length; i++) {
            buf.clear().writeBytes(plain).setShort(2, i);
            if (ringTx.protectRtp(buf) != SrtpResult.OK) {
                throw new IllegalStateException("protect " + i);
            }
            ring[i] = ByteBufUtil.getBytes(buf);
        }
        rx = new SrtpReceiver(key, backEnd);
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public SrtpResult protect() {
        buf.clear().writeBytes(plain).setShort(2, seq++);
        return tx.protectRtp(buf);
    }

    @Benchmark
    public SrtpResult unprotect() {
        if (next == ring.length) {
            rx = new SrtpReceiver(key, backEnd); // amortised over 65,536 packets
            next = 0;
        }
        buf.clear().writeBytes(ring[next++]);
        return rx.unprotectRtp(buf);
    }
}
