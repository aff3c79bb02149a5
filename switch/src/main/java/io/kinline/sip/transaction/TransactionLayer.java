package io.kinline.sip.transaction;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipMetrics;
import io.kinline.sip.StatusPhrase;
import io.kinline.sip.transport.Routing;
import io.kinline.sip.transport.Transport;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * RFC 3261 §17 transactions as amended by RFC 6026. All state lives on one event loop: every method must be
 * called on {@link #loop()}, and timers are scheduled on it, so there are no locks.
 * <p>
 * Deviation: Timer D (INVITE client, wait for response retransmissions) is 64*T1 instead of "at least 32 s" so that
 * it scales with the configured T1; with the default T1 it is exactly 32 s.
 */
public final class TransactionLayer {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);
    static final String MAGIC = "z9hG4bK";

    private final EventLoop loop;
    private final SipMetrics metrics;
    private final TransactionUser tu;
    final long t1;
    final long t2;
    final long t4;
    final Map<String, ServerTransaction> servers = new HashMap<>();
    final Map<String, ClientTransaction> clients = new HashMap<>();
    /** Live out-of-dialog server transactions by Call-ID, From tag and CSeq, to find merged requests. */
    private final Map<String, ServerTransaction> byRequest = new HashMap<>();

    public TransactionLayer(EventLoop loop, SipConfig config, SipMetrics metrics, TransactionUser tu) {
        this.loop = loop;
        this.metrics = metrics;
        this.tu = tu;
        this.t1 = config.t1().toMillis();
        this.t2 = config.t2().toMillis();
        this.t4 = config.t4().toMillis();
    }

    public EventLoop loop() {
        return loop;
    }

    SipMetrics metrics() {
        return metrics;
    }

    /** Live transactions (tests assert none leak). */
    public int size() {
        return servers.size() + clients.size();
    }

    io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable r, long millis) {
        return loop.schedule(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("transaction timer failed", e);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- server side

    static String serverKey(Via via, String method) {
        String m = Request.ACK.equals(method) ? Request.INVITE : method;
        return via.getBranch() + '|' + via.getHost() + ':' + via.getPort() + '|' + m;
    }

    /** Dispatches an incoming request: retransmissions are absorbed here, new requests go to the TU. */
    public void onRequest(SIPRequest req, Transport transport, InetSocketAddress source) {
        Via via = req.getTopmostVia();
        String branch = via.getBranch();
        String method = req.getMethod();
        if (branch == null || !branch.startsWith(MAGIC)) {
            // RFC 2543 peers: no transaction matching; treat every request as new (retransmissions reach the TU)
            if (Request.ACK.equals(method)) {
                tu.onAck(req, transport, source);
                return;
            }
            ServerTransaction st = new ServerTransaction(this, null, req, transport,
                    Routing.responseDestination(via, source, transport));
            dispatchNew(st, req);
            st.start();
            return;
        }
        String key = serverKey(via, method);
        ServerTransaction st = servers.get(key);
        if (Request.ACK.equals(method)) {
            if (st != null && st.onAck()) {
                return;
            }
            tu.onAck(req, transport, source);
            return;
        }
        if (st != null) {
            st.onRetransmission();
            return;
        }
        st = new ServerTransaction(this, key, req, transport, Routing.responseDestination(via, source, transport));
        servers.put(key, st);
        metrics.activeTransactions.incrementAndGet();
        if (req.getToTag() == null && !Request.CANCEL.equals(method)) {
            // RFC 3261 §8.2.2.2: the same request (Call-ID, From tag, CSeq) as a live transaction but another
            // branch reached us twice (forked upstream, or replayed): 482, and the TU never sees it. A new
            // INVITE reusing an old Call-ID (another From tag or CSeq, or after the first transaction ended)
            // is a new request.
            String merge = req.getCallId().getCallId() + '|' + req.getFromTag() + '|'
                    + req.getCSeq().getSeqNumber() + '|' + method;
            if (byRequest.containsKey(merge)) {
                metrics.mergedRequests.incrementAndGet();
                st.respond(req.createResponse(482, StatusPhrase.of(482)));
                st.start();
                return;
            }
            st.mergeKey = merge;
            byRequest.put(merge, st);
        }
        dispatchNew(st, req);
        st.start();
    }

    private void dispatchNew(ServerTransaction st, SIPRequest req) {
        if (Request.CANCEL.equals(req.getMethod())) {
            ServerTransaction invite = servers.get(serverKey(req.getTopmostVia(), Request.INVITE));
            if (invite == null) {
                st.respond(req.createResponse(481, StatusPhrase.of(481)));
                return;
            }
            // RFC 3261 §9.2: a CANCEL matching a transaction gets 200 even when it is too late to have an effect
            st.respond(req.createResponse(200, "OK"));
            if (!invite.isTerminatedOrAnswered()) {
                tu.onCancel(invite, req);
            }
            return;
        }
        tu.onRequest(st, req);
    }

    void removeServer(ServerTransaction st) {
        if (st.mergeKey != null) {
            byRequest.remove(st.mergeKey, st);
        }
        if (st.key != null && servers.remove(st.key, st)) {
            metrics.activeTransactions.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- client side

    static String clientKey(String branch, String method) {
        return branch + '|' + method;
    }

    /**
     * Starts a client transaction for {@code req} (which must carry a top Via with a fresh z9hG4bK branch). The
     * request must not be modified afterwards.
     */
    public ClientTransaction sendRequest(SIPRequest req, Transport transport, InetSocketAddress destination,
                                         ClientListener listener) {
        String key = clientKey(req.getTopmostVia().getBranch(), req.getMethod());
        ClientTransaction ct = new ClientTransaction(this, key, req, transport, destination, listener);
        clients.put(key, ct);
        metrics.activeTransactions.incrementAndGet();
        ct.start();
        return ct;
    }

    /** Sends a request outside any transaction (ACK for 2xx). */
    public void sendStateless(SIPRequest req, Transport transport, InetSocketAddress destination) {
        transport.send(req, destination);
    }

    public void onResponse(SIPResponse resp, Transport transport, InetSocketAddress source) {
        Via via = resp.getTopmostVia();
        String method = resp.getCSeq().getMethod();
        ClientTransaction ct = via.getBranch() == null ? null : clients.get(clientKey(via.getBranch(), method));
        if (ct == null) {
            tu.onStrayResponse(resp, transport, source);
            return;
        }
        ct.onResponse(resp);
    }

    void removeClient(ClientTransaction ct) {
        if (clients.remove(ct.key, ct)) {
            metrics.activeTransactions.decrementAndGet();
        }
    }

    /** Terminates everything (shutdown). */
    public void clear() {
        servers.values().forEach(ServerTransaction::cancelTimers);
        clients.values().forEach(ClientTransaction::cancelTimers);
        metrics.activeTransactions.addAndGet(-(servers.size() + clients.size()));
        servers.clear();
        clients.clear();
    }
}
