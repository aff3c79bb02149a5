package io.kinline.bench;

import io.kinline.media.dtls.DatagramSink;
import io.kinline.media.dtls.DtlsCertificate;
import io.kinline.media.dtls.DtlsRole;
import io.kinline.media.dtls.DtlsSrtpHandshake;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time and CPU of a DTLS-SRTP handshake: our client against our server in one process, wired in
 * memory (no sockets, no loss), one handshake after another. CPU is the whole process's, so each
 * figure covers both ends (ECDHE and ECDSA on each side); the server's share is about half.
 *
 * Run: {@code java -cp tests/target/benchmarks.jar io.kinline.bench.DtlsHandshakeLoad 200}
 */
public final class DtlsHandshakeLoad {

    private DtlsHandshakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate clientCert = DtlsCertificate.generate();
        for (int i = 0; i < 30; i++) {
            once(serverCert, clientCert); // warm-up: JIT and BouncyCastle's tables
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] wall = new long[n];
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            wall[i] = once(serverCert, clientCert);
        }
        long elapsed = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        Arrays.sort(wall);
        System.out.printf("handshakes=%d wall_mean_ms=%.2f wall_p50_ms=%.2f wall_p99_ms=%.2f cpu_per_handshake_ms=%.2f%n",
                n, elapsed / 1e6 / n, wall[n / 2] / 1e6, wall[(int) (n * 0.99)] / 1e6, cpu / 1e6 / n);
    }

    private static long once(DtlsCertificate serverCert, DtlsCertificate clientCert) throws Exception {
        DtlsSrtpHandshake[] h = new DtlsSrtpHandshake[2];
        DatagramSink toServer = (d, o, l) -> h[1].onDatagram(Unpooled.wrappedBuffer(d, o, l));
        DatagramSink toClient = (d, o, l) -> h[0].onDatagram(Unpooled.wrappedBuffer(d, o, l));
        h[0] = new DtlsSrtpHandshake(DtlsRole.CLIENT, clientCert, List.of(serverCert.fingerprint()), toServer,
                Duration.ofSeconds(10));
        h[1] = new DtlsSrtpHandshake(DtlsRole.SERVER, serverCert, List.of(clientCert.fingerprint()), toClient,
                Duration.ofSeconds(10));
        long start = System.nanoTime();
        h[1].start("bench-server");
        h[0].start("bench-client");
        h[0].keys().get(10, TimeUnit.SECONDS);
        h[1].keys().get(10, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        h[0].close();
        h[1].close();
        h[1].finished().get(10, TimeUnit.SECONDS);
        return took;
    }
}
