package io.kinline.sip.core;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.DialogState;
import io.kinline.sip.SipFailure;
import io.kinline.sip.TerminationReason;
import io.kinline.sip.transaction.ClientListener;
import io.kinline.sip.transaction.ClientTransaction;
import io.kinline.sip.transaction.ServerTransaction;
import io.kinline.sip.transport.Transport;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A dialog (RFC 3261 §12) with target refresh, 2xx retransmission/ACK handling and RFC 4028 session timers.
 * State is confined to the core event loop; public methods hop onto it.
 */
final class DialogImpl implements Dialog {
    private static final Logger LOG = LoggerFactory.getLogger(DialogImpl.class);

    private final SipCore core;
    private final String callId;
    private final String localTag;
    private final String remoteTag;
    private final boolean uac;
    private final Address localAddress;
    private final Address remoteAddress;
    private final Transport transport;
    private final InetSocketAddress peer;
    private final DialogListener listener;
    private URI remoteTarget;
    private final List<Address> routeSet;
    private long localCSeq;
    private long remoteCSeq = -1;
    private volatile DialogState state = DialogState.CONFIRMED;
    private volatile String remoteSdp;
    private volatile String localSdp;
    private boolean peerAllowsUpdate;

    // RFC 4028
    private int sessionInterval;
    private boolean weRefresh;
    private ScheduledFuture<?> sessionTimer;

    // UAS: 2xx retransmission until ACK (RFC 3261 §13.3.1.4)
    private Pending2xx pending;
    // UAC: last ACK for 2xx, re-sent on 2xx retransmissions
    private SIPRequest lastAck;
    private long lastAckCSeq = -1;

    private boolean outgoingInvite;
    private boolean incomingInvite;
    private final CompletableFuture<Void> byeFuture = new CompletableFuture<>();
    Runnable onTerminatedHook;

    private DialogImpl(SipCore core, String callId, String localTag, String remoteTag, boolean uac,
                       Address localAddress, Address remoteAddress, URI remoteTarget, List<Address> routeSet,
                       Transport transport, InetSocketAddress peer, DialogListener listener) {
        this.core = core;
        this.peer = peer;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.uac = uac;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.remoteTarget = remoteTarget;
        this.routeSet = routeSet;
        this.transport = transport;
        this.listener = listener == null ? new DialogListener() { } : listener;
    }

    /** UAS dialog created by our 2xx to {@code invite}. */
    static DialogImpl uas(SipCore core, SIPRequest invite, String localTag, Transport transport,
                          InetSocketAddress peer, DialogListener listener) {
        List<Address> routes = new ArrayList<>();
        Iterator<?> rr = invite.getHeaders(RecordRoute.NAME);
        while (rr != null && rr.hasNext()) {
            routes.add((Address) ((AddressImpl) ((RecordRoute) rr.next()).getAddress()).clone());
        }
        DialogImpl d = new DialogImpl(core, invite.getCallId().getCallId(), localTag, invite.getFromTag(), false,
                clone(invite.getTo().getAddress()), clone(invite.getFrom().getAddress()),
                invite.getContactHeader() != null ? target(invite) : (URI) invite.getFrom().getAddress().getURI().clone(),
                routes,
                transport, peer, listener);
        d.remoteCSeq = invite.getCSeq().getSeqNumber();
        d.localCSeq = ThreadLocalRandom.current().nextInt(1, 10_000);
        d.peerAllowsUpdate = SessionTimer.allows(invite, Request.UPDATE);
        d.remoteSdp = SipCore.sdp(invite);
        return d;
    }

    /** UAC dialog created by a 2xx to our {@code invite}. */
    static DialogImpl uac(SipCore core, SIPRequest invite, SIPResponse ok, Transport transport,
                          InetSocketAddress peer, DialogListener listener) {
        List<Address> routes = new ArrayList<>();
        Iterator<?> rr = ok.getHeaders(RecordRoute.NAME);
        while (rr != null && rr.hasNext()) {
            routes.add((Address) ((AddressImpl) ((RecordRoute) rr.next()).getAddress()).clone());
        }
        URI target = ok.getContactHeader() != null ? target(ok) : (URI) invite.getRequestURI().clone();
        DialogImpl d = new DialogImpl(core, invite.getCallId().getCallId(), invite.getFromTag(), ok.getToTag(), true,
                clone(invite.getFrom().getAddress()), clone(invite.getTo().getAddress()), target,
                SipCore.reversed(routes), transport, peer, listener);
        d.localCSeq = invite.getCSeq().getSeqNumber();
        d.peerAllowsUpdate = SessionTimer.allows(ok, Request.UPDATE);
        d.remoteSdp = SipCore.sdp(ok);
        d.localSdp = SipCore.body(invite);
        return d;
    }

    private static Address clone(Address a) {
        return (Address) ((AddressImpl) a).clone();
    }

    private static URI target(SIPMessage m) {
        Contact c = m.getContactHeader();
        return c == null ? null : (URI) c.getAddress().getURI().clone();
    }

    String key() {
        return SipCore.dialogKey(callId, localTag, remoteTag);
    }

    // ------------------------------------------------------------------ Dialog API

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String localTag() {
        return localTag;
    }

    @Override
    public String remoteTag() {
        return remoteTag;
    }

    @Override
    public String remoteUri() {
        return remoteAddress.getURI().toString();
    }

    @Override
    public DialogState state() {
        return state;
    }

    @Override
    public String remoteSdp() {
        return remoteSdp;
    }

    @Override
    public String localSdp() {
        return localSdp;
    }

    void localSdp(String sdp) {
        localSdp = sdp;
    }

    @Override
    public CompletionStage<Void> bye() {
        core.execute(() -> terminate(TerminationReason.LOCAL_BYE, true));
        return byeFuture;
    }

    @Override
    public CompletionStage<String> reinvite(String sdpOffer) {
        CompletableFuture<String> f = new CompletableFuture<>();
        core.execute(() -> sendInvite(sdpOffer, f));
        return f;
    }

    @Override
    public CompletionStage<String> update(String sdpOffer) {
        CompletableFuture<String> f = new CompletableFuture<>();
        core.execute(() -> sendUpdate(sdpOffer, f));
        return f;
    }

    @Override
    public CompletionStage<Void> sendInfoDtmf(char digit, int durationMs) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        core.execute(() -> {
            SIPRequest info = newRequest(Request.INFO, ++localCSeq);
            core.setBody(info, "application/dtmf-relay", DtmfInfo.relayBody(digit, durationMs));
            send(info, finalOnly(r -> {
                if (r.getStatusCode() < 300) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(new SipFailure(r.getStatusCode(), r.getReasonPhrase()));
                }
            }, timeoutFailing(f)));
        });
        return f;
    }

    @Override
    public CompletionStage<Integer> options() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        core.execute(() -> send(newRequest(Request.OPTIONS, ++localCSeq),
                finalOnly(r -> f.complete(r.getStatusCode()), () -> f.complete(408))));
        return f;
    }

    @Override
    public String toString() {
        return "Dialog[" + callId + ", " + (uac ? "uac" : "uas") + ", " + state + "]";
    }

    // ------------------------------------------------------------------ outgoing requests

    private Runnable timeoutFailing(CompletableFuture<?> f) {
        return () -> f.completeExceptionally(new SipFailure(408, "Request Timeout"));
    }

    SIPRequest newRequest(String method, long cseq) {
        try {
            var hf = core.headerFactory;
            InetSocketAddress local = transport.localAddress();
            ViaHeader via = hf.createViaHeader(SipCore.hostOf(local).replace("[", "").replace("]", ""),
                    local.getPort(), transport.name().toUpperCase(java.util.Locale.ROOT), SipCore.newBranch());
            via.setRPort();
            List<ViaHeader> vias = new ArrayList<>(1);
            vias.add(via);
            SIPRequest r = (SIPRequest) core.messageFactory.createRequest((URI) remoteTarget.clone(), method,
                    hf.createCallIdHeader(callId), hf.createCSeqHeader(cseq, method),
                    hf.createFromHeader(clone(localAddress), localTag), hf.createToHeader(clone(remoteAddress), remoteTag),
                    vias, hf.createMaxForwardsHeader(70));
            for (Address a : routeSet) {
                r.addHeader(hf.createRouteHeader(clone(a)));
            }
            if (Request.INVITE.equals(method) || Request.UPDATE.equals(method)) {
                r.addHeader(core.contact(transport));
                core.addHeader(r, "Allow", SipCore.ALLOW);
            }
            core.addHeader(r, "User-Agent", core.config.userAgent());
            return r;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build " + method, e);
        }
    }

    private InetSocketAddress nextHop() {
        return SipCore.destination(routeSet.isEmpty() ? remoteTarget : routeSet.get(0).getURI(), peer);
    }

    private ClientTransaction send(SIPRequest req, ClientListener l) {
        return core.tl.sendRequest(req, transport, nextHop(), l);
    }

    /** A listener that reports only the first final response (or the timeout). */
    private static ClientListener finalOnly(Consumer<SIPResponse> onFinal, Runnable onTimeout) {
        return new ClientListener() {
            @Override
            public void onResponse(ClientTransaction ct, SIPResponse response) {
                if (response.getStatusCode() >= 200) {
                    onFinal.accept(response);
                }
            }

            @Override
            public void onTimeout(ClientTransaction ct, boolean transportError) {
                onTimeout.run();
            }
        };
    }

    private void addSessionTimerHeaders(SIPRequest r) {
        core.addHeader(r, "Supported", SipCore.SUPPORTED);
        int interval = sessionInterval > 0 ? sessionInterval : core.config.sessionExpires();
        if (interval > 0) {
            core.addHeader(r, "Session-Expires", interval + ";refresher=uac");
            core.addHeader(r, "Min-SE", Integer.toString(core.config.minSessionExpires()));
        }
    }

    private void sendInvite(String sdp, CompletableFuture<String> result) {
        if (state == DialogState.TERMINATED) {
            result.completeExceptionally(new SipFailure(481, "Call/Transaction Does Not Exist"));
            return;
        }
        if (outgoingInvite || incomingInvite || pending != null) {
            result.completeExceptionally(new SipFailure(491, "Request Pending"));
            return;
        }
        outgoingInvite = true;
        long cseq = ++localCSeq;
        SIPRequest req = newRequest(Request.INVITE, cseq);
        addSessionTimerHeaders(req);
        core.setBody(req, "application/sdp", sdp);
        send(req, new ClientListener() {
            boolean answered;

            @Override
            public void onResponse(ClientTransaction ct, SIPResponse r) {
                int status = r.getStatusCode();
                if (status < 200) {
                    return;
                }
                if (status < 300) {
                    if (answered) {
                        onRetransmitted2xx(r);
                        return;
                    }
                    answered = true;
                    outgoingInvite = false;
                    if (r.getContactHeader() != null) {
                        remoteTarget = target(r);
                    }
                    String answer = SipCore.sdp(r);
                    if (answer != null) {
                        remoteSdp = answer;
                    }
                    if (sdp != null) {
                        localSdp = sdp;
                    }
                    sendAck(cseq);
                    negotiateUac(r);
                    result.complete(answer);
                    return;
                }
                outgoingInvite = false;
                result.completeExceptionally(new SipFailure(status, r.getReasonPhrase()));
                if (status == 408 || status == 481) {
                    terminate(TerminationReason.TRANSPORT_FAILURE, status == 408);
                }
            }

            @Override
            public void onTimeout(ClientTransaction ct, boolean transportError) {
                outgoingInvite = false;
                result.completeExceptionally(new SipFailure(transportError ? 503 : 408,
                        transportError ? "Service Unavailable" : "Request Timeout"));
                terminate(TerminationReason.TRANSPORT_FAILURE, true);
            }
        });
    }

    private void sendUpdate(String sdp, CompletableFuture<String> result) {
        if (state == DialogState.TERMINATED) {
            result.completeExceptionally(new SipFailure(481, "Call/Transaction Does Not Exist"));
            return;
        }
        SIPRequest req = newRequest(Request.UPDATE, ++localCSeq);
        addSessionTimerHeaders(req);
        core.setBody(req, "application/sdp", sdp);
        send(req, finalOnly(r -> {
            int status = r.getStatusCode();
            if (status < 300) {
                String answer = SipCore.sdp(r);
                if (answer != null) {
                    remoteSdp = answer;
                }
                if (sdp != null) {
                    localSdp = sdp;
                }
                if (r.getContactHeader() != null) {
                    remoteTarget = target(r);
                }
                negotiateUac(r);
                result.complete(answer);
            } else {
                result.completeExceptionally(new SipFailure(status, r.getReasonPhrase()));
                if (status == 408 || status == 481) {
                    terminate(TerminationReason.TRANSPORT_FAILURE, status == 408);
                }
            }
        }, () -> {
            result.completeExceptionally(new SipFailure(408, "Request Timeout"));
            terminate(TerminationReason.TRANSPORT_FAILURE, true);
        }));
    }

    /** UAC: ACK for a 2xx to the INVITE with {@code cseq} (a new transaction-less request, RFC 3261 §13.2.2.4). */
    void sendAck(long cseq) {
        SIPRequest ack = newRequest(Request.ACK, cseq);
        lastAck = ack;
        lastAckCSeq = cseq;
        core.tl.sendStateless(ack, transport, nextHop());
    }

    /** UAC: a retransmitted 2xx: send the same ACK again. */
    void onRetransmitted2xx(SIPResponse r) {
        if (lastAck != null && r.getCSeq().getSeqNumber() == lastAckCSeq) {
            core.metrics.retransmissionsAbsorbed.incrementAndGet();
            core.tl.sendStateless(lastAck, transport, nextHop());
        }
    }

    // ------------------------------------------------------------------ incoming requests

    void onRequest(ServerTransaction st, SIPRequest req) {
        String method = req.getMethod();
        long cseq = req.getCSeq().getSeqNumber();
        if (state == DialogState.TERMINATED) {
            st.respond(core.response(req, 481, "Call/Transaction Does Not Exist", null));
            return;
        }
        if (remoteCSeq >= 0 && cseq <= remoteCSeq) {
            st.respond(core.response(req, 500, "Server Internal Error - CSeq out of order", null));
            return;
        }
        remoteCSeq = cseq;
        switch (method) {
            case Request.BYE -> {
                st.respond(core.response(req, 200, "OK", null));
                terminate(TerminationReason.REMOTE_BYE, false);
            }
            case Request.INVITE -> onReInvite(st, req);
            case Request.UPDATE -> onUpdate(st, req);
            case Request.INFO -> onInfo(st, req);
            case Request.OPTIONS -> st.respond(core.options(req));
            default -> {
                SIPResponse r = core.response(req, 405, "Method Not Allowed", null);
                core.addHeader(r, "Allow", SipCore.ALLOW);
                st.respond(r);
            }
        }
    }

    private boolean rejectSmallInterval(ServerTransaction st, SIPRequest req) {
        SessionTimer.Offer o = SessionTimer.parseRequest(req);
        if (o != null && o.interval() < core.config.minSessionExpires()) {
            SIPResponse r = core.response(req, 422, "Session Interval Too Small", null);
            core.addHeader(r, "Min-SE", Integer.toString(core.config.minSessionExpires()));
            st.respond(r);
            return true;
        }
        return false;
    }

    private void onReInvite(ServerTransaction st, SIPRequest req) {
        if (outgoingInvite) {
            st.respond(core.response(req, 491, "Request Pending", null));
            return;
        }
        if (incomingInvite || pending != null) {
            SIPResponse r = core.response(req, 500, "Server Internal Error", null);
            core.addHeader(r, "Retry-After", Integer.toString(ThreadLocalRandom.current().nextInt(0, 10)));
            st.respond(r);
            return;
        }
        if (rejectSmallInterval(st, req)) {
            return;
        }
        if (req.getContactHeader() != null) {
            remoteTarget = target(req);
        }
        String offer = SipCore.sdp(req);
        incomingInvite = true;
        long cseq = req.getCSeq().getSeqNumber();
        askListener(true, offer).whenComplete((answer, err) -> core.execute(() -> {
            incomingInvite = false;
            if (state == DialogState.TERMINATED || !st.canRespondFinal()) {
                return;
            }
            if (err != null || answer == null) {
                st.respond(rejection(req, err));
                return;
            }
            SIPResponse ok = okWithSdp(req, answer);
            localSdp = answer;
            if (offer != null) {
                remoteSdp = offer;
            }
            st.respond(ok);
            await2xxAck(ok, st, cseq, this::startSessionTimer,
                    () -> terminate(TerminationReason.ACK_TIMEOUT, true));
        }));
    }

    private void onUpdate(ServerTransaction st, SIPRequest req) {
        if (rejectSmallInterval(st, req)) {
            return;
        }
        if (req.getContactHeader() != null) {
            remoteTarget = target(req);
        }
        String offer = SipCore.sdp(req);
        if (offer == null) { // pure session refresh
            SIPResponse ok = core.response(req, 200, "OK", localTag);
            ok.addHeader(core.contact(transport));
            negotiateUas(req, ok);
            st.respond(ok);
            startSessionTimer();
            return;
        }
        askListener(false, offer).whenComplete((answer, err) -> core.execute(() -> {
            if (state == DialogState.TERMINATED || !st.canRespondFinal()) {
                return;
            }
            if (err != null || answer == null) {
                st.respond(rejection(req, err));
                return;
            }
            localSdp = answer;
            remoteSdp = offer;
            st.respond(okWithSdp(req, answer));
            startSessionTimer();
        }));
    }

    private CompletionStage<String> askListener(boolean invite, String offer) {
        try {
            CompletionStage<String> s = invite ? listener.onReInvite(this, offer) : listener.onUpdate(this, offer);
            return s != null ? s : CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private SIPResponse rejection(SIPRequest req, Throwable err) {
        Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (c instanceof SipFailure f && f.status() >= 300 && f.status() < 700) {
            return core.response(req, f.status(), f.reason(), localTag);
        }
        return core.response(req, 488, "Not Acceptable Here", localTag);
    }

    private SIPResponse okWithSdp(SIPRequest req, String sdp) {
        SIPResponse ok = core.response(req, 200, "OK", localTag);
        ok.addHeader(core.contact(transport));
        core.addHeader(ok, "Allow", SipCore.ALLOW);
        core.addHeader(ok, "Supported", SipCore.SUPPORTED);
        negotiateUas(req, ok);
        core.setBody(ok, "application/sdp", sdp);
        return ok;
    }

    private void onInfo(ServerTransaction st, SIPRequest req) {
        String body = SipCore.body(req);
        if (body == null) {
            st.respond(core.response(req, 200, "OK", null)); // an INFO ping
            return;
        }
        DtmfInfo.Digit d = DtmfInfo.parse(SipCore.contentType(req), body);
        if (d == null) {
            SIPResponse r = core.response(req, 415, "Unsupported Media Type", null);
            core.addHeader(r, "Accept", "application/dtmf-relay, application/dtmf");
            st.respond(r);
            return;
        }
        st.respond(core.response(req, 200, "OK", null));
        try {
            listener.onInfoDtmf(this, d.digit(), d.durationMs());
        } catch (RuntimeException e) {
            LOG.error("dialog listener failed", e);
        }
    }

    // ------------------------------------------------------------------ UAS 2xx reliability

    private final class Pending2xx {
        final SIPResponse ok;
        final long cseq;
        final InetSocketAddress dest;
        final Runnable onAck;
        long interval;
        ScheduledFuture<?> retransmit;
        ScheduledFuture<?> giveUp;

        Pending2xx(SIPResponse ok, long cseq, InetSocketAddress dest, Runnable onAck) {
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

    /**
     * Retransmits {@code ok} (T1 doubling up to T2, unreliable transports only) until the ACK with {@code cseq}
     * arrives; after 64*T1 runs {@code onTimeout}.
     */
    void await2xxAck(SIPResponse ok, ServerTransaction st, long cseq, Runnable onAck, Runnable onTimeout) {
        Pending2xx p = new Pending2xx(ok, cseq, st.responseDestination(), onAck);
        pending = p;
        long t1 = core.config.t1().toMillis();
        if (!transport.reliable()) {
            p.interval = t1;
            p.retransmit = schedule(() -> retransmit2xx(p), p.interval);
        }
        p.giveUp = schedule(() -> {
            if (pending == p) {
                pending = null;
                p.cancel();
                LOG.info("no ACK for 2xx (CSeq {}) within 64*T1", cseq);
                onTimeout.run();
            }
        }, 64 * t1);
    }

    private void retransmit2xx(Pending2xx p) {
        if (pending != p) {
            return;
        }
        core.metrics.retransmissionsSent.incrementAndGet();
        transport.send(p.ok, p.dest);
        p.interval = Math.min(2 * p.interval, core.config.t2().toMillis());
        p.retransmit = schedule(() -> retransmit2xx(p), p.interval);
    }

    void onAck(SIPRequest ack) {
        Pending2xx p = pending;
        if (p == null || ack.getCSeq().getSeqNumber() != p.cseq) {
            core.metrics.retransmissionsAbsorbed.incrementAndGet(); // ACK retransmission or stale
            return;
        }
        pending = null;
        p.cancel();
        String sdp = SipCore.sdp(ack);
        if (sdp != null) {
            remoteSdp = sdp; // answer to an offer we put in the 2xx
        }
        p.onAck.run();
    }

    // ------------------------------------------------------------------ RFC 4028 session timer

    /** UAS side: decide interval and refresher for a request we answer 2xx, and put them in {@code ok}. */
    void negotiateUas(SIPRequest req, SIPResponse ok) {
        SessionTimer.Offer o = SessionTimer.parseRequest(req);
        boolean supported = SessionTimer.supportsTimer(req);
        int interval;
        String refresher;
        if (o != null) {
            interval = Math.max(o.interval(), core.config.minSessionExpires());
            refresher = o.refresher() != null ? o.refresher() : supported ? "uac" : "uas";
        } else if (core.config.sessionExpires() > 0) {
            interval = core.config.sessionExpires();
            refresher = supported ? "uac" : "uas";
        } else {
            sessionInterval = 0;
            return;
        }
        if ("uac".equals(refresher) && !supported) {
            refresher = "uas";
        }
        core.addHeader(ok, "Session-Expires", interval + ";refresher=" + refresher);
        if ("uac".equals(refresher)) {
            core.addHeader(ok, "Require", "timer");
        }
        sessionInterval = interval;
        weRefresh = "uas".equals(refresher); // we are the UAS of this transaction
    }

    /** UAC side: take interval and refresher from a 2xx to our INVITE/UPDATE and (re)start the timer. */
    void negotiateUac(SIPResponse ok) {
        SessionTimer.Offer o = SessionTimer.parseRequest(ok);
        if (o == null) {
            sessionInterval = 0; // RFC 4028 §7.4: no Session-Expires in the 2xx, no session expiration
        } else {
            sessionInterval = o.interval();
            weRefresh = !"uas".equals(o.refresher());
        }
        startSessionTimer();
    }

    void startSessionTimer() {
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
        if (sessionInterval <= 0 || state == DialogState.TERMINATED) {
            return;
        }
        if (weRefresh) {
            sessionTimer = schedule(this::refresh, sessionInterval * 1000L / 2);
        } else {
            sessionTimer = schedule(() -> {
                LOG.info("session timer expired ({} s without refresh), sending BYE", sessionInterval);
                terminate(TerminationReason.SESSION_TIMER_EXPIRED, true);
            }, SessionTimer.expiryMillis(sessionInterval));
        }
    }

    private void refresh() {
        LOG.debug("session refresh by {}", peerAllowsUpdate ? "UPDATE" : "re-INVITE");
        if (state == DialogState.TERMINATED) {
            return;
        }
        if (outgoingInvite || incomingInvite || pending != null) {
            sessionTimer = schedule(this::refresh, core.config.t1().toMillis() * 4);
            return;
        }
        CompletableFuture<String> f = new CompletableFuture<>();
        f.whenComplete((a, err) -> {
            if (err != null && state != DialogState.TERMINATED) {
                LOG.info("session refresh failed: {}", err.toString());
                startSessionTimer(); // e.g. 491: try again at the next half interval
            }
        });
        if (peerAllowsUpdate) {
            sendUpdate(null, f);
        } else {
            sendInvite(localSdp, f);
        }
    }

    // ------------------------------------------------------------------ termination

    /** Ends the dialog once: optional BYE, listener notified, tables cleaned. Runs on the core loop. */
    void terminate(TerminationReason reason, boolean sendBye) {
        if (state == DialogState.TERMINATED) {
            return;
        }
        state = DialogState.TERMINATED;
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
        }
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        core.unregister(this);
        if (sendBye) {
            try {
                send(newRequest(Request.BYE, ++localCSeq),
                        finalOnly(r -> byeFuture.complete(null), () -> byeFuture.complete(null)));
            } catch (RuntimeException e) {
                LOG.warn("cannot send BYE", e);
                byeFuture.complete(null);
            }
        } else {
            byeFuture.complete(null);
        }
        String prev = MDC.get("callId");
        MDC.put("callId", callId);
        try {
            LOG.debug("dialog terminated: {}", reason.description());
            if (onTerminatedHook != null) {
                onTerminatedHook.run();
            }
            listener.onTerminated(this, reason);
        } catch (RuntimeException e) {
            LOG.error("dialog listener failed", e);
        } finally {
            if (prev == null) {
                MDC.remove("callId");
            } else {
                MDC.put("callId", prev);
            }
        }
    }

    private ScheduledFuture<?> schedule(Runnable r, long millis) {
        return core.loop.schedule(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("dialog timer failed", e);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }
}
