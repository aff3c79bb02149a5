package io.kinline.bench;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.kinline.media.codec.Codec;
import io.kinline.media.codec.G711FrameCodec;
import io.kinline.media.opus.OpusCodec;
import io.kinline.media.opus.Resampler;
import io.kinline.media.srtp.SrtpCrypto;
import io.kinline.media.srtp.SrtpMasterKey;
import io.kinline.media.srtp.SrtpProfile;
import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpResult;
import io.kinline.media.srtp.SrtpSender;
import io.kinline.media.wav.WavReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * CPU time (this thread's, not wall time) per operation: SRTP protect/unprotect per packet and the
 * codec work per 20 ms frame. CPU time is what libsrtp's timing loop reports too, and on a shared,
 * busy machine it is far less disturbed than wall time. Each figure is the median of 15 rounds after
 * warm-up rounds (10 for SRTP; 50 for Opus, whose large methods take Concentus seconds of JIT work
 * to reach full speed); the fastest round is shown beside it.
 *
 * Run from the repository root: {@code java -cp tests/target/benchmarks.jar io.kinline.bench.SecureMediaCpu}
 */
public final class SecureMediaCpu {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private SecureMediaCpu() {
    }

    public static void main(String[] args) throws Exception {
        for (int size : new int[] {172, 100}) {
            for (SrtpCrypto c : SrtpCrypto.values()) {
                srtp(size, c);
            }
        }
        short[] speech = WavReader.read(Path.of("config/prompts/en/consent-menu.wav")).channel(0);
        G711FrameCodec g711 = new G711FrameCodec(Codec.PCMU);
        byte[] out = new byte[1500];
        short[] pcm = new short[960];
        int frames = speech.length / 160;
        int[] k = {0};
        report("g711 encode+decode, 20 ms", "us", 1e3, measure(2000, () -> {
            int f = k[0]++ % frames;
            g711.encode(speech, f * 160, 160, out, 0, 160);
            return g711.decode(out, 0, 160, pcm, 0);
        }));
        for (String browser : new String[] {"fullband", "narrowband"}) {
            byte[][] packets = browserPackets(speech, browser.equals("narrowband"));
            for (OpusCodec.Resampling r : OpusCodec.Resampling.values()) {
                OpusCodec dec = new OpusCodec(r, OpusCodec.DEFAULT_BITRATE);
                report("opus decode " + browser + " " + r + ", 20 ms", "us", 1e3, measure(300, 50, () -> {
                    byte[] p = packets[k[0]++ % packets.length];
                    return dec.decode(p, 0, p.length, pcm, 0);
                }));
            }
        }
        for (OpusCodec.Resampling r : OpusCodec.Resampling.values()) {
            OpusCodec enc = new OpusCodec(r, OpusCodec.DEFAULT_BITRATE);
            report("opus encode " + r + ", 20 ms", "us", 1e3, measure(300, 50, () ->
                    enc.encode(speech, (k[0]++ % frames) * 160, 160, out, 0, out.length)));
        }
        Resampler.Down down = new Resampler.Down();
        Resampler.Up up = new Resampler.Up();
        short[] wide = new short[960];
        report("resample 8k->48k->8k, 20 ms", "us", 1e3, measure(2000, () -> {
            up.process(speech, (k[0]++ % frames) * 160, 160, wide, 0);
            return down.process(wide, 0, 960, pcm, 0);
        }));
    }

    private static void srtp(int size, SrtpCrypto crypto) {
        Random r = new Random(size);
        byte[] k = new byte[16];
        byte[] s = new byte[14];
        r.nextBytes(k);
        r.nextBytes(s);
        SrtpMasterKey key = new SrtpMasterKey(SrtpProfile.AES_CM_128_HMAC_SHA1_80, k, s);
        byte[] plain = new byte[size];
        r.nextBytes(plain);
        plain[0] = (byte) 0x80;
        ByteBuf buf = new UnpooledByteBufAllocator(true, true).directBuffer(256);
        SrtpSender tx = new SrtpSender(key, crypto);
        int[] seq = {0};
        report("srtp protect " + crypto + " " + size + " B", "ns", 1, measure(20_000, () -> {
            buf.clear().writeBytes(plain).setShort(2, seq[0]++);
            return tx.protectRtp(buf).ordinal();
        }));
        // Unprotect: packets protected ahead, one fresh receiver per round so none is a replay.
        int per = 20_000;
        byte[][] wire = new byte[per][];
        SrtpSender pre = new SrtpSender(key, crypto);
        for (int i = 0; i < per; i++) {
            buf.clear().writeBytes(plain).setShort(2, i);
            pre.protectRtp(buf);
            wire[i] = ByteBufUtil.getBytes(buf);
        }
        SrtpReceiver[] rx = {null};
        int[] i = {per};
        report("srtp unprotect " + crypto + " " + size + " B", "ns", 1, measure(per, () -> {
            if (i[0] == per) {
                rx[0] = new SrtpReceiver(key, crypto);
                i[0] = 0;
            }
            buf.clear().writeBytes(wire[i[0]++]);
            SrtpResult res = rx[0].unprotectRtp(buf);
            if (res != SrtpResult.OK) {
                throw new IllegalStateException(res.toString());
            }
            return 0;
        }));
        buf.release();
    }

    private static byte[][] browserPackets(short[] speech, boolean narrowband) throws Exception {
        OpusEncoder e = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        e.setBitrate(32_000);
        if (narrowband) {
            e.setMaxBandwidth(OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND);
        }
        Resampler.Up up = new Resampler.Up();
        short[] wide = new short[960];
        byte[] out = new byte[1500];
        byte[][] packets = new byte[speech.length / 160][];
        for (int f = 0; f < packets.length; f++) {
            up.process(speech, f * 160, 160, wide, 0);
            packets[f] = Arrays.copyOf(out, e.encode(wide, 0, 960, out, 0, out.length));
        }
        return packets;
    }

    /** Nanoseconds of CPU per operation: median and minimum of 15 rounds of {@code ops}. */
    private static double[] measure(int ops, IntSupplier op) {
        return measure(ops, 10, op);
    }

    private static double[] measure(int ops, int warmUpRounds, IntSupplier op) {
        long sink = 0;
        double[] rounds = new double[15];
        for (int round = -warmUpRounds; round < rounds.length; round++) {
            long c0 = MX.getCurrentThreadCpuTime();
            for (int n = 0; n < ops; n++) {
                sink += op.getAsInt();
            }
            if (round >= 0) {
                rounds[round] = (MX.getCurrentThreadCpuTime() - c0) / (double) ops;
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(rounds);
        return new double[] {rounds[rounds.length / 2], rounds[0]};
    }

    private static void report(String what, String unit, double div, double[] v) {
        System.out.printf("%-44s median %9.1f %s   fastest %9.1f %s%n", what, v[0] / div, unit, v[1] / div, unit);
    }
}
