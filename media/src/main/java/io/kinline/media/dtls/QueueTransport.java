package io.kinline.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * BouncyCastle's blocking {@link DatagramTransport} over a bounded queue: the event loop
 * {@link #offer}s received datagrams without ever blocking (a full queue drops, as a full socket
 * buffer would), and BouncyCastle's thread takes them with its retransmission timeout. Until the
 * handshake is done, no wait goes past the deadline: the handshake time is bounded whatever the peer
 * (or an attacker trickling records) does.
 */
final class QueueTransport implements DatagramTransport {

    static final int QUEUE = 32;
    static final int RECEIVE_LIMIT = 1500;
    private static final byte[] WAKE = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final DatagramSink sink;
    private volatile long deadlineNanos;
    private volatile boolean closed;
    private long dropped;

    QueueTransport(DatagramSink sink, long deadlineNanos) {
        this.sink = sink;
        this.deadlineNanos = deadlineNanos;
    }

    /** From the event loop: a copy of one received datagram; false if dropped (queue full or closed). */
    boolean offer(byte[] datagram) {
        if (closed || datagram.length > RECEIVE_LIMIT || !queue.offer(datagram)) {
            dropped++;
            return false;
        }
        return true;
    }

    long dropped() {
        return dropped;
    }

    /** The handshake finished: waits are no longer bounded by the deadline. */
    void handshakeDone() {
        deadlineNanos = Long.MAX_VALUE;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return DtlsSrtpPolicy.SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new TlsTimeoutException("DTLS handshake deadline passed");
        }
        byte[] d;
        try {
            d = queue.poll(Math.min(TimeUnit.MILLISECONDS.toNanos(waitMillis), left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (d == null) {
            return -1; // BouncyCastle's timeout: it retransmits its last flight
        }
        if (d == WAKE) {
            throw new IOException("transport closed");
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        sink.send(buf, off, len);
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.offer(WAKE);
    }
}
