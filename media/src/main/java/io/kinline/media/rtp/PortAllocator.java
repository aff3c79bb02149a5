package io.kinline.media.rtp;

import java.util.BitSet;

/**
 * Hands out even RTP ports (RTCP on port + 1) from a range, round robin so that a port just
 * released is not reused at once (late packets of the old call would land in the new one).
 *
 * <p>Only tracks what this engine holds; a port another process holds shows up as a bind failure,
 * and the caller then releases it and asks again (the cursor has moved on, so it gets the next
 * pair). Thread safe.
 */
public final class PortAllocator {

    private final int min;
    private final int pairs;
    private final BitSet inUse;
    private int cursor;
    private int used;

    /** @param min lowest port (rounded up to even); {@code max} is the highest port of any RTCP. */
    public PortAllocator(int min, int max) {
        this.min = (min + 1) & ~1;
        this.pairs = (max - this.min + 1) / 2;
        if (pairs <= 0) {
            throw new IllegalArgumentException("no even/odd port pair in " + min + "-" + max);
        }
        this.inUse = new BitSet(pairs);
    }

    /**
     * As {@link #PortAllocator(int, int)}, with the round robin starting at a random pair. An engine that
     * restarts (a node killed and started again) must not hand its first calls the ports its last calls had:
     * the phones of those dead calls keep streaming RTP to them until they give up, and a new endpoint on such
     * a port would latch to that stream (another call's audio and keys in this call). Starting anywhere in the
     * range makes that a matter of luck at worst (stale pairs / pairs), and the round robin then moves away.
     */
    public static PortAllocator startingAnywhere(int min, int max) {
        PortAllocator a = new PortAllocator(min, max);
        a.cursor = java.util.concurrent.ThreadLocalRandom.current().nextInt(a.pairs);
        return a;
    }

    /**
     * Moves the round robin {@code skipPairs} pairs past the pair of {@code port} (a port of the range; outside
     * it, nothing changes). A restarted engine continues past where its previous run stopped (see
     * {@link #nextPort()}), with room for what that run handed out after it last saved the port.
     */
    public synchronized void continueAt(int port, int skipPairs) {
        if (port >= min && port < min + 2 * pairs && skipPairs >= 0) {
            cursor = (int) (((port - min) / 2 + (long) skipPairs) % pairs);
        }
    }

    /** The port the round robin tries next: saved by a node so that its next run starts past it. */
    public synchronized int nextPort() {
        return min + 2 * cursor;
    }

    /** Reserves the next free even port, or returns -1 when every pair is taken. */
    public synchronized int allocate() {
        if (used >= pairs) {
            return -1;
        }
        int i = inUse.nextClearBit(cursor);
        if (i >= pairs) {
            i = inUse.nextClearBit(0);
            if (i >= pairs) {
                return -1;
            }
        }
        inUse.set(i);
        used++;
        cursor = i + 1 >= pairs ? 0 : i + 1;
        return min + 2 * i;
    }

    /** Returns a port to the pool. */
    public synchronized void release(int port) {
        int i = (port - min) / 2;
        if (port < min || i >= pairs || (port & 1) != 0) {
            return;
        }
        if (inUse.get(i)) {
            inUse.clear(i);
            used--;
        }
    }

    public synchronized int inUse() {
        return used;
    }

    public int capacity() {
        return pairs;
    }
}
