package io.kinline.tests.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP relay on 127.0.0.1 that drops packets on purpose. Clients send to {@link #listenAddress()};
 * the relay forwards to the server from its own upstream socket and sends the server's replies back
 * to the client that spoke last (one client at a time, like a simple NAT). Which packets are dropped
 * is decided by a {@link DropPolicy} per direction, given the 0-based index of the packet in that
 * direction, so runs are reproducible.
 */
public final class LossyUdpRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LossyUdpRelay.class);

    public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

    /** Decides whether the {@code index}-th packet in {@code direction} is dropped. */
    @FunctionalInterface
    public interface DropPolicy {
        boolean drop(Direction direction, long index);

        static DropPolicy none() {
            return (d, i) -> false;
        }

        /** Drops with probability {@code rate} in both directions, from a seeded generator. */
        static DropPolicy random(double rate, long seed) {
            Random r = new Random(seed);
            return (d, i) -> {
                synchronized (r) {
                    return r.nextDouble() < rate;
                }
            };
        }

        /** Like {@link #random} but only in one direction. */
        static DropPolicy random(double rate, long seed, Direction only) {
            DropPolicy p = random(rate, seed);
            return (d, i) -> d == only && p.drop(d, i);
        }

        /**
         * A repeating pattern: 'x' (or 'X', '1') drops, anything else passes; e.g. "....x" drops
         * every fifth packet. Applied to both directions independently.
         */
        static DropPolicy pattern(String pattern) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("empty pattern");
            }
            return (d, i) -> {
                char c = pattern.charAt((int) (i % pattern.length()));
                return c == 'x' || c == 'X' || c == '1';
            };
        }

        /** Drops packets with index in [from, to) in the given direction (a burst). */
        static DropPolicy burst(Direction dir, long from, long to) {
            return (d, i) -> d == dir && i >= from && i < to;
        }
    }

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private volatile DropPolicy policy;
    private volatile InetSocketAddress client;
    private volatile boolean closed;
    private final AtomicLong[] seen = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] dropped = {new AtomicLong(), new AtomicLong()};
    private final Thread up;
    private final Thread down;

    private LossyUdpRelay(int listenPort, InetSocketAddress server, DropPolicy policy) throws SocketException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.front = new DatagramSocket(new InetSocketAddress(lo, listenPort));
        this.back = new DatagramSocket(new InetSocketAddress(lo, 0));
        front.setSoTimeout(100);
        back.setSoTimeout(100);
        this.server = server;
        this.policy = policy;
        this.up = Thread.ofPlatform().daemon().name("lossy-relay-up-" + front.getLocalPort()).start(this::upLoop);
        this.down = Thread.ofPlatform().daemon().name("lossy-relay-down-" + front.getLocalPort()).start(this::downLoop);
    }

    /** Starts a relay on an ephemeral 127.0.0.1 port towards {@code server}. */
    public static LossyUdpRelay start(InetSocketAddress server, DropPolicy policy) throws SocketException {
        return new LossyUdpRelay(0, server, policy);
    }

    public static LossyUdpRelay start(int listenPort, InetSocketAddress server, DropPolicy policy)
            throws SocketException {
        return new LossyUdpRelay(listenPort, server, policy);
    }

    /** Where clients send. */
    public InetSocketAddress listenAddress() {
        return new InetSocketAddress(front.getLocalAddress(), front.getLocalPort());
    }

    /** The source address the server sees. */
    public InetSocketAddress upstreamAddress() {
        return new InetSocketAddress(back.getLocalAddress(), back.getLocalPort());
    }

    /** Replaces the policy; packet indexes keep counting. */
    public void policy(DropPolicy p) {
        this.policy = p;
    }

    /** Packets received from the sending side in this direction (forwarded + dropped). */
    public long received(Direction d) {
        return seen[d.ordinal()].get();
    }

    public long dropped(Direction d) {
        return dropped[d.ordinal()].get();
    }

    public long forwarded(Direction d) {
        return received(d) - dropped(d);
    }

    private void upLoop() {
        relay(front, back, Direction.CLIENT_TO_SERVER);
    }

    private void downLoop() {
        relay(back, front, Direction.SERVER_TO_CLIENT);
    }

    private void relay(DatagramSocket in, DatagramSocket out, Direction dir) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setLength(buf.length);
                in.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    log.debug("relay receive failed", e);
                }
                return;
            }
            InetSocketAddress target;
            if (dir == Direction.CLIENT_TO_SERVER) {
                client = (InetSocketAddress) p.getSocketAddress();
                target = server;
            } else {
                target = client;
            }
            long index = seen[dir.ordinal()].getAndIncrement();
            if (target == null || policy.drop(dir, index)) {
                dropped[dir.ordinal()].incrementAndGet();
                continue;
            }
            try {
                out.send(new DatagramPacket(buf, p.getLength(), target));
            } catch (IOException e) {
                if (!closed) {
                    log.debug("relay send failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        back.close();
        try {
            up.join(1000);
            down.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
