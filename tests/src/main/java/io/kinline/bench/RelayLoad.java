package io.kinline.bench;

import io.kinline.media.Bridge;
import io.kinline.media.MediaConfig;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.codec.Codec;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.prompt.Prompt;
import io.kinline.media.prompt.PromptLibrary;
import io.kinline.media.rtp.NettyMediaEngine;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * System harness for the relay: N bridged endpoint pairs in this process, each leg driven by a
 * loopback socket sending 20 ms G.711 packets both ways, as phones would.
 *
 * <p>Reports loss, one-way latency through the relay (send to receive, both on this host's clock),
 * added jitter (RFC 3550 style mean |D| of consecutive latencies) and process CPU per 1,000 packets
 * forwarded. The CPU figure includes the load generator's own threads, so it is an upper bound on
 * the relay's cost.
 *
 * <pre>java -cp tests/target/benchmarks.jar io.kinline.bench.RelayLoad [pairs=100] [seconds=20] [transcode=false] [inbandDtmf=false]</pre>
 */
public final class RelayLoad {

    private static final int FRAME = 160;
    /** The first second is JIT warm-up: not in latency or CPU figures (loss counts everything). */
    private static final int WARMUP_FRAMES = 50;

    private RelayLoad() {
    }

    /** One leg's peer socket: sends to its endpoint, receives what the bridge relays to it. */
    private static final class Leg {
        final DatagramChannel ch;
        final InetSocketAddress to;
        final Codec codec;
        final long ssrc;
        final long[] sentAt;
        int seq;
        long ts;
        int sent;
        int received;
        /**
         * Received packets the partner sent inside the measured window (send index at or after the warm-up),
         * whenever they arrive: a count taken at the window's start would also credit packets still in
         * flight from the warm-up, and a loaded relay then "received" more than was sent.
         */
        int receivedInWindow;
        int firstRxSeq = -1;
        double jitterSum;
        int jitterCount;
        double lastLatency = Double.NaN;
        final List<Double> latencies = new ArrayList<>();
        Leg partner;

        Leg(DatagramChannel ch, InetSocketAddress to, Codec codec, long ssrc, int frames) {
            this.ch = ch;
            this.to = to;
            this.codec = codec;
            this.ssrc = ssrc;
            this.sentAt = new long[frames + 16];
        }
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean transcode = args.length > 2 && Boolean.parseBoolean(args[2]);
        boolean inband = args.length > 3 && Boolean.parseBoolean(args[3]);
        int frames = Math.max(seconds, 2) * 50 + WARMUP_FRAMES;

        // Ports below the ephemeral range (32768+), where the load sockets' own ports land.
        MediaConfig cfg = MediaConfig.builder().portRange(22000, Math.min(32000, 22000 + 4 * pairs + 1000))
                .inbandDtmf(inband).build();
        PromptLibrary none = new PromptLibrary() {
            @Override
            public Prompt prompt(String language, String name) {
                throw new IllegalArgumentException(name);
            }

            @Override
            public boolean has(String language, String name) {
                return false;
            }

            @Override
            public Set<String> languages() {
                return Set.of();
            }

            @Override
            public List<Prompt> resolve(Playlist playlist) {
                return List.of();
            }
        };
        byte[] payloadU = new byte[FRAME];
        byte[] payloadA = new byte[FRAME];
        for (int i = 0; i < FRAME; i++) {
            short s = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            payloadU[i] = Codec.PCMU.encode(s);
            payloadA[i] = Codec.PCMA.encode(s);
        }

        try (NettyMediaEngine engine = NettyMediaEngine.create(cfg, none); Selector selector = Selector.open()) {
            List<Leg> legs = new ArrayList<>();
            List<Bridge> bridges = new ArrayList<>();
            List<MediaEndpoint> eps = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                Leg[] pair = new Leg[2];
                MediaEndpoint[] ends = new MediaEndpoint[2];
                for (int side = 0; side < 2; side++) {
                    Codec codec = transcode && side == 1 ? Codec.PCMA : Codec.PCMU;
                    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                    ch.bind(new InetSocketAddress("127.0.0.1", 0));
                    ch.configureBlocking(false);
                    MediaEndpoint ep = engine.createEndpoint("load-" + p, side == 0 ? "inmate" : "called", (e, ev) -> { });
                    int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                    String offer = "v=0\r\no=load 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio "
                            + port + " RTP/AVP " + codec.staticPayloadType() + "\r\n";
                    ep.answer(offer);
                    ch.connect(new InetSocketAddress("127.0.0.1", ep.localAddress().getPort()));
                    Leg leg = new Leg(ch, new InetSocketAddress("127.0.0.1", ep.localAddress().getPort()), codec,
                            0x10000L * p + side + 1, frames);
                    ch.register(selector, SelectionKey.OP_READ, leg);
                    pair[side] = leg;
                    ends[side] = ep;
                    legs.add(leg);
                    eps.add(ep);
                }
                pair[0].partner = pair[1];
                pair[1].partner = pair[0];
                bridges.add(engine.bridge(ends[0], ends[1]));
            }
            Thread.sleep(200);

            Thread receiver = Thread.ofPlatform().name("load-rx").start(() -> receive(selector, frames));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = ManagementFactory.getThreadMXBean();
            long loopCpu0 = 0;
            long cpu0 = 0;
            long wall0 = 0;
            long sent0 = 0;
            ByteBuffer out = ByteBuffer.allocate(12 + FRAME);
            long next = System.nanoTime();
            for (int f = 0; f < frames; f++) {
                if (f == WARMUP_FRAMES) {
                    // JIT warm-up over: measure from here.
                    cpu0 = os.getProcessCpuTime();
                    loopCpu0 = eventLoopCpu(threads);
                    wall0 = System.nanoTime();
                    for (Leg l : legs) {
                        sent0 += l.sent;
                    }
                }
                for (Leg leg : legs) {
                    out.clear();
                    out.put((byte) 0x80).put((byte) leg.codec.staticPayloadType()).putShort((short) leg.seq)
                            .putInt((int) leg.ts).putInt((int) leg.ssrc)
                            .put(leg.codec == Codec.PCMU ? payloadU : payloadA).flip();
                    leg.sentAt[f] = System.nanoTime();
                    leg.ch.write(out);
                    leg.seq = (leg.seq + 1) & 0xFFFF;
                    leg.ts += FRAME;
                    leg.sent++;
                }
                next += 20_000_000L;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            Thread.sleep(500);
            long cpu1 = os.getProcessCpuTime();
            long loopCpu1 = eventLoopCpu(threads);
            long wall1 = System.nanoTime();
            receiver.interrupt();
            selector.wakeup();
            receiver.join(2000);

            long sent = 0;
            long received = 0;
            long receivedInWindow = 0;
            double jitter = 0;
            int jn = 0;
            List<Double> all = new ArrayList<>();
            for (Leg l : legs) {
                sent += l.sent;
                received += l.received;
                receivedInWindow += l.receivedInWindow;
                jitter += l.jitterSum;
                jn += l.jitterCount;
                all.addAll(l.latencies);
            }
            double[] lat = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("pairs=%d seconds=%d transcode=%s inbandDtmf=%s packets sent=%d relayed=%d loss=%.4f%%%n", pairs, seconds,
                    transcode, inband, sent, received, 100.0 * (sent - received) / Math.max(1, sent));
            if (lat.length > 0) {
                System.out.printf("latency ms: mean=%.3f p50=%.3f p99=%.3f max=%.3f; added jitter (mean |D|) ms=%.3f%n",
                        Arrays.stream(lat).average().orElse(0), lat[lat.length / 2], lat[(int) (lat.length * 0.99)],
                        lat[lat.length - 1], jitter / Math.max(1, jn));
            }
            System.out.printf("process CPU: %.1f ms total over %.1f s wall; %.3f ms CPU per 1,000 packets relayed (includes the load generator)%n",
                    (cpu1 - cpu0) / 1e6, (wall1 - wall0) / 1e9, (cpu1 - cpu0) / 1e6 / Math.max(1, receivedInWindow) * 1000);
            System.out.printf("media event loop threads: %.3f ms CPU per 1,000 packets relayed%n",
                    (loopCpu1 - loopCpu0) / 1e6 / Math.max(1, receivedInWindow) * 1000);
            // The line tests/bench/media.sh reads, side by side with rtpengine: cpu_ms is the relay's own
            // CPU (the media event loops), as rtpengine's process CPU is its relay alone.
            System.out.printf(java.util.Locale.ROOT,
                    "flows=%d sent=%d received=%d lost=%d loss_pct=%.4f seconds=%.1f cpu_ms=%.1f%n",
                    pairs, sent - sent0, receivedInWindow, Math.max(0, (sent - sent0) - receivedInWindow),
                    100.0 * ((sent - sent0) - receivedInWindow) / Math.max(1, sent - sent0),
                    (wall1 - wall0) / 1e9, (loopCpu1 - loopCpu0) / 1e6);
            for (Bridge b : bridges) {
                b.close();
            }
            for (MediaEndpoint ep : eps) {
                ep.close();
            }
            for (Leg l : legs) {
                l.ch.close();
            }
        }
    }

    /** CPU time of the engine's event loop threads (named kinline-rtp-*): the relay's own cost. */
    private static long eventLoopCpu(java.lang.management.ThreadMXBean threads) {
        long sum = 0;
        for (java.lang.management.ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith("kinline-rtp")) {
                long t = threads.getThreadCpuTime(ti.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    private static void receive(Selector selector, int frames) {
        ByteBuffer in = ByteBuffer.allocate(2048);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                selector.select(100);
            } catch (Exception e) {
                return;
            }
            long now = System.nanoTime();
            for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
                SelectionKey k = it.next();
                it.remove();
                Leg leg = (Leg) k.attachment();
                try {
                    while (true) {
                        in.clear();
                        if (leg.ch.receive(in) == null) {
                            break;
                        }
                        in.flip();
                        if (in.remaining() < 12) {
                            continue;
                        }
                        int seq = in.getShort(2) & 0xFFFF;
                        if (leg.firstRxSeq < 0) {
                            leg.firstRxSeq = seq;
                        }
                        // The relay maps seqs with a constant offset: the index of the partner's send.
                        int idx = (seq - leg.firstRxSeq) & 0xFFFF;
                        leg.received++;
                        if (idx >= WARMUP_FRAMES && idx < frames) {
                            leg.receivedInWindow++;
                            double latency = (now - leg.partner.sentAt[idx]) / 1e6;
                            leg.latencies.add(latency);
                            if (!Double.isNaN(leg.lastLatency)) {
                                leg.jitterSum += Math.abs(latency - leg.lastLatency);
                                leg.jitterCount++;
                            }
                            leg.lastLatency = latency;
                        }
                    }
                } catch (Exception e) {
                    // a closed channel at the end of the run
                }
            }
        }
    }
}
