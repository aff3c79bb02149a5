package io.kinline.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.interop.NativePeers;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DTLS-SRTP against an independent implementation: OpenSSL's {@code s_server} and {@code s_client}
 * over loopback UDP, with {@code -use_srtp SRTP_AES128_CM_SHA1_80}. Both sides print the 60 bytes of
 * {@code EXTRACTOR-dtls_srtp} keying material, which must be the very bytes our SRTP keys come from.
 */
class OpenSslDtlsInteropTest {

    private static final Pattern KEYING = Pattern.compile("Keying material: ([0-9A-F]{120})");
    private static final DtlsCertificate OURS = DtlsCertificate.generate();

    @TempDir
    Path dir;
    private String openssl;
    private Fingerprint theirs;

    @BeforeEach
    void opensslCertificate() throws IOException {
        openssl = NativePeers.openssl();
        NativePeers.Result r = NativePeers.run(List.of(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.resolve("k.pem").toString(), "-out",
                dir.resolve("c.pem").toString(), "-days", "2", "-subj", "/CN=openssl-peer"), null, 30);
        assertEquals(0, r.exit(), r.output());
        // OpenSSL computes the fingerprint itself: an independent check of our a=fingerprint format too.
        NativePeers.Result fp = NativePeers.run(List.of(openssl, "x509", "-noout", "-fingerprint", "-sha256", "-in",
                dir.resolve("c.pem").toString()), null, 30);
        String hex = fp.output().strip().replaceFirst("(?i)^sha256 Fingerprint=", "");
        theirs = Fingerprint.parse("sha-256 " + hex);
    }

    @Test
    void ourClientAgainstOpensslServer() throws Exception {
        int port = freeUdpPort();
        Process server = sServer(port, true);
        try (UdpPump pump = new UdpPump(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            DtlsSrtpHandshake client = new DtlsSrtpHandshake(DtlsRole.CLIENT, OURS, List.of(theirs), pump,
                    Duration.ofSeconds(10));
            pump.attach(client);
            client.start("dtls-vs-openssl");
            DtlsSrtpKeys keys = client.keys().get(15, TimeUnit.SECONDS);
            String out = awaitOutput(dir.resolve("s_server.out"), KEYING);
            assertEquals(hex(keys.keyingMaterial()), keying(out));
            assertTrue(out.contains("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80"), out);
            client.close();
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void opensslClientAgainstOurServer() throws Exception {
        try (UdpPump pump = new UdpPump(null)) {
            DtlsSrtpHandshake server = new DtlsSrtpHandshake(DtlsRole.SERVER, OURS, List.of(theirs), pump,
                    Duration.ofSeconds(10));
            pump.attach(server);
            server.start("dtls-openssl-client");
            NativePeers.Result r = sClient(pump.port(), true);
            DtlsSrtpKeys keys = server.keys().get(15, TimeUnit.SECONDS);
            assertEquals(hex(keys.keyingMaterial()), keying(r.output()), r.output());
            assertTrue(r.output().contains("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80"), r.output());
            assertEquals(theirs, keys.peer());
            server.finished().get(5, TimeUnit.SECONDS); // s_client's close_notify ended our thread
        }
    }

    @Test
    void anOpensslServerWhoseCertificateIsNotTheSdpFingerprintIsRefused() throws Exception {
        int port = freeUdpPort();
        Process server = sServer(port, true);
        try (UdpPump pump = new UdpPump(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            DtlsSrtpHandshake client = new DtlsSrtpHandshake(DtlsRole.CLIENT, OURS,
                    List.of(DtlsCertificate.generate().fingerprint()), pump, Duration.ofSeconds(10));
            pump.attach(client);
            client.start("dtls-mitm");
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.keys().get(15, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("bad_certificate"), e.getCause().getMessage());
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anOpensslClientWithoutUseSrtpIsRefused() throws Exception {
        try (UdpPump pump = new UdpPump(null)) {
            DtlsSrtpHandshake server = new DtlsSrtpHandshake(DtlsRole.SERVER, OURS, List.of(theirs), pump,
                    Duration.ofSeconds(10));
            pump.attach(server);
            server.start("dtls-no-srtp");
            NativePeers.Result r = sClient(pump.port(), false);
            ExecutionException e = assertThrows(ExecutionException.class, () -> server.keys().get(15, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("handshake_failure"), e.getCause().getMessage());
            assertTrue(r.output().toLowerCase().contains("handshake failure"), r.output());
        }
    }

    private Process sServer(int port, boolean useSrtp) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(openssl, "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", dir.resolve("c.pem").toString(), "-key", dir.resolve("k.pem").toString(), "-verify", "1",
                "-naccept", "1", "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60"));
        if (useSrtp) {
            cmd.addAll(List.of("-use_srtp", "SRTP_AES128_CM_SHA1_80"));
        }
        Path out = dir.resolve("s_server.out");
        // stdin stays an open pipe: s_server ends at end of input.
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        awaitOutput(out, Pattern.compile("ACCEPT"));
        return p;
    }

    private NativePeers.Result sClient(int port, boolean useSrtp) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(openssl, "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                "-cert", dir.resolve("c.pem").toString(), "-key", dir.resolve("k.pem").toString(), "-keymatexport",
                "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60"));
        if (useSrtp) {
            cmd.addAll(List.of("-use_srtp", "SRTP_AES128_CM_SHA1_80"));
        }
        return NativePeers.run(cmd, null, 30); // stdin at EOF: s_client closes after the handshake
    }

    private static String awaitOutput(Path file, Pattern what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String s = Files.exists(file) ? Files.readString(file) : "";
            if (what.matcher(s).find()) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + what + " in " + (Files.exists(file) ? Files.readString(file) : "(no output)"));
    }

    private static String keying(String output) {
        Matcher m = KEYING.matcher(output);
        assertTrue(m.find(), output);
        return m.group(1);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
