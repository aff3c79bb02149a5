package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.codec.Codec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * CPU per talking call on the media event loops: {@code N} bridged calls, both parties sending a tone
 * every 20 ms, inmate side a plain G.711 handset or a WebRTC tablet (Opus or PCMU, SRTP), called side
 * plain PCMU, each call recorded in stereo. Measured as the CPU time of the {@code kinline-rtp} threads
 * (where the whole media hot path runs) over a fixed window after every DTLS handshake is done; the
 * peers' own work (Opus encoding, SRTP in the test peer) runs on other threads and is not counted.
 * A measurement, not a test: runs only with {@code -Dkinline.bench=true}; see docs/PERFORMANCE.md.
 */
@EnabledIfSystemProperty(named = "kinline.bench", matches = "true")
class WebRtcCallCostTest {

    private static final int CALLS = Integer.getInteger("kinline.bench.calls", 20);
    private static final int SECONDS = Integer.getInteger("kinline.bench.seconds", 15);
    private static final String MODES = System.getProperty("kinline.bench.modes", "G711_HANDSET,WEBRTC_PCMU,WEBRTC_OPUS,WEBRTC_OPUS_BOTH");

    /**
     * The inmate leg: a handset; a tablet on PCMU; a tablet sending Opus and hearing the switch's PCMU (the
     * default, {@code media.webrtcSendOpus: false}); a tablet on Opus both ways ({@code webrtcSendOpus: true}).
     */
    enum Mode { G711_HANDSET, WEBRTC_PCMU, WEBRTC_OPUS, WEBRTC_OPUS_BOTH }

    @Test
    void cpuPerTalkingCall() throws Exception {
        // Netty's leak detector (paranoid in the test build) records a stack trace per buffer: it doubles the
        // figures and weighs on the Opus path, which allocates a buffer per packet. Say which was in force.
        StringBuilder report = new StringBuilder("calls=" + CALLS + " window=" + SECONDS + "s leakDetection="
                + io.netty.util.ResourceLeakDetector.getLevel() + " load="
                + Files.readString(Path.of("/proc/loadavg")).strip() + "\n");
        for (String name : MODES.split(",")) {
            Mode m = Mode.valueOf(name.strip());
            double[] r = measure(m);
            report.append(String.format("%-13s %.3f ms CPU per call-second (%.2f %% of a core per call); "
                    + "inmate packets delivered to the called party %.4f%n", m, r[0], r[0] / 10, r[1]));
        }
        System.out.println(report);
        Files.writeString(Path.of("target/webrtc-call-cost.txt"), report);
    }

    /** CPU ms per call-second, and the share of the inmate side's packets the called side received. */
    private double[] measure(Mode mode) throws Exception {
        NettyMediaEngine engine = NettyMediaEngine.create(
                EndpointTest.testConfig().toBuilder().webrtcSendOpus(mode == Mode.WEBRTC_OPUS_BOTH).build(),
                new TestPrompts());
        Path dir = Files.createTempDirectory("kinline-cost-");
        List<AutoCloseable> open = new ArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> senders = new ArrayList<>();
        List<RtpTestPeer> calledPeers = new ArrayList<>();
        List<java.util.function.IntSupplier> inmateSent = new ArrayList<>();
        try {
            for (int i = 0; i < CALLS; i++) {
                String callId = mode + "-" + i;
                MediaEndpoint inmate = engine.createEndpoint(callId, "inmate", new Events());
                MediaEndpoint called = engine.createEndpoint(callId, "called", new Events());
                open.add(inmate::close);
                open.add(called::close);
                RtpTestPeer calledPeer = new RtpTestPeer();
                open.add(calledPeer);
                calledPeers.add(calledPeer);
                calledPeer.clear();
                called.answer(calledPeer.offerG711());
                senders.add(pace(sending, () -> calledPeer.sendAudio(Codec.PCMU, TestPrompts.sine(1800, 20, 8000),
                        called.localAddress())));
                if (mode == Mode.G711_HANDSET) {
                    RtpTestPeer handset = new RtpTestPeer();
                    open.add(handset);
                    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
                    inmateSent.add(count::get);
                    inmate.answer(handset.offerG711());
                    senders.add(pace(sending, () -> {
                        handset.sendAudio(Codec.PCMU, TestPrompts.sine(700, 20, 8000), inmate.localAddress());
                        count.incrementAndGet();
                    }));
                } else {
                    boolean opus = mode == Mode.WEBRTC_OPUS || mode == Mode.WEBRTC_OPUS_BOTH;
                    WebRtcTestPeer tablet = new WebRtcTestPeer();
                    open.add(tablet);
                    inmateSent.add(tablet::sent);
                    tablet.connect(inmate.answer(tablet.offer(opus ? "111 0" : "0", true, "actpass")));
                    tablet.countOnly();
                    senders.add(Thread.ofVirtual().start(() -> {
                        try {
                            while (sending.get()) {
                                tablet.sendTone(700, 50, opus);
                            }
                        } catch (Exception e) {
                            // the test ends by closing the socket
                        }
                    }));
                }
                var bridge = engine.bridge(inmate, called);
                bridge.startRecording(dir.resolve(callId + ".wav"));
            }
            Thread.sleep(3000); // warm-up: JIT, latching, the first RTCP
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long before = loopCpu(mx);
            long t0 = System.nanoTime();
            Thread.sleep(SECONDS * 1000L);
            long cpu = loopCpu(mx) - before;
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(cpu > 0, "the loops did work");
            sending.set(false);
            Thread.sleep(300); // what is in flight arrives
            long sent = inmateSent.stream().mapToLong(java.util.function.IntSupplier::getAsInt).sum();
            long received = calledPeers.stream().mapToLong(p -> p.received().size()).sum();
            return new double[] {cpu / 1e6 / (CALLS * seconds), sent == 0 ? 0 : (double) received / sent};
        } finally {
            sending.set(false);
            for (AutoCloseable c : open) {
                c.close();
            }
            for (Thread t : senders) {
                t.join(2000);
            }
            engine.close();
        }
    }

    private interface Send {
        void run() throws Exception;
    }

    private static Thread pace(AtomicBoolean on, Send send) {
        return Thread.ofVirtual().start(() -> {
            long next = System.nanoTime();
            while (on.get()) {
                try {
                    send.run();
                    next += 20_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    private static long loopCpu(ThreadMXBean mx) {
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("kinline-rtp")) {
                long c = mx.getThreadCpuTime(t.getThreadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }
}
