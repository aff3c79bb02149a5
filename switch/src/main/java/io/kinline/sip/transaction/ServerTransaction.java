package io.kinline.sip.transaction;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.transport.Transport;
import io.netty.util.concurrent.ScheduledFuture;

import javax.sip.message.Request;
import java.net.InetSocketAddress;

/**
 * Server transaction (RFC 3261 §17.2, RFC 6026). INVITE: Proceeding → Accepted (2xx, Timer L) or Completed
 * (300–699, Timers G/H) → Confirmed (ACK, Timer I) → Terminated. Non-INVITE: Trying → Proceeding → Completed
 * (Timer J) → Terminated. Must be used on the transaction layer's event loop.
 */
public final class ServerTransaction {

    public enum State { TRYING, PROCEEDING, ACCEPTED, COMPLETED, CONFIRMED, TERMINATED }

    private final TransactionLayer layer;
    final String key;
    /** Call-ID, From tag and CSeq of an out-of-dialog request (RFC 3261 §8.2.2.2), or null. */
    String mergeKey;
    private final SIPRequest request;
    private final Transport transport;
    private final InetSocketAddress responseDestination;
    private final boolean invite;
    private State state;
    private SIPResponse lastResponse;
    private ScheduledFuture<?> retransmitTimer;
    private ScheduledFuture<?> endTimer;
    private long interval;
    private Object applicationData;

    ServerTransaction(TransactionLayer layer, String key, SIPRequest request, Transport transport,
                      InetSocketAddress responseDestination) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.transport = transport;
        this.responseDestination = responseDestination;
        this.invite = Request.INVITE.equals(request.getMethod());
        this.state = invite ? State.PROCEEDING : State.TRYING;
    }

    /**
     * Called after the TU saw the request: an INVITE the TU did not answer synchronously gets 100 Trying at once
     * (RFC 3261 §17.2.1 allows it instead of waiting 200 ms). Synchronous rejections (403, 503) thus cost no
     * extra datagram.
     */
    void start() {
        if (invite && state == State.PROCEEDING && lastResponse == null) {
            respond(request.createResponse(100, "Trying"));
        }
    }

    public SIPRequest request() {
        return request;
    }

    public Transport transport() {
        return transport;
    }

    /** Where responses go (RFC 3261 §18.2.2 / RFC 3581). */
    public InetSocketAddress responseDestination() {
        return responseDestination;
    }

    public State state() {
        return state;
    }

    public SIPResponse lastResponse() {
        return lastResponse;
    }

    /** Free slot for the TU (e.g. the inbound call this INVITE belongs to). */
    public Object applicationData() {
        return applicationData;
    }

    public void applicationData(Object o) {
        applicationData = o;
    }

    boolean isTerminatedOrAnswered() {
        return state != State.PROCEEDING && state != State.TRYING;
    }

    /** True while a final response can still be sent. */
    public boolean canRespondFinal() {
        return state == State.TRYING || state == State.PROCEEDING;
    }

    /**
     * Sends a response. The response must not be modified afterwards (it is kept for retransmission). Ignored
     * (returns false) once a final response was sent.
     */
    public boolean respond(SIPResponse response) {
        if (!canRespondFinal()) {
            return false;
        }
        int status = response.getStatusCode();
        lastResponse = response;
        transport.send(response, responseDestination);
        if (status < 200) {
            if (state == State.TRYING) {
                state = State.PROCEEDING;
            }
            return true;
        }
        long t1 = layer.t1;
        if (invite) {
            if (status < 300) {
                state = State.ACCEPTED; // RFC 6026: the TU retransmits the 2xx; we absorb INVITE retransmissions
                endTimer = layer.schedule(this::terminate, 64 * t1);
            } else {
                state = State.COMPLETED;
                if (!transport.reliable()) {
                    interval = t1;
                    retransmitTimer = layer.schedule(this::timerG, interval);
                }
                endTimer = layer.schedule(this::timerH, 64 * t1);
            }
        } else {
            state = State.COMPLETED;
            if (transport.reliable()) {
                terminate();
            } else {
                endTimer = layer.schedule(this::terminate, 64 * t1); // Timer J
            }
        }
        return true;
    }

    private void timerG() {
        if (state != State.COMPLETED) {
            return;
        }
        layer.metrics().retransmissionsSent.incrementAndGet();
        transport.send(lastResponse, responseDestination);
        interval = Math.min(2 * interval, layer.t2);
        retransmitTimer = layer.schedule(this::timerG, interval);
    }

    private void timerH() {
        if (state == State.COMPLETED) {
            layer.metrics().transactionTimeouts.incrementAndGet(); // ACK never came
        }
        terminate();
    }

    void onRetransmission() {
        layer.metrics().retransmissionsAbsorbed.incrementAndGet();
        switch (state) {
            case PROCEEDING, COMPLETED -> {
                if (lastResponse != null) {
                    transport.send(lastResponse, responseDestination);
                }
            }
            default -> {
                // TRYING (nothing to resend yet), ACCEPTED (RFC 6026: absorb), CONFIRMED
            }
        }
    }

    /** Returns true if the ACK was for our non-2xx final response (absorbed here). */
    boolean onAck() {
        if (state == State.COMPLETED) {
            state = State.CONFIRMED;
            cancel(retransmitTimer);
            cancel(endTimer);
            if (transport.reliable()) {
                terminate();
            } else {
                endTimer = layer.schedule(this::terminate, layer.t4); // Timer I
            }
            return true;
        }
        if (state == State.CONFIRMED) {
            layer.metrics().retransmissionsAbsorbed.incrementAndGet();
            return true;
        }
        return false; // ACCEPTED: an ACK for the 2xx, the TU handles it
    }

    void terminate() {
        state = State.TERMINATED;
        cancelTimers();
        layer.removeServer(this);
    }

    void cancelTimers() {
        cancel(retransmitTimer);
        cancel(endTimer);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
