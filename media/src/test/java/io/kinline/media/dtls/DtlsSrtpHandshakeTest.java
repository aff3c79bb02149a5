package io.kinline.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.srtp.SrtpResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Our DTLS-SRTP client against our server: in memory (with loss) and over loopback UDP. */
class DtlsSrtpHandshakeTest {

    private static final DtlsCertificate SERVER = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT = DtlsCertificate.generate();

    /**
     * Two handshakes wired to each other in memory. The datagrams numbered in {@code lostToServer} and
     * {@code lostToClient} (0 = the first each way) are lost: a fixed pattern, so which flight is lost does not
     * depend on how the two handshake threads happen to interleave.
     */
    private static DtlsSrtpHandshake[] pair(List<Fingerprint> clientExpects, List<Fingerprint> serverExpects,
            Set<Integer> lostToServer, Set<Integer> lostToClient, Duration timeout) {
        DtlsSrtpHandshake[] h = new DtlsSrtpHandshake[2];
        AtomicInteger toServerCount = new AtomicInteger();
        AtomicInteger toClientCount = new AtomicInteger();
        DatagramSink toServer = (d, o, l) -> deliver(h, 1, d, o, l, lostToServer.contains(toServerCount.getAndIncrement()));
        DatagramSink toClient = (d, o, l) -> deliver(h, 0, d, o, l, lostToClient.contains(toClientCount.getAndIncrement()));
        h[0] = new DtlsSrtpHandshake(DtlsRole.CLIENT, CLIENT, clientExpects, toServer, timeout);
        h[1] = new DtlsSrtpHandshake(DtlsRole.SERVER, SERVER, serverExpects, toClient, timeout);
        h[1].start("dtls-server");
        h[0].start("dtls-client");
        return h;
    }

    private static DtlsSrtpHandshake[] pair(List<Fingerprint> clientExpects, List<Fingerprint> serverExpects,
            Duration timeout) {
        return pair(clientExpects, serverExpects, Set.of(), Set.of(), timeout);
    }

    private static void deliver(DtlsSrtpHandshake[] h, int to, byte[] d, int o, int l, boolean lost) {
        if (!lost) {
            h[to].onDatagram(Unpooled.wrappedBuffer(d, o, l));
        }
    }

    @Test
    void clientAndServerAgreeOnKeysAndTheKeysCarrySrtp() throws Exception {
        DtlsSrtpHandshake[] h = pair(List.of(SERVER.fingerprint()), List.of(CLIENT.fingerprint()),
                Duration.ofSeconds(10));
        DtlsSrtpKeys c = h[0].keys().get(10, TimeUnit.SECONDS);
        DtlsSrtpKeys s = h[1].keys().get(10, TimeUnit.SECONDS);
        assertArrayEquals(c.keyingMaterial(), s.keyingMaterial());
        assertEquals(c.local(), s.remote(), "client sends with the client key, the server receives with it");
        assertEquals(c.remote(), s.local());
        assertEquals(SERVER.fingerprint(), c.peer());
        assertEquals(CLIENT.fingerprint(), s.peer());
        ByteBuf b = Unpooled.buffer(200);
        b.writeBytes(new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 3});
        assertEquals(SrtpResult.OK, c.sender().protectRtp(b));
        assertEquals(SrtpResult.OK, s.receiver().unprotectRtp(b));
        b.release();
        assertTrue(h[1].handshakeNanos() > 0);
        h[0].close();
        h[1].finished().get(5, TimeUnit.SECONDS); // the client's close_notify ends the server's thread
        h[1].close();
    }

    @Test
    void completesThroughLossByRetransmitting() throws Exception {
        // The first ClientHello, the server's first flight and the client's second flight (its certificate,
        // key exchange and Finished) are each lost once: both ends must retransmit, on their own timers.
        DtlsSrtpHandshake[] h = pair(List.of(SERVER.fingerprint()), List.of(CLIENT.fingerprint()),
                Set.of(0, 2), Set.of(0), Duration.ofSeconds(20));
        assertArrayEquals(h[0].keys().get(20, TimeUnit.SECONDS).keyingMaterial(),
                h[1].keys().get(20, TimeUnit.SECONDS).keyingMaterial());
        h[0].close();
        h[1].close();
    }

    @Test
    void aCertificateThatDoesNotMatchTheFingerprintIsRefusedBothWays() throws Exception {
        Fingerprint someoneElse = DtlsCertificate.generate().fingerprint();
        DtlsSrtpHandshake[] h = pair(List.of(SERVER.fingerprint()), List.of(someoneElse), Duration.ofSeconds(10));
        ExecutionException e = assertThrows(ExecutionException.class, () -> h[1].keys().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("bad_certificate"), e.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> h[0].keys().get(10, TimeUnit.SECONDS));

        DtlsSrtpHandshake[] g = pair(List.of(someoneElse), List.of(CLIENT.fingerprint()), Duration.ofSeconds(10));
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> g[0].keys().get(10, TimeUnit.SECONDS));
        assertTrue(e2.getCause().getMessage().contains("bad_certificate"), e2.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> g[1].keys().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aSilentOrGarbageSpeakingPeerEndsTheHandshakeAtTheDeadline() throws Exception {
        DtlsSrtpHandshake server = new DtlsSrtpHandshake(DtlsRole.SERVER, SERVER, List.of(CLIENT.fingerprint()),
                (d, o, l) -> { }, Duration.ofMillis(1500));
        server.start("dtls-lonely");
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) { // records that parse as nothing
            byte[] junk = new byte[40];
            junk[0] = 22;
            junk[1] = (byte) 0xFE;
            junk[2] = (byte) 0xFD;
            server.onDatagram(Unpooled.wrappedBuffer(junk));
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.keys().get(10, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 5000, "ended after " + ms + " ms, bounded by its 1.5 s deadline");
        assertTrue(e.getCause() instanceof DtlsException);
        server.finished().get(5, TimeUnit.SECONDS);
        assertTrue(server.droppedDatagrams() > 0, "a flood beyond the queue is dropped, not buffered");
    }

    @Test
    void handshakesOverLoopbackUdp() throws Exception {
        try (UdpPump serverSide = new UdpPump(null)) {
            DtlsSrtpHandshake server = new DtlsSrtpHandshake(DtlsRole.SERVER, SERVER, List.of(CLIENT.fingerprint()),
                    serverSide, Duration.ofSeconds(10));
            serverSide.attach(server);
            server.start("dtls-udp-server");
            try (UdpPump clientSide = new UdpPump(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    serverSide.port()))) {
                DtlsSrtpHandshake client = new DtlsSrtpHandshake(DtlsRole.CLIENT, CLIENT,
                        List.of(SERVER.fingerprint()), clientSide, Duration.ofSeconds(10));
                clientSide.attach(client);
                client.start("dtls-udp-client");
                assertArrayEquals(client.keys().get(10, TimeUnit.SECONDS).keyingMaterial(),
                        server.keys().get(10, TimeUnit.SECONDS).keyingMaterial());
                client.close();
            }
            server.close();
        }
    }
}
