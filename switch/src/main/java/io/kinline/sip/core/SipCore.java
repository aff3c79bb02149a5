package io.kinline.sip.core;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.log.CallMdc;
import io.kinline.sip.AdmissionGuard;
import io.kinline.sip.DialogListener;
import io.kinline.sip.InboundCallHandler;
import io.kinline.sip.StationDigests;
import io.kinline.sip.OutboundCall;
import io.kinline.sip.OutboundCallListener;
import io.kinline.sip.OutboundCallRequest;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipMetrics;
import io.kinline.sip.StatusPhrase;
import io.kinline.sip.TerminationReason;
import io.kinline.sip.transaction.ClientListener;
import io.kinline.sip.transaction.ClientTransaction;
import io.kinline.sip.transaction.ServerTransaction;
import io.kinline.sip.transaction.TransactionLayer;
import io.kinline.sip.transaction.TransactionUser;
import io.kinline.sip.transport.MessageSink;
import io.kinline.sip.transport.RateLimitedLog;
import io.kinline.sip.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.header.Header;
import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The UA core: routes requests to dialogs, admits new calls, answers OPTIONS, keeps the dialog table. Everything
 * here runs on one event loop ({@link #loop}); public entry points from other threads hop onto it.
 */
public final class SipCore implements TransactionUser, MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(SipCore.class);

    private final SipConfig config;
    private final SipMetrics metrics;
    private final EventLoop loop;
    private final TransactionLayer tl;
    private final SipMessages messages;
    private final Digest digest = new Digest();
    private final RateLimitedLog authLog = new RateLimitedLog(LOG, 1000);
    private final List<Cidr> allowList;
    private volatile StationDigests stationDigests = StationDigests.NONE;
    private final TokenBucket cps;
    private final Map<String, DialogImpl> dialogs = new HashMap<>();
    private final Map<String, Transport> transports = new HashMap<>();
    private volatile InboundCallHandler handler;
    private volatile AdmissionGuard admission = AdmissionGuard.NONE;
    private int activeInbound;

    /** Tablets' credentials (from memory); set once at start. */
    public void stationDigests(StationDigests digests) {
        this.stationDigests = digests;
    }

    public SipCore(SipConfig config, SipMetrics metrics, EventLoop loop, InboundCallHandler handler) {
        this.config = config;
        this.metrics = metrics;
        this.loop = loop;
        this.handler = handler;
        this.messages = new SipMessages(config.userAgent());
        this.tl = new TransactionLayer(loop, config, metrics, this);
        this.allowList = config.gatewayAllowList().stream().map(Cidr::parse).toList();
        this.cps = new TokenBucket(config.maxCallsPerSecond());
    }

    public void addTransport(Transport t) {
        transports.put(t.name(), t);
    }

    public void setHandler(InboundCallHandler h) {
        handler = h;
    }

    /** What else, beyond calls and call rate, may shed a new INVITE (the media path's load, in the switch). */
    public void admissionGuard(AdmissionGuard guard) {
        admission = guard == null ? AdmissionGuard.NONE : guard;
    }

    Transport transport(String name) {
        Transport t = transports.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            t = transports.values().iterator().next();
        }
        return t;
    }

    public TransactionLayer transactions() {
        return tl;
    }

    SipConfig config() {
        return config;
    }

    SipMetrics metrics() {
        return metrics;
    }

    /** Builds and reads messages; only on the core loop. */
    SipMessages messages() {
        return messages;
    }

    /** Sends a request in a new client transaction. */
    ClientTransaction sendRequest(SIPRequest req, Transport transport, InetSocketAddress to, ClientListener l) {
        return tl.sendRequest(req, transport, to, l);
    }

    /** Sends a request without a transaction (the ACK for a 2xx). */
    void sendStateless(SIPRequest req, Transport transport, InetSocketAddress to) {
        tl.sendStateless(req, transport, to);
    }

    /** Runs {@code r} on the core loop after {@code millis}; a failure is logged, never thrown into the loop. */
    ScheduledFuture<?> schedule(Runnable r, long millis) {
        return loop.schedule(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("SIP timer failed", e);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    public int dialogCount() {
        return dialogs.size();
    }

    /** Runs {@code r} on the core loop (inline if already there), never throwing. */
    void execute(Runnable r) {
        Runnable safe = () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("SIP core task failed", e);
            }
        };
        if (loop.inEventLoop()) {
            safe.run();
        } else {
            try {
                loop.execute(safe);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("SIP server closed; request dropped");
            }
        }
    }

    // ------------------------------------------------------------------ inbound messages

    @Override
    public void onMessage(SIPMessage message, Transport transport, InetSocketAddress source) {
        if (message instanceof SIPRequest req && backlogged() && shedLoad(req, transport, source)) {
            return;
        }
        loop.execute(() -> CallMdc.run(message.getCallId().getCallId(), () -> {
            try {
                if (message instanceof SIPRequest req) {
                    tl.onRequest(req, transport, source);
                } else {
                    tl.onResponse((SIPResponse) message, transport, source);
                }
            } catch (RuntimeException e) {
                LOG.error("processing {} failed", message.getFirstLine().trim(), e);
            }
        }));
    }

    private boolean backlogged() {
        return loop instanceof io.netty.channel.SingleThreadEventLoop l
                && l.pendingTasks() > config.maxCoreBacklog();
    }

    /**
     * Called on an I/O thread when the core loop is backlogged. New INVITEs get a stateless 503; other new
     * out-of-dialog requests except OPTIONS are dropped. In-dialog requests, ACK, CANCEL and responses still go
     * through: they end calls and free resources.
     */
    private boolean shedLoad(SIPRequest req, Transport transport, InetSocketAddress source) {
        if (req.getToTag() != null) {
            return false;
        }
        String method = req.getMethod();
        if (Request.INVITE.equals(method)) {
            reject503Stateless(req, transport, source);
            return true;
        }
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method) || Request.OPTIONS.equals(method)) {
            return false;
        }
        metrics.overloadDropped.incrementAndGet(); // well-formed, only unwelcome now: not "malformed"
        return true;
    }

    private void reject503Stateless(SIPRequest req, Transport transport, InetSocketAddress source) {
        metrics.serviceUnavailableSent.incrementAndGet();
        SIPResponse r = messages.response(req, 503, null);
        messages.addHeader(r, "Retry-After", Integer.toString(config.retryAfterSeconds()));
        transport.send(r, io.kinline.sip.transport.Routing.responseDestination(req.getTopmostVia(), source,
                transport));
    }

    @Override
    public void onRequest(ServerTransaction st, SIPRequest req) {
        String toTag = req.getToTag();
        String method = req.getMethod();
        String unsupported = unsupportedRequire(req);
        if (unsupported != null) {
            SIPResponse r = messages.response(req, 420, null);
            messages.addHeader(r, "Unsupported", unsupported);
            st.respond(r);
            return;
        }
        if (toTag != null) {
            DialogImpl d = dialogs.get(dialogKey(req.getCallId().getCallId(), toTag, req.getFromTag()));
            if (d != null) {
                d.onRequest(st, req);
            } else if (Request.OPTIONS.equals(method)) {
                st.respond(options(req));
            } else {
                st.respond(req.createResponse(481, StatusPhrase.of(481)));
            }
            return;
        }
        switch (method) {
            case Request.OPTIONS -> st.respond(options(req));
            case Request.INVITE -> onNewInvite(st, req);
            case Request.BYE, Request.INFO, Request.UPDATE, Request.PRACK ->
                    st.respond(req.createResponse(481, StatusPhrase.of(481)));
            default -> {
                SIPResponse r = req.createResponse(405, StatusPhrase.of(405));
                messages.addHeader(r, "Allow", SipMessages.ALLOW);
                st.respond(r);
            }
        }
    }

    /** RFC 3261 §8.2.2.3: option tags in Require that we do not support (we support "timer" only), or null. */
    private static String unsupportedRequire(SIPRequest req) {
        java.util.Iterator<?> it = req.getHeaders("Require");
        StringBuilder bad = null;
        while (it != null && it.hasNext()) {
            for (String tag : ((SIPHeader) it.next()).getHeaderValue().split(",")) {
                String t = tag.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("timer")) {
                    bad = bad == null ? new StringBuilder(t) : bad.append(", ").append(t);
                }
            }
        }
        return bad == null ? null : bad.toString();
    }

    SIPResponse options(SIPRequest req) {
        SIPResponse r = messages.response(req, 200, null);
        messages.addHeader(r, "Allow", SipMessages.ALLOW);
        messages.addHeader(r, "Accept", SipMessages.ACCEPT);
        messages.addHeader(r, "Supported", SipMessages.SUPPORTED);
        return r;
    }

    private void onNewInvite(ServerTransaction st, SIPRequest req) {
        InetSocketAddress source = st.responseDestination();
        // A station with its own credential (a tablet) is challenged wherever it comes from.
        boolean ownCredential = stationDigests.ha1(InboundCallImpl.user(req.getFrom().getAddress().getURI())) != null;
        boolean ipAllowed = Cidr.anyContains(allowList, source.getAddress()) && !ownCredential;
        boolean digestEnabled = !config.gatewayUsers().isEmpty() || ownCredential;
        if (!ipAllowed && !digestEnabled) {
            metrics.forbiddenSent.incrementAndGet();
            st.respond(messages.response(req, 403, null));
            return;
        }
        if (activeInbound >= config.maxConcurrentCalls()) {
            reject503(st, req, "Too many calls");
            return;
        }
        String shed = admission.shedReason();
        if (shed != null) {
            reject503(st, req, shed, shed);
            return;
        }
        String authUser = null;
        if (!ipAllowed) {
            authUser = authenticate(st, req);
            if (authUser == null) {
                return; // challenged or rejected
            }
        }
        InboundCallHandler h = handler;
        if (h == null) {
            st.respond(messages.response(req, 480, null));
            return;
        }
        // A handler that screens callers charges the budget itself (InboundCall.admit) once the caller
        // passed: INVITEs it turns away must not use up what real calls need.
        boolean screened = h.screensCallers();
        if (!screened && !cps.tryAcquire()) {
            reject503(st, req, "Call rate exceeded");
            return;
        }
        if (SessionTimer.refuseTooShort(this, st, req)) {
            return;
        }
        InboundCallImpl call = new InboundCallImpl(this, st, req, authUser, !screened);
        st.applicationData(call);
        activeInbound++;
        metrics.activeInboundCalls.incrementAndGet();
        try {
            h.onInvite(call);
        } catch (RuntimeException e) {
            LOG.error("inbound call handler failed", e);
            call.reject(500, StatusPhrase.of(500), Map.of());
        }
    }

    /** Charges one call against {@code maxCallsPerSecond}; any thread. */
    boolean tryChargeCallRate() {
        return cps.tryAcquire();
    }

    void releaseInbound() {
        activeInbound--;
        metrics.activeInboundCalls.decrementAndGet();
    }

    private void reject503(ServerTransaction st, SIPRequest req, String why) {
        reject503(st, req, StatusPhrase.of(503), why);
    }

    private void reject503(ServerTransaction st, SIPRequest req, String phrase, String why) {
        metrics.serviceUnavailableSent.incrementAndGet();
        SIPResponse r = messages.response(req, 503, phrase, null);
        messages.addHeader(r, "Retry-After", Integer.toString(config.retryAfterSeconds()));
        st.respond(r);
        LOG.debug("503 for new INVITE: {}", why);
    }

    /** Returns the authenticated user, or null after sending 401/403. */
    private String authenticate(ServerTransaction st, SIPRequest req) {
        Header h = req.getHeader("Authorization");
        long now = System.currentTimeMillis();
        if (h == null) {
            challenge(st, req, false, now);
            return null;
        }
        Map<String, String> p = Digest.params(((SIPHeader) h).getHeaderValue());
        Digest.Verdict verdict = digest.verify(p, req.getMethod(), config.gatewayRealm(), config.gatewayUsers(),
                stationDigests, now, config.nonceValidity().toMillis());
        switch (verdict) {
            case ACCEPT -> {
                return p.get("username");
            }
            case STALE -> challenge(st, req, true, now);
            case REPLAY -> {
                metrics.digestReplays.incrementAndGet();
                authLog.warn("replayed digest credentials (nonce count used before) from {}: challenged again",
                        st.responseDestination());
                challenge(st, req, false, now);
            }
            case BUSY -> reject503(st, req, "Digest nonce table full");
            case FORBIDDEN -> {
                metrics.forbiddenSent.incrementAndGet();
                st.respond(messages.response(req, 403, null));
            }
        }
        return null;
    }

    private void challenge(ServerTransaction st, SIPRequest req, boolean stale, long now) {
        metrics.challengesSent.incrementAndGet();
        SIPResponse r = messages.response(req, 401, null);
        messages.addHeader(r, "WWW-Authenticate", "Digest realm=\"" + config.gatewayRealm() + "\", nonce=\""
                + digest.newNonce(now) + "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : ""));
        st.respond(r);
    }

    @Override
    public void onAck(SIPRequest ack, Transport transport, InetSocketAddress source) {
        String toTag = ack.getToTag();
        if (toTag == null) {
            return;
        }
        DialogImpl d = dialogs.get(dialogKey(ack.getCallId().getCallId(), toTag, ack.getFromTag()));
        if (d != null) {
            d.onAck(ack);
        }
    }

    @Override
    public void onCancel(ServerTransaction inviteSt, SIPRequest cancel) {
        if (inviteSt.applicationData() instanceof InboundCallImpl call) {
            call.onCancel();
        } else if (inviteSt.canRespondFinal()) {
            inviteSt.respond(messages.response(inviteSt.request(), 487, null));
        }
    }

    @Override
    public void onStrayResponse(SIPResponse response, Transport transport, InetSocketAddress source) {
        int status = response.getStatusCode();
        if (status >= 200 && status < 300 && Request.INVITE.equals(response.getCSeq().getMethod())) {
            DialogImpl d = dialogs.get(dialogKey(response.getCallId().getCallId(), response.getFromTag(),
                    response.getToTag()));
            if (d != null) {
                d.onRetransmitted2xx(response);
                return;
            }
        }
        metrics.strayResponses.incrementAndGet();
    }

    // ------------------------------------------------------------------ dialogs and calls

    static String dialogKey(String callId, String localTag, String remoteTag) {
        return callId + '|' + localTag + '|' + remoteTag;
    }

    void register(DialogImpl d) {
        if (dialogs.putIfAbsent(d.key(), d) == null) {
            metrics.activeDialogs.incrementAndGet();
        }
    }

    void unregister(DialogImpl d) {
        if (dialogs.remove(d.key(), d)) {
            metrics.activeDialogs.decrementAndGet();
        }
    }

    public OutboundCall placeCall(OutboundCallRequest request, OutboundCallListener listener,
                                  DialogListener dialogListener) {
        if (config.trunk() == null) {
            throw new IllegalStateException("no trunk configured");
        }
        OutboundCallImpl call = new OutboundCallImpl(this, request, listener, dialogListener);
        execute(call::start);
        return call;
    }

    /** Terminates every dialog (sending BYE) and clears the transaction table. Runs on the loop. */
    public void shutdown() {
        for (DialogImpl d : new ArrayList<>(dialogs.values())) {
            d.terminate(TerminationReason.SHUTDOWN, true);
        }
    }
}
