package io.kinline.sip.core;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.transaction.ServerTransaction;
import io.kinline.sip.transport.Transport;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The UA core's part of a 2xx to an INVITE, which the transactions leave to it (RFC 6026): as UAS, the
 * 2xx is retransmitted (T1 doubling up to T2, over unreliable transports) until its ACK arrives, giving up
 * after 64*T1 (RFC 3261 §13.3.1.4); as UAC, each retransmitted 2xx is answered with the same ACK again
 * (§13.2.2.4). One per dialog, core-loop confined.
 */
final class Reliable2xx {
    private static final Logger LOG = LoggerFactory.getLogger(Reliable2xx.class);

    private final SipCore core;
    private final Transport transport;
    private final Supplier<InetSocketAddress> nextHop;
    private Pending pending;
    private SIPRequest lastAck;
    private long lastAckCSeq = -1;

    Reliable2xx(SipCore core, Transport transport, Supplier<InetSocketAddress> nextHop) {
        this.core = core;
        this.transport = transport;
        this.nextHop = nextHop;
    }

    /** UAS: a 2xx we sent still waits for its ACK. */
    boolean awaitingAck() {
        return pending != null;
    }

    /** UAS: retransmits {@code ok} until the ACK with {@code cseq} arrives; after 64*T1 runs {@code onTimeout}. */
    void awaitAck(SIPResponse ok, ServerTransaction st, long cseq, Runnable onAck, Runnable onTimeout) {
        Pending p = new Pending(ok, cseq, st.responseDestination(), onAck);
        pending = p;
        long t1 = core.config().t1().toMillis();
        if (!transport.reliable()) {
            p.interval = t1;
            p.retransmit = core.schedule(() -> retransmit(p), p.interval);
        }
        p.giveUp = core.schedule(() -> {
            if (pending == p) {
                pending = null;
                p.cancel();
                LOG.info("no ACK for 2xx (CSeq {}) within 64*T1", cseq);
                onTimeout.run();
            }
        }, 64 * t1);
    }

    private void retransmit(Pending p) {
        if (pending != p) {
            return;
        }
        core.metrics().retransmissionsSent.incrementAndGet();
        transport.send(p.ok, p.dest);
        p.interval = Math.min(2 * p.interval, core.config().t2().toMillis());
        p.retransmit = core.schedule(() -> retransmit(p), p.interval);
    }

    /**
     * UAS: an ACK arrived. Returns what was to run on it when it is the ACK awaited; null for a
     * retransmitted or stale ACK (counted as absorbed).
     */
    Runnable onAck(SIPRequest ack) {
        Pending p = pending;
        if (p == null || ack.getCSeq().getSeqNumber() != p.cseq) {
            core.metrics().retransmissionsAbsorbed.incrementAndGet();
            return null;
        }
        pending = null;
        p.cancel();
        return p.onAck;
    }

    /** UAC: sends the ACK for the 2xx to our INVITE with {@code cseq} (no transaction, §13.2.2.4), and keeps it. */
    void ack(SIPRequest ack, long cseq) {
        lastAck = ack;
        lastAckCSeq = cseq;
        core.sendStateless(ack, transport, nextHop.get());
    }

    /** UAC: a retransmitted 2xx: send the same ACK again. */
    void onRetransmitted2xx(SIPResponse r) {
        if (lastAck != null && r.getCSeq().getSeqNumber() == lastAckCSeq) {
            core.metrics().retransmissionsAbsorbed.incrementAndGet();
            core.sendStateless(lastAck, transport, nextHop.get());
        }
    }

    /** The dialog ended: stop retransmitting. */
    void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    private static final class Pending {
        final SIPResponse ok;
        final long cseq;
        final InetSocketAddress dest;
        final Runnable onAck;
        long interval;
        ScheduledFuture<?> retransmit;
        ScheduledFuture<?> giveUp;

        Pending(SIPResponse ok, long cseq, InetSocketAddress dest, Runnable onAck) {
            this.ok = ok;
            this.cseq = cseq;
            this.dest = dest;
            this.onAck = onAck;
        }

        void cancel() {
            if (retransmit != null) {
                retransmit.cancel(false);
            }
            if (giveUp != null) {
                giveUp.cancel(false);
            }
        }
    }
}
