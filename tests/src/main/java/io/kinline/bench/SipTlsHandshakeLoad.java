package io.kinline.bench;

import io.kinline.SipTlsCertificate;
import io.kinline.sip.SecureTransports;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipServer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Time and CPU of a SIP over TLS handshake: a JDK TLS client against the switch's TLS listener (Netty
 * {@code SslHandler}, JDK provider, the self-signed ECDSA P-256 certificate of the embedded default), over loopback,
 * one full handshake after another (no session resumption). CPU is the whole process's, so each figure covers
 * both ends; the server's share is about half.
 *
 * <p>Run: {@code java -cp tests/target/benchmarks.jar io.kinline.bench.SipTlsHandshakeLoad 300 TLSv1.3}
 */
public final class SipTlsHandshakeLoad {

    private SipTlsHandshakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String protocol = args.length > 1 ? args[1] : "TLSv1.3";
        Path dir = Files.createTempDirectory("kinline-tls-bench");
        Path[] pair = SipTlsCertificate.ensure(dir.resolve("secrets"), null);
        try (SipServer sip = new SipServer(SipConfig.builder().bindAddress(InetAddress.getLoopbackAddress())
                .udpPort(-1).tcpPort(-1).secure(SecureTransports.of(0, -1, -1, pair[0], pair[1])).build(), null)) {
            sip.start();
            int port = sip.tlsAddress().getPort();
            SSLContext ctx = trusting(pair[0]);
            for (int i = 0; i < 100; i++) {
                once(ctx, port, protocol); // warm-up: JIT
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] wall = new long[n];
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                wall[i] = once(ctx, port, protocol);
            }
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            Arrays.sort(wall);
            System.out.printf("protocol=%s handshakes=%d wall_mean_ms=%.2f wall_p50_ms=%.2f wall_p99_ms=%.2f "
                    + "cpu_per_handshake_ms=%.2f%n", protocol, n, elapsed / 1e6 / n, wall[n / 2] / 1e6,
                    wall[(int) (n * 0.99)] / 1e6, cpu / 1e6 / n);
        }
    }

    private static long once(SSLContext ctx, int port, String protocol) throws Exception {
        long start = System.nanoTime();
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            s.getSession().invalidate(); // never resumed: every handshake is a full one
        }
        return System.nanoTime() - start;
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("switch", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
