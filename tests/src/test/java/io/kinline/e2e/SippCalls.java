package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.tests.pcap.DtmfPcapWriter;
import io.kinline.tests.sipp.Sipp;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** SIPp for the end-to-end tests: presence policy, free ports, generated handset scenarios and pcaps. */
final class SippCalls {

    /** The committed scenarios (the tests run from the module directory). */
    static final Path SIPP_DIR = Path.of("sipp");

    /** Each generated pcap gets its own RTP timestamps, so no two look like one repeated event. */
    private static final AtomicInteger PCAP_SEQ = new AtomicInteger();

    private SippCalls() {
    }

    /** Missing SIPp fails under CI=true, skips elsewhere. */
    static void requireSipp() {
        if (Sipp.available()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("SIPp not found at " + Sipp.binary() + " (install the Debian package sip-tester)");
        }
        assumeTrue(false, "SIPp not installed: skipping");
    }

    /** A free even UDP port on 127.0.0.1 whose +2 neighbour is free too (SIPp's media ports). */
    static synchronized int freeUdpPort() throws IOException {
        for (int i = 0; i < 100; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int p = s.getLocalPort();
                if (p % 2 != 0 || p > 64000) {
                    continue;
                }
                try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 1));
                        DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 2));
                        DatagramSocket c = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 3))) {
                    return p;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("no free UDP port");
    }

    /**
     * A free even UDP port (and its neighbours) below the kernel's ephemeral range, for a listener
     * that binds and unbinds again and again (the trunk UAS of each test): an ephemeral port could be
     * handed to some other socket in between.
     */
    static synchronized int freeFixedPort(int from, int to) throws IOException {
        int span = (to - from) / 2;
        int start = (int) (Math.random() * span);
        for (int i = 0; i < span; i++) {
            int p = from + 2 * ((start + i) % span);
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                    DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 1));
                    DatagramSocket c = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 2))) {
                return p;
            } catch (IOException busy) {
                // try the next
            }
        }
        throw new IOException("no free UDP port in " + from + "-" + to);
    }

    /** What the generated handset does after the ACK. */
    static final class Steps {
        private final Path dir;
        private final List<String> xml = new ArrayList<>();

        Steps(Path dir) {
            this.dir = dir;
        }

        Steps pause(long ms) {
            xml.add("  <pause milliseconds=\"" + ms + "\"/>");
            return this;
        }

        /** RFC 4733 events for {@code digits} (120 ms each, 80 ms apart), as a pcap played in the background. */
        Steps digits(String digits) throws IOException {
            int n = PCAP_SEQ.incrementAndGet();
            Path pcap = dir.resolve("dtmf-" + n + ".pcap");
            DtmfPcapWriter.digits(digits).mode(DtmfPcapWriter.Mode.RFC4733)
                    .startTimestamp(160_000L * n).startSequence(1000 * n).write(pcap);
            xml.add("  <nop><action><exec play_pcap_audio=\"" + pcap.toAbsolutePath() + "\"/></action></nop>");
            return this;
        }

        String render(String template) {
            return template.replace("@STEPS@", String.join("\n", xml));
        }
    }

    /** Writes a handset scenario with the given steps into {@code dir} and returns its path. */
    static Path handsetScenario(Path dir, Steps steps) throws IOException {
        String template;
        try (InputStream in = SippCalls.class.getResourceAsStream("/e2e/uac-steps.xml")) {
            if (in == null) {
                throw new IOException("e2e/uac-steps.xml not on the test class path");
            }
            template = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        Path file = Files.createTempFile(dir, "uac-", ".xml");
        Files.writeString(file, steps.render(template), StandardCharsets.ISO_8859_1);
        return file;
    }

    /** A handset UAC with the usual options: its Call-ID is {@code callId}. */
    static Sipp handset(Path scenario, String target, String station, String dialled, String callId,
            long talkMs) throws IOException {
        return Sipp.scenario(scenario).remote(target).localPort(freeUdpPort()).mediaPort(freeUdpPort())
                .service(dialled).key("caller", station).set("talk_ms", Long.toString(talkMs))
                .arg("-cid_str", callId)
                .timeout(Duration.ofSeconds(talkMs / 1000 + 90));
    }

    /**
     * How long the notice of a greeting lasts, from the English prompts: "prepaid-call-from", the
     * inmate's name ({@code nameSeconds}), "an-inmate-at", "facility-south-central" and, unless
     * privileged, "recorded-notice". By default a consent key pressed before it ends does not count.
     */
    static long noticeMillis(double nameSeconds, boolean privileged) throws IOException {
        List<String> parts = new ArrayList<>(List.of("prepaid-call-from", "an-inmate-at", "facility-south-central"));
        if (!privileged) {
            parts.add("recorded-notice");
        }
        double seconds = nameSeconds;
        for (String p : parts) {
            seconds += promptSeconds(p);
        }
        return Math.round(seconds * 1000);
    }

    /** Length of an English prompt of the library. */
    static double promptSeconds(String name) throws IOException {
        Wav w = Wav.read(Path.of("../config/prompts/en/" + name + ".wav"));
        return (double) w.interleaved().length / w.channels() / w.rate();
    }

    static String describe(Sipp.SippResult r) {
        return r + "\n--- errors\n" + tail(r.errors()) + "\n--- screen\n" + tail(r.screen());
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }
}
