package io.kinline.sip.core;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.log.CallMdc;
import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.DialogState;
import io.kinline.sip.SipFailure;
import io.kinline.sip.TerminationReason;
import io.kinline.sip.transaction.ClientListener;
import io.kinline.sip.transaction.ClientTransaction;
import io.kinline.sip.transaction.ServerTransaction;
import io.kinline.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A dialog (RFC 3261 §12): its identity and route set, target refresh, in-dialog requests both ways and
 * re-INVITE/UPDATE offer-answer. The 2xx reliability of INVITEs is {@link Reliable2xx}'s and the RFC 4028
 * session timer {@link SessionTimer}'s. State is confined to the core event loop; public methods hop onto it.
 */
final class DialogImpl implements Dialog, SessionTimer.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(DialogImpl.class);

    private final SipCore core;
    private final SipMessages messages;
    private final String callId;
    private final String localTag;
    private final String remoteTag;
    private final boolean uac;
    private final Address localAddress;
    private final Address remoteAddress;
    private final Transport transport;
    private final InetSocketAddress peer;
    private final DialogListener listener;
    private final List<Address> routeSet;
    private final Reliable2xx reliable2xx;
    private final SessionTimer sessionTimer;
    private URI remoteTarget;
    private long localCSeq;
    private long remoteCSeq = -1;
    private volatile DialogState state = DialogState.CONFIRMED;
    private volatile String remoteSdp;
    private volatile String localSdp;
    private boolean peerAllowsUpdate;
    private boolean outgoingInvite;
    private boolean incomingInvite;
    private final CompletableFuture<Void> byeFuture = new CompletableFuture<>();
    Runnable onTerminatedHook;
    /** In-dialog requests go to {@code peer} (where the dialog-forming INVITE came from), not the Contact. */
    private boolean toSource;

    private DialogImpl(SipCore core, SIPMessage dialogForming, String callId, String localTag, String remoteTag,
                       boolean uac, Address localAddress, Address remoteAddress, URI remoteTarget,
                       List<Address> routeSet, Transport transport, InetSocketAddress peer, DialogListener listener) {
        this.core = core;
        this.messages = core.messages();
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
        this.reliable2xx = new Reliable2xx(core, transport, this::nextHop);
        this.sessionTimer = new SessionTimer(core, this);
        this.peerAllowsUpdate = SipMessages.allows(dialogForming, Request.UPDATE);
        this.remoteSdp = SipMessages.sdp(dialogForming);
    }

    /** UAS dialog created by our 2xx to {@code invite}. */
    static DialogImpl uas(SipCore core, SIPRequest invite, String localTag, Transport transport,
                          InetSocketAddress peer, boolean routeToSource, DialogListener listener) {
        URI target = invite.getContactHeader() != null ? SipMessages.contactUri(invite)
                : (URI) invite.getFrom().getAddress().getURI().clone();
        DialogImpl d = new DialogImpl(core, invite, invite.getCallId().getCallId(), localTag, invite.getFromTag(),
                false, SipMessages.copy(invite.getTo().getAddress()), SipMessages.copy(invite.getFrom().getAddress()),
                target, SipMessages.recordRoutes(invite), transport, peer, listener);
        // A gateway behind NAT without an ALG advertises its private address: requests sent there are lost. Like
        // Kamailio's nathelper (fix_nated_contact) and RFC 5626 flows, send them where its INVITE came from.
        d.toSource = routeToSource || SipMessages.natContact(target, peer);
        d.remoteCSeq = invite.getCSeq().getSeqNumber();
        d.localCSeq = ThreadLocalRandom.current().nextInt(1, 10_000);
        return d;
    }

    /** UAC dialog created by a 2xx to our {@code invite}. */
    static DialogImpl uac(SipCore core, SIPRequest invite, SIPResponse ok, Transport transport,
                          InetSocketAddress peer, DialogListener listener) {
        URI target = ok.getContactHeader() != null ? SipMessages.contactUri(ok) : (URI) invite.getRequestURI().clone();
        DialogImpl d = new DialogImpl(core, ok, invite.getCallId().getCallId(), invite.getFromTag(), ok.getToTag(),
                true, SipMessages.copy(invite.getFrom().getAddress()), SipMessages.copy(invite.getTo().getAddress()),
                target, SipMessages.reversed(SipMessages.recordRoutes(ok)), transport, peer, listener);
        d.localCSeq = invite.getCSeq().getSeqNumber();
        d.localSdp = SipMessages.body(invite);
        return d;
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
            messages.setBody(info, "application/dtmf-relay", DtmfInfo.relayBody(digit, durationMs));
            send(info, finalOnly(r -> {
                if (r.getStatusCode() < 300) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(new SipFailure(r.getStatusCode(), r.getReasonPhrase()));
                }
            }, () -> f.completeExceptionally(SipFailure.of(408))));
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

    // ------------------------------------------------------------------ SessionTimer.Owner

    @Override
    public boolean ended() {
        return state == DialogState.TERMINATED;
    }

    @Override
    public boolean busy() {
        return outgoingInvite || incomingInvite || reliable2xx.awaitingAck();
    }

    @Override
    public void refresh(CompletableFuture<String> done) {
        LOG.debug("session refresh by {}", peerAllowsUpdate ? "UPDATE" : "re-INVITE");
        if (peerAllowsUpdate) {
            sendUpdate(null, done);
        } else {
            sendInvite(localSdp, done);
        }
    }

    @Override
    public void expired() {
        terminate(TerminationReason.SESSION_TIMER_EXPIRED, true);
    }

    // ------------------------------------------------------------------ outgoing requests

    private SIPRequest newRequest(String method, long cseq) {
        SIPRequest r = messages.request((URI) remoteTarget.clone(), method, callId, cseq,
                SipMessages.copy(localAddress), localTag, SipMessages.copy(remoteAddress), remoteTag, transport);
        for (Address a : routeSet) {
            messages.addRoute(r, a);
        }
        return r;
    }

    private InetSocketAddress nextHop() {
        if (routeSet.isEmpty() && (toSource || transport.hasConnection(peer))) {
            // A gateway behind NAT (toSource), or a TLS or WebSocket client: where its INVITE came from, its
            // own connection, whatever its Contact says (RFC 5626).
            return peer;
        }
        return SipMessages.destination(routeSet.isEmpty() ? remoteTarget : routeSet.get(0).getURI(), peer);
    }

    private ClientTransaction send(SIPRequest req, ClientListener l) {
        return core.sendRequest(req, transport, nextHop(), l);
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

    private void sendInvite(String sdp, CompletableFuture<String> result) {
        if (state == DialogState.TERMINATED) {
            result.completeExceptionally(SipFailure.of(481));
            return;
        }
        if (busy()) {
            result.completeExceptionally(SipFailure.of(491));
            return;
        }
        outgoingInvite = true;
        long cseq = ++localCSeq;
        SIPRequest req = newRequest(Request.INVITE, cseq);
        sessionTimer.addTo(req);
        messages.setBody(req, "application/sdp", sdp);
        send(req, new ClientListener() {
            boolean answered;

            @Override
            public void onResponse(ClientTransaction ct, SIPResponse r) {
                int status = r.getStatusCode();
                if (status < 200) {
                    return;
                }
                if (status >= 300) {
                    outgoingInvite = false;
                    offerRefused(r, result);
                } else if (answered) {
                    reliable2xx.onRetransmitted2xx(r);
                } else {
                    answered = true;
                    outgoingInvite = false;
                    takeTarget(r); // the ACK goes to the target the 2xx names
                    ack(cseq);
                    offerAnswered(r, sdp, result);
                }
            }

            @Override
            public void onTimeout(ClientTransaction ct, boolean transportError) {
                outgoingInvite = false;
                offerTimedOut(transportError, result);
            }
        });
    }

    private void sendUpdate(String sdp, CompletableFuture<String> result) {
        if (state == DialogState.TERMINATED) {
            result.completeExceptionally(SipFailure.of(481));
            return;
        }
        SIPRequest req = newRequest(Request.UPDATE, ++localCSeq);
        sessionTimer.addTo(req);
        messages.setBody(req, "application/sdp", sdp);
        send(req, finalOnly(r -> {
            if (r.getStatusCode() < 300) {
                offerAnswered(r, sdp, result);
            } else {
                offerRefused(r, result);
            }
        }, () -> offerTimedOut(false, result)));
    }

    /** A 2xx to our re-INVITE or UPDATE: take the answer and the new target, restart the session timer. */
    private void offerAnswered(SIPResponse r, String offered, CompletableFuture<String> result) {
        String answer = SipMessages.sdp(r);
        if (answer != null) {
            remoteSdp = answer;
        }
        if (offered != null) {
            localSdp = offered;
        }
        takeTarget(r);
        sessionTimer.negotiateUac(r);
        result.complete(answer);
    }

    /** A final non-2xx: the offer failed; 408 and 481 mean the dialog is gone (RFC 3261 §14.1). */
    private void offerRefused(SIPResponse r, CompletableFuture<String> result) {
        int status = r.getStatusCode();
        result.completeExceptionally(new SipFailure(status, r.getReasonPhrase()));
        if (status == 408 || status == 481) {
            terminate(TerminationReason.TRANSPORT_FAILURE, status == 408);
        }
    }

    private void offerTimedOut(boolean transportError, CompletableFuture<String> result) {
        result.completeExceptionally(SipFailure.of(transportError ? 503 : 408));
        terminate(TerminationReason.TRANSPORT_FAILURE, true);
    }

    /** UAC: ACK for a 2xx to the INVITE with {@code cseq}. */
    void ack(long cseq) {
        reliable2xx.ack(newRequest(Request.ACK, cseq), cseq);
    }

    /** UAC: a retransmitted 2xx to our initial INVITE. */
    void onRetransmitted2xx(SIPResponse r) {
        reliable2xx.onRetransmitted2xx(r);
    }

    // ------------------------------------------------------------------ incoming requests

    void onRequest(ServerTransaction st, SIPRequest req) {
        String method = req.getMethod();
        long cseq = req.getCSeq().getSeqNumber();
        if (state == DialogState.TERMINATED) {
            st.respond(messages.response(req, 481, null));
            return;
        }
        if (remoteCSeq >= 0 && cseq <= remoteCSeq) {
            st.respond(messages.response(req, 500, "Server Internal Error - CSeq out of order", null));
            return;
        }
        remoteCSeq = cseq;
        switch (method) {
            case Request.BYE -> {
                st.respond(messages.response(req, 200, null));
                terminate(TerminationReason.REMOTE_BYE, false);
            }
            case Request.INVITE -> onReInvite(st, req);
            case Request.UPDATE -> onUpdate(st, req);
            case Request.INFO -> onInfo(st, req);
            case Request.OPTIONS -> st.respond(core.options(req));
            default -> {
                SIPResponse r = messages.response(req, 405, null);
                messages.addHeader(r, "Allow", SipMessages.ALLOW);
                st.respond(r);
            }
        }
    }

    private void onReInvite(ServerTransaction st, SIPRequest req) {
        if (outgoingInvite) {
            st.respond(messages.response(req, 491, null));
            return;
        }
        if (incomingInvite || reliable2xx.awaitingAck()) {
            SIPResponse r = messages.response(req, 500, null);
            messages.addHeader(r, "Retry-After", Integer.toString(ThreadLocalRandom.current().nextInt(0, 10)));
            st.respond(r);
            return;
        }
        if (SessionTimer.refuseTooShort(core, st, req)) {
            return;
        }
        takeTarget(req);
        String offer = SipMessages.sdp(req);
        incomingInvite = true;
        long cseq = req.getCSeq().getSeqNumber();
        askListener(true, offer).whenComplete((answer, err) -> core.execute(() -> {
            incomingInvite = false;
            if (answered(st, req, offer, answer, err)) {
                SIPResponse ok = okWithSdp(req, answer);
                st.respond(ok);
                reliable2xx.awaitAck(ok, st, cseq, sessionTimer::start,
                        () -> terminate(TerminationReason.ACK_TIMEOUT, true));
            }
        }));
    }

    private void onUpdate(ServerTransaction st, SIPRequest req) {
        if (SessionTimer.refuseTooShort(core, st, req)) {
            return;
        }
        takeTarget(req);
        String offer = SipMessages.sdp(req);
        if (offer == null) { // pure session refresh
            SIPResponse ok = messages.response(req, 200, localTag);
            ok.addHeader(messages.contact(transport));
            sessionTimer.negotiateUas(req, ok);
            st.respond(ok);
            sessionTimer.start();
            return;
        }
        askListener(false, offer).whenComplete((answer, err) -> core.execute(() -> {
            if (answered(st, req, offer, answer, err)) {
                st.respond(okWithSdp(req, answer));
                sessionTimer.start();
            }
        }));
    }

    /** A re-INVITE or UPDATE, or a 2xx to ours, may change the remote target (RFC 3261 §12.2). */
    private void takeTarget(SIPMessage m) {
        if (m.getContactHeader() != null) {
            remoteTarget = SipMessages.contactUri(m);
        }
    }

    /**
     * The listener's answer to an offer we received: false when the dialog or the transaction has gone
     * meanwhile, or (after sending the rejection) when there is no answer; true when the answer is taken.
     */
    private boolean answered(ServerTransaction st, SIPRequest req, String offer, String answer, Throwable err) {
        if (state == DialogState.TERMINATED || !st.canRespondFinal()) {
            return false;
        }
        if (err != null || answer == null) {
            st.respond(rejection(req, err));
            return false;
        }
        localSdp = answer;
        if (offer != null) {
            remoteSdp = offer;
        }
        return true;
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
        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (c instanceof SipFailure f && f.status() >= 300 && f.status() < 700) {
            return messages.response(req, f.status(), f.reason(), localTag);
        }
        return messages.response(req, 488, localTag);
    }

    /**
     * Our 2xx with SDP to an INVITE or UPDATE that formed or continues this dialog: Contact, Allow,
     * Supported, the session timer settled for it, the body. The answer to the initial INVITE is one too.
     */
    SIPResponse okWithSdp(SIPRequest req, String sdp) {
        SIPResponse ok = messages.response(req, 200, localTag);
        ok.addHeader(messages.contact(transport));
        messages.addHeader(ok, "Allow", SipMessages.ALLOW);
        messages.addHeader(ok, "Supported", SipMessages.SUPPORTED);
        sessionTimer.negotiateUas(req, ok);
        messages.setBody(ok, "application/sdp", sdp);
        return ok;
    }

    /** UAS: our 2xx to the initial INVITE went out; the dialog is confirmed by its ACK. */
    void answeredInvite(SIPResponse ok, ServerTransaction st, String sdp, Runnable onAck) {
        localSdp = sdp;
        reliable2xx.awaitAck(ok, st, st.request().getCSeq().getSeqNumber(), () -> {
            sessionTimer.start();
            onAck.run();
        }, () -> terminate(TerminationReason.ACK_TIMEOUT, true));
    }

    /** UAC: the 2xx to our initial INVITE settles the session timer. */
    void confirmed(SIPResponse ok) {
        sessionTimer.negotiateUac(ok);
    }

    private void onInfo(ServerTransaction st, SIPRequest req) {
        String body = SipMessages.body(req);
        if (body == null) {
            st.respond(messages.response(req, 200, null)); // an INFO ping
            return;
        }
        DtmfInfo.Digit d = DtmfInfo.parse(SipMessages.contentType(req), body);
        if (d == null) {
            SIPResponse r = messages.response(req, 415, null);
            messages.addHeader(r, "Accept", "application/dtmf-relay, application/dtmf");
            st.respond(r);
            return;
        }
        st.respond(messages.response(req, 200, null));
        try {
            listener.onInfoDtmf(this, d.digit(), d.durationMs());
        } catch (RuntimeException e) {
            LOG.error("dialog listener failed", e);
        }
    }

    /** UAS: an ACK in this dialog; the one that confirms our 2xx may carry the answer to an offer we made in it. */
    void onAck(SIPRequest ack) {
        Runnable confirmed = reliable2xx.onAck(ack);
        if (confirmed == null) {
            return;
        }
        String sdp = SipMessages.sdp(ack);
        if (sdp != null) {
            remoteSdp = sdp;
        }
        confirmed.run();
    }

    // ------------------------------------------------------------------ termination

    /** Ends the dialog once: optional BYE, listener notified, tables cleaned. Runs on the core loop. */
    void terminate(TerminationReason reason, boolean sendBye) {
        if (state == DialogState.TERMINATED) {
            return;
        }
        state = DialogState.TERMINATED;
        sessionTimer.cancel();
        reliable2xx.cancel();
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
        CallMdc.run(callId, () -> {
            try {
                LOG.debug("dialog terminated: {}", reason.description());
                if (onTerminatedHook != null) {
                    onTerminatedHook.run();
                }
                listener.onTerminated(this, reason);
            } catch (RuntimeException e) {
                LOG.error("dialog listener failed", e);
            }
        });
    }
}
