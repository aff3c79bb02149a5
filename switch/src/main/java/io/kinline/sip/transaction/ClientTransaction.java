package io.kinline.sip.transaction;

import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.transport.Transport;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.net.InetSocketAddress;

/**
 * Client transaction (RFC 3261 §17.1, RFC 6026). INVITE: Calling (Timers A/B) → Proceeding → Accepted (2xx,
 * Timer M) or Completed (ACK sent, Timer D) → Terminated. Non-INVITE: Trying (Timers E/F) → Proceeding →
 * Completed (Timer K) → Terminated. Must be used on the transaction layer's event loop.
 */
public final class ClientTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTransaction.class);

    public enum State { CALLING, TRYING, PROCEEDING, ACCEPTED, COMPLETED, TERMINATED }

    private final TransactionLayer layer;
    final String key;
    private final SIPRequest request;
    private final Transport transport;
    private final InetSocketAddress destination;
    private final ClientListener listener;
    private final boolean invite;
    private State state;
    private long interval;
    private ScheduledFuture<?> retransmitTimer;
    private ScheduledFuture<?> timeoutTimer;
    private ScheduledFuture<?> endTimer;
    private SIPRequest errorAck;
    private boolean cancelPending;
    private boolean cancelSent;

    ClientTransaction(TransactionLayer layer, String key, SIPRequest request, Transport transport,
                      InetSocketAddress destination, ClientListener listener) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.transport = transport;
        this.destination = destination;
        this.listener = listener;
        this.invite = Request.INVITE.equals(request.getMethod());
        this.state = invite ? State.CALLING : State.TRYING;
    }

    public SIPRequest request() {
        return request;
    }

    public Transport transport() {
        return transport;
    }

    public InetSocketAddress destination() {
        return destination;
    }

    public State state() {
        return state;
    }

    void start() {
        send();
        if (!transport.reliable()) {
            interval = layer.t1;
            retransmitTimer = layer.schedule(this::retransmit, interval);
        }
        timeoutTimer = layer.schedule(() -> timeout(false), 64 * layer.t1); // Timer B / F
    }

    private void send() {
        transport.send(request, destination).whenComplete((v, err) -> {
            if (err != null) {
                layer.loop().execute(() -> {
                    if (state == State.CALLING || state == State.TRYING) {
                        timeout(true);
                    }
                });
            }
        });
    }

    private void retransmit() {
        if (state == State.CALLING || state == State.TRYING || (!invite && state == State.PROCEEDING)) {
            layer.metrics().retransmissionsSent.incrementAndGet();
            send();
            interval = invite ? 2 * interval
                    : state == State.PROCEEDING ? layer.t2 : Math.min(2 * interval, layer.t2);
            retransmitTimer = layer.schedule(this::retransmit, interval);
        }
    }

    private void timeout(boolean transportError) {
        if (state == State.TERMINATED || state == State.COMPLETED || state == State.ACCEPTED) {
            return;
        }
        layer.metrics().transactionTimeouts.incrementAndGet();
        terminate();
        try {
            listener.onTimeout(this, transportError);
        } catch (RuntimeException e) {
            LOG.error("client transaction listener failed", e);
        }
    }

    /**
     * Cancels this INVITE transaction (RFC 3261 §9.1): the CANCEL goes out once a provisional response has been
     * received; before that it is held back. No-op for non-INVITE or after a final response.
     */
    public void cancel() {
        if (!invite || cancelSent) {
            return;
        }
        if (state == State.PROCEEDING) {
            sendCancel();
        } else if (state == State.CALLING) {
            cancelPending = true;
        }
    }

    private void sendCancel() {
        cancelSent = true;
        try {
            SIPRequest cancel = request.createCancelRequest();
            layer.sendRequest(cancel, transport, destination, new ClientListener() {
                @Override
                public void onResponse(ClientTransaction ct, SIPResponse response) {
                }

                @Override
                public void onTimeout(ClientTransaction ct, boolean transportError) {
                }
            });
        } catch (javax.sip.SipException e) {
            LOG.warn("cannot build CANCEL", e);
        }
    }

    void onResponse(SIPResponse resp) {
        int status = resp.getStatusCode();
        switch (state) {
            case CALLING, TRYING, PROCEEDING -> {
                if (status < 200) {
                    boolean first = state != State.PROCEEDING;
                    state = State.PROCEEDING;
                    if (invite) {
                        cancel(retransmitTimer); // Timer A stops; Timer B keeps running
                        if (first && cancelPending) {
                            sendCancel();
                        }
                    }
                    deliver(resp);
                    return;
                }
                cancel(retransmitTimer);
                cancel(timeoutTimer);
                if (invite && status < 300) {
                    state = State.ACCEPTED; // RFC 6026: 2xx retransmissions go to the TU which ACKs them
                    endTimer = layer.schedule(this::terminate, 64 * layer.t1); // Timer M
                } else if (invite) {
                    state = State.COMPLETED;
                    sendErrorAck(resp);
                    if (transport.reliable()) {
                        terminate();
                    } else {
                        endTimer = layer.schedule(this::terminate, 64 * layer.t1); // Timer D
                    }
                } else {
                    state = State.COMPLETED;
                    if (transport.reliable()) {
                        terminate();
                    } else {
                        endTimer = layer.schedule(this::terminate, layer.t4); // Timer K
                    }
                }
                deliver(resp);
            }
            case ACCEPTED -> {
                if (status >= 200 && status < 300) {
                    deliver(resp); // retransmitted 2xx (or a 2xx from another fork): TU re-ACKs
                }
            }
            case COMPLETED -> {
                layer.metrics().retransmissionsAbsorbed.incrementAndGet();
                if (invite && status >= 300 && errorAck != null) {
                    transport.send(errorAck, destination);
                }
            }
            default -> {
            }
        }
    }

    private void sendErrorAck(SIPResponse resp) {
        try {
            errorAck = request.createErrorAck((To) resp.getTo());
            transport.send(errorAck, destination);
        } catch (Exception e) {
            LOG.warn("cannot build ACK for {}", resp.getStatusCode(), e);
        }
    }

    private void deliver(SIPResponse resp) {
        try {
            listener.onResponse(this, resp);
        } catch (RuntimeException e) {
            LOG.error("client transaction listener failed", e);
        }
    }

    void terminate() {
        state = State.TERMINATED;
        cancelTimers();
        layer.removeClient(this);
    }

    void cancelTimers() {
        cancel(retransmitTimer);
        cancel(timeoutTimer);
        cancel(endTimer);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
