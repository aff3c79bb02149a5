package io.kinline.tests.peer;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller side of one call placed by {@link SipPeer#call}. Responses and in-dialog requests
 * land in {@link #events()}; the await methods take events in arrival order (see {@link EventLog}).
 * 2xx to INVITE are ACKed automatically unless {@link #autoAck(boolean)} is off. A 401/407 is
 * answered once with the peer's credentials, if it has some.
 */
public final class ClientCall {

    private static final Logger log = LoggerFactory.getLogger(ClientCall.class);

    private final SipPeer peer;
    private final String callId;
    private final String fromUser;
    private final String transport;
    final EventLog events = new EventLog();

    private volatile ClientTransaction inviteTx;
    private volatile Request lastInvite;
    private volatile Dialog dialog;
    private volatile String localSdp;
    private volatile String remoteSdp;
    private volatile boolean autoAck = true;
    private volatile long pendingAckCseq = -1;
    private volatile UnaryOperator<String> reinviteAnswerer;
    private int authAttempts;

    ClientCall(SipPeer peer, String callId, String fromUser, String transport, String sdp) {
        this.peer = peer;
        this.callId = callId;
        this.fromUser = fromUser;
        this.transport = transport;
        this.localSdp = sdp;
        this.reinviteAnswerer = offer -> localSdp;
    }

    public String callId() { return callId; }
    public String localSdp() { return localSdp; }
    /** SDP of the last 2xx (or 18x with SDP) to our INVITE, or of the last re-INVITE received. */
    public String remoteSdp() { return remoteSdp; }
    public List<SipEvent> events() { return events.all(); }
    public Dialog dialog() { return dialog; }

    /** Whether a 2xx to INVITE is ACKed at once (default) or left to {@link #ack()}. */
    public ClientCall autoAck(boolean on) {
        this.autoAck = on;
        return this;
    }

    /** How to answer a re-INVITE from the far end: offer SDP → answer SDP (default: our last SDP). */
    public ClientCall onReinvite(UnaryOperator<String> answerer) {
        this.reinviteAnswerer = answerer;
        return this;
    }

    void sendInitial(Request invite) throws Exception {
        lastInvite = invite;
        ClientTransaction ct = peer.newClientTransaction(invite);
        inviteTx = ct;
        dialog = ct.getDialog();
        ct.sendRequest();
    }

    // ------------------------------------------------------------------ awaiting

    /** Takes the next response to INVITE with this code; null on timeout. */
    public SipEvent awaitResponse(int code, Duration timeout) {
        return events.await(e -> e.isResponse(Request.INVITE, code), timeout);
    }

    /** Takes the next response to {@code method} with this code; null on timeout. */
    public SipEvent awaitResponse(String method, int code, Duration timeout) {
        return events.await(e -> e.isResponse(method, code), timeout);
    }

    /** Takes the next final response to INVITE (≥ 200, ignoring 401/407 answered by us); null on timeout. */
    public SipEvent awaitFinal(Duration timeout) {
        return events.await(e -> e.isFinal(Request.INVITE) && !answeredChallenges.contains(e), timeout);
    }

    /** Status of the next final response to INVITE, or -1 on timeout. */
    public int awaitFinalStatus(Duration timeout) {
        SipEvent e = awaitFinal(timeout);
        return e == null ? -1 : e.status();
    }

    /** Takes the next request of this method received in the call (BYE, INVITE, INFO, ...). */
    public SipEvent awaitRequest(String method, Duration timeout) {
        return events.await(e -> e.isRequest(method), timeout);
    }

    /** Takes the next transaction timeout in this call. */
    public SipEvent awaitTimeout(Duration timeout) {
        return events.await(e -> e.kind() == SipEvent.Kind.TIMEOUT, timeout);
    }

    /** 401/407 we answered by re-sending the INVITE: not a final outcome of the call. */
    private final java.util.Set<SipEvent> answeredChallenges = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // ------------------------------------------------------------------ actions

    /** Sends the ACK for the last 2xx to INVITE (when auto-ACK is off). */
    public void ack() {
        long cseq = pendingAckCseq;
        if (cseq < 0) {
            throw new IllegalStateException("no 2xx to acknowledge");
        }
        try {
            Request ack = dialog.createAck(cseq);
            dialog.sendAck(ack);
            pendingAckCseq = -1;
        } catch (Exception e) {
            throw new IllegalStateException("ACK failed", e);
        }
    }

    /** Sends BYE in the dialog. */
    public void bye() {
        try {
            peer.sendInDialog(dialog, dialog.createRequest(Request.BYE));
        } catch (Exception e) {
            throw new IllegalStateException("BYE failed", e);
        }
    }

    /** CANCELs the pending INVITE. */
    public void cancel() {
        try {
            Request cancel = inviteTx.createCancel();
            peer.newClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            throw new IllegalStateException("CANCEL failed", e);
        }
    }

    /** Sends a re-INVITE with this SDP (null: offerless). Its 2xx is ACKed automatically. */
    public void reinvite(String sdp) {
        try {
            Request re = dialog.createRequest(Request.INVITE);
            re.addHeader(peer.contact(fromUser, transport));
            if (sdp != null) {
                re.setContent(sdp, peer.sdpType());
                localSdp = sdp;
            }
            peer.sendInDialog(dialog, re);
        } catch (Exception e) {
            throw new IllegalStateException("re-INVITE failed", e);
        }
    }

    /** Sends a SIP INFO with application/dtmf-relay (Signal=digit, Duration=ms). */
    public void sendInfoDtmf(char digit, int durationMs) {
        try {
            Request info = dialog.createRequest(Request.INFO);
            info.setContent("Signal=" + digit + "\r\nDuration=" + durationMs + "\r\n",
                    peer.headers.createContentTypeHeader("application", "dtmf-relay"));
            peer.sendInDialog(dialog, info);
        } catch (Exception e) {
            throw new IllegalStateException("INFO failed", e);
        }
    }

    public void sendInfoDtmf(char digit) {
        sendInfoDtmf(digit, 160);
    }

    /** Sends any in-dialog request (e.g. UPDATE, OPTIONS) with an optional body. */
    public void sendInDialog(String method, String contentType, String body) {
        try {
            Request r = dialog.createRequest(method);
            if (body != null) {
                String[] ct = contentType.split("/", 2);
                r.setContent(body, peer.headers.createContentTypeHeader(ct[0], ct[1]));
            }
            peer.sendInDialog(dialog, r);
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed", e);
        }
    }

    // ------------------------------------------------------------------ stack callbacks

    void onResponse(SipEvent ev, Response r, ClientTransaction ct, Dialog d) throws Exception {
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod())) {
            events.add(ev);
            return;
        }
        int code = r.getStatusCode();
        boolean initial = ct != null && ct == inviteTx;
        if ((code == 401 || code == 407) && initial && peer.authUser != null && authAttempts == 0) {
            authAttempts++;
            answeredChallenges.add(ev);
            events.add(ev);
            resendWithCredentials(r, code == 407);
            return;
        }
        // The SDP first: a test woken by the event reads remoteSdp() at once.
        if (r.getRawContent() != null && r.getRawContent().length > 0) {
            remoteSdp = new String(r.getRawContent(), java.nio.charset.StandardCharsets.UTF_8);
        }
        events.add(ev);
        if (code >= 200 && code < 300) {
            if (d != null) {
                dialog = d;
            }
            if (ct == null) {
                return; // retransmitted 2xx: the stack re-sends our ACK itself
            }
            boolean isReinvite = !initial;
            if (autoAck || isReinvite) {
                Request ack = dialog.createAck(cseq.getSeqNumber());
                dialog.sendAck(ack);
            } else {
                pendingAckCseq = cseq.getSeqNumber();
            }
        }
    }

    private void resendWithCredentials(Response challenge, boolean proxy) throws Exception {
        Request again = (Request) lastInvite.clone();
        again.removeHeader(ViaHeader.NAME);
        again.addHeader(peer.headers.createViaHeader(peer.host, peer.port, transport, null));
        CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        again.removeHeader(AuthorizationHeader.NAME);
        again.removeHeader(ProxyAuthorizationHeader.NAME);
        String chal = challenge.getHeader(proxy ? "Proxy-Authenticate" : "WWW-Authenticate").toString();
        chal = chal.substring(chal.indexOf(':') + 1).trim();
        String value = DigestAuth.authorization(chal, peer.authUser, peer.authPassword, Request.INVITE,
                again.getRequestURI().toString(), 1);
        again.addHeader(peer.headers.createHeader(proxy ? "Proxy-Authorization" : "Authorization", value));
        lastInvite = again;
        ClientTransaction ct = peer.newClientTransaction(again);
        inviteTx = ct;
        dialog = ct.getDialog();
        ct.sendRequest();
        log.debug("re-sent INVITE with {} credentials", proxy ? "proxy" : "www");
    }

    void onRequest(SipEvent ev, Request req, ServerTransaction st) throws Exception {
        events.add(ev);
        String m = req.getMethod();
        Response resp;
        if (Request.INVITE.equals(m) || Request.UPDATE.equals(m)) {
            String offer = req.getRawContent() == null ? null
                    : new String(req.getRawContent(), java.nio.charset.StandardCharsets.UTF_8);
            if (offer != null) {
                remoteSdp = offer;
            }
            resp = peer.messages.createResponse(Response.OK, req);
            resp.addHeader(peer.contact(fromUser, transport));
            String answer = reinviteAnswerer.apply(offer);
            if (answer != null) {
                resp.setContent(answer, peer.sdpType());
                localSdp = answer;
            }
        } else {
            resp = peer.messages.createResponse(Response.OK, req);
        }
        st.sendResponse(resp);
    }
}
