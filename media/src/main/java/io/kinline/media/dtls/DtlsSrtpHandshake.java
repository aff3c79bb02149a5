package io.kinline.media.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg's DTLS-SRTP handshake (RFC 5763, RFC 5764) on BouncyCastle's DTLS 1.2.
 *
 * <p><b>Threading.</b> BouncyCastle's DTLS API is blocking: {@code accept}/{@code connect} read with a
 * timeout and retransmit lost flights themselves. So the handshake runs on its own virtual thread,
 * never on an event loop. The loop hands received DTLS datagrams over with {@link #onDatagram}
 * (a copy into a bounded queue; it never blocks), and the handshake sends through the
 * {@link DatagramSink}. A parked virtual thread costs a few hundred bytes, so a thousand calls in
 * their handshakes cost nothing noticeable. The retransmission timers are BouncyCastle's receive
 * timeouts on that thread (1 s, doubling), so no event-loop timer is involved.
 *
 * <p><b>Bounded.</b> The whole handshake must finish within the given timeout (10 s by default),
 * whatever arrives; then {@link #keys()} fails with a {@link DtlsException}.
 *
 * <p><b>After the handshake</b> the thread keeps reading, so that if our last flight was lost and the
 * peer repeats its own, BouncyCastle answers it again (RFC 6347 §4.2.4); a close_notify ends it.
 * {@link #close()} sends close_notify and ends the thread.
 */
public final class DtlsSrtpHandshake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DtlsSrtpHandshake.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final List<Fingerprint> expected;
    private final Duration timeout;
    private final QueueTransport transport;
    private final CompletableFuture<DtlsSrtpKeys> keys = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile DTLSTransport established;
    private volatile boolean closed;
    private volatile long handshakeNanos;

    /**
     * @param expected the peer's {@code a=fingerprint} values; its certificate must match (else bad_certificate)
     */
    public DtlsSrtpHandshake(DtlsRole role, DtlsCertificate certificate, List<Fingerprint> expected,
            DatagramSink sink, Duration timeout) {
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("DTLS-SRTP needs the peer's a=fingerprint");
        }
        this.role = role;
        this.certificate = certificate;
        this.expected = List.copyOf(expected);
        this.timeout = timeout;
        this.transport = new QueueTransport(sink, System.nanoTime() + timeout.toNanos());
    }

    /** Starts the handshake on a new virtual thread named {@code name}. Returns at once. */
    public DtlsSrtpHandshake start(String name) {
        Thread.ofVirtual().name(name).start(this::run);
        return this;
    }

    /** From the event loop: one received DTLS datagram (readable bytes copied, buffer not released). */
    public boolean onDatagram(ByteBuf datagram) {
        return !closed && transport.offer(ByteBufUtil.getBytes(datagram));
    }

    /** Completes with the SRTP keys, or exceptionally with a {@link DtlsException}. On the handshake thread. */
    public CompletableFuture<DtlsSrtpKeys> keys() {
        return keys;
    }

    /** Completes when the handshake thread has ended (after close, a peer's close_notify, or a failure). */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** How long the handshake took (first read to keys), or 0 before it finished. */
    public long handshakeNanos() {
        return handshakeNanos;
    }

    /** Datagrams dropped because the queue was full (a flood while the handshake thread was busy). */
    public long droppedDatagrams() {
        return transport.dropped();
    }

    private void run() {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        int millis = (int) timeout.toMillis();
        long start = System.nanoTime();
        String alert = null;
        try {
            if (role == DtlsRole.SERVER) {
                SrtpDtlsServer server = new SrtpDtlsServer(crypto, certificate, expected, millis);
                try {
                    established = new DTLSServerProtocol().accept(server, transport);
                } finally {
                    alert = server.alert;
                }
                deliver(server.keys, start);
            } else {
                SrtpDtlsClient client = new SrtpDtlsClient(crypto, certificate, expected, millis);
                try {
                    established = new DTLSClientProtocol().connect(client, transport);
                } finally {
                    alert = client.alert;
                }
                deliver(client.keys, start);
            }
            drain();
        } catch (IOException | RuntimeException e) {
            String why = closed ? "closed"
                    : e instanceof org.bouncycastle.tls.TlsTimeoutException || alert == null ? String.valueOf(e.getMessage())
                    : alert;
            if (!keys.isDone()) {
                log.debug("DTLS-SRTP handshake failed: {}", why);
            }
            keys.completeExceptionally(new DtlsException("DTLS-SRTP handshake failed: " + why, e));
        } finally {
            transport.close();
            finished.complete(null);
        }
    }

    private void deliver(DtlsSrtpKeys k, long start) throws IOException {
        if (k == null) {
            throw new IOException("handshake ended without SRTP keys");
        }
        transport.handshakeDone();
        handshakeNanos = System.nanoTime() - start;
        keys.complete(k);
    }

    /** Reads until closed, so BouncyCastle can answer a peer's retransmitted final flight. */
    private void drain() throws IOException {
        byte[] buf = new byte[QueueTransport.RECEIVE_LIMIT];
        while (!closed) {
            // Application data (a data channel's SCTP) is not spoken here and is dropped.
            established.receive(buf, 0, buf.length, 1000);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DTLSTransport t = established;
        if (t != null) {
            try {
                t.close(); // close_notify
            } catch (IOException e) {
                log.debug("close_notify not sent: {}", e.getMessage());
            }
        }
        transport.close();
    }
}
