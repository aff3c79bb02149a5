package io.kinline.tests.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The called-party side of one incoming call. Driven by its {@link UasBehaviour} or, for
 * {@link UasBehaviour#manual()}, by the test through {@link #ring()}, {@link #answer},
 * {@link #reject}. In-dialog requests (ACK, BYE, re-INVITE, INFO, CANCEL) land in {@link #events()}.
 */
public final class ServerCall {

    private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

    public enum State { INCOMING, RINGING, ANSWERED, REJECTED, CANCELLED, TERMINATED }

    private final SipPeer peer;
    private final SipEvent invite;
    private final Request inviteRequest;
    private final ServerTransaction inviteTx;
    private final UasBehaviour behaviour;
    private final String toTag = SipPeer.tag();
    private final String localUser;
    final EventLog events = new EventLog();
    private volatile Dialog dialog;
    private volatile State state = State.INCOMING;
    private volatile String localSdp;
    private volatile String remoteSdp;
    private volatile UnaryOperator<String> reinviteAnswerer;

    ServerCall(SipPeer peer, SipEvent invite, Request req, ServerTransaction st, UasBehaviour behaviour) {
        this.peer = peer;
        this.invite = invite;
        this.inviteRequest = req;
        this.inviteTx = st;
        this.behaviour = behaviour;
        this.dialog = st.getDialog();
        String body = invite.body();
        this.remoteSdp = body.isEmpty() ? null : body;
        String ruri = invite.requestUri();
        int at = ruri == null ? -1 : ruri.indexOf('@');
        this.localUser = at > 4 ? ruri.substring(ruri.indexOf(':') + 1, at) : "peer";
        this.reinviteAnswerer = behaviour.answerer() != null ? behaviour.answerer() : offer -> localSdp;
    }

    public SipEvent invite() { return invite; }
    public String callId() { return invite.callId(); }
    public String requestUri() { return invite.requestUri(); }
    /** The offer in the INVITE (null if offerless), or the latest re-INVITE offer. */
    public String remoteSdp() { return remoteSdp; }
    public String localSdp() { return localSdp; }
    public State state() { return state; }
    public List<SipEvent> events() { return events.all(); }

    /** How to answer re-INVITEs: offer → answer SDP (default: the behaviour's answerer). */
    public ServerCall onReinvite(UnaryOperator<String> answerer) {
        this.reinviteAnswerer = answerer;
        return this;
    }

    void start() {
        send(100, null);
        if (behaviour.testDriven()) {
            return;
        }
        if (behaviour.ringMs() >= 0) {
            ring();
        }
        if (behaviour.finalCode() == 0) {
            return;
        }
        peer.schedule(() -> {
            if (behaviour.finalCode() == 200) {
                answer(behaviour.answerer() == null ? null : behaviour.answerer().apply(remoteSdp));
            } else {
                reject(behaviour.finalCode());
            }
        }, Math.max(0, behaviour.ringMs()));
    }

    /** Sends 180 Ringing. */
    public synchronized void ring() {
        if (state == State.INCOMING || state == State.RINGING) {
            send(180, null);
            state = State.RINGING;
        }
    }

    /** Sends 183 Session Progress with early-media SDP. */
    public synchronized void progress(String sdp) {
        if (state == State.INCOMING || state == State.RINGING) {
            send(183, sdp);
            localSdp = sdp;
        }
    }

    /** Sends 200 OK with this SDP; ignored if the call already has a final response. */
    public synchronized void answer(String sdp) {
        if (state != State.INCOMING && state != State.RINGING) {
            return;
        }
        localSdp = sdp;
        send(200, sdp);
        state = State.ANSWERED;
        if (behaviour.hangupAfterMs() >= 0) {
            peer.schedule(() -> {
                if (state == State.ANSWERED) {
                    bye();
                }
            }, behaviour.hangupAfterMs());
        }
    }

    /** Sends a final error response; ignored if the call already has a final response. */
    public synchronized void reject(int code) {
        if (state != State.INCOMING && state != State.RINGING) {
            return;
        }
        send(code, null);
        state = State.REJECTED;
    }

    /** Sends BYE (the called party hangs up). */
    public void bye() {
        try {
            peer.sendInDialog(dialog, dialog.createRequest(Request.BYE));
            state = State.TERMINATED;
        } catch (Exception e) {
            throw new IllegalStateException("BYE failed", e);
        }
    }

    /** Sends a re-INVITE with this SDP; the 2xx is ACKed automatically. */
    public void reinvite(String sdp) {
        try {
            Request re = dialog.createRequest(Request.INVITE);
            re.addHeader(peer.contact(localUser, transport()));
            if (sdp != null) {
                re.setContent(sdp, peer.sdpType());
                localSdp = sdp;
            }
            peer.sendInDialog(dialog, re);
        } catch (Exception e) {
            throw new IllegalStateException("re-INVITE failed", e);
        }
    }

    /** Takes the next request of this method in the call (ACK, BYE, INVITE, INFO, CANCEL, ...). */
    public SipEvent awaitRequest(String method, Duration timeout) {
        return events.await(e -> e.isRequest(method), timeout);
    }

    /** Takes the next response to a request we sent in this call (e.g. BYE 200). */
    public SipEvent awaitResponse(String method, int code, Duration timeout) {
        return events.await(e -> e.isResponse(method, code), timeout);
    }

    /** Waits until the call reaches {@code s}. */
    public boolean awaitState(State s, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state != s) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private String transport() {
        String via = invite.header("Via");
        return via != null && via.toUpperCase().contains("/TCP") ? "tcp" : "udp";
    }

    private void send(int code, String sdp) {
        try {
            Response r = peer.messages.createResponse(code, inviteRequest);
            if (code >= 200) {
                for (var h : behaviour.finalHeaders().entrySet()) {
                    peer.addHeader(r, h.getKey(), h.getValue());
                }
            }
            if (code > 100) {
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTag);
            }
            if (code > 100 && code < 300) {
                r.addHeader(peer.contact(localUser, transport()));
            }
            if (sdp != null) {
                r.setContent(sdp, peer.sdpType());
            }
            inviteTx.sendResponse(r);
            if (dialog == null) {
                dialog = inviteTx.getDialog();
            }
        } catch (Exception e) {
            log.warn("cannot send {} for {}", code, callId(), e);
        }
    }

    // ------------------------------------------------------------------ stack callbacks

    void onAck(SipEvent ev) {
        events.add(ev);
    }

    synchronized void onCancel(SipEvent ev) {
        // State first: a test woken by the CANCEL event (or by the 487 at the caller) reads state() at once.
        if (state == State.INCOMING || state == State.RINGING) {
            state = State.CANCELLED;
            send(487, null);
        }
        events.add(ev);
    }

    void onRequest(SipEvent ev, Request req, ServerTransaction st) throws Exception {
        try {
            answerRequest(req, st);
        } finally {
            events.add(ev); // last: a test woken by the event sees the new state
        }
    }

    private void answerRequest(Request req, ServerTransaction st) throws Exception {
        String m = req.getMethod();
        Response resp = peer.messages.createResponse(Response.OK, req);
        if (Request.BYE.equals(m)) {
            state = State.TERMINATED;
        } else if (Request.INVITE.equals(m) || Request.UPDATE.equals(m)) {
            String offer = req.getRawContent() == null ? null : new String(req.getRawContent(), StandardCharsets.UTF_8);
            if (offer != null) {
                remoteSdp = offer;
            }
            resp.addHeader(peer.contact(localUser, transport()));
            String answer = reinviteAnswerer.apply(offer);
            if (answer != null) {
                resp.setContent(answer, peer.sdpType());
                localSdp = answer;
            }
        }
        st.sendResponse(resp);
    }

    void onResponse(SipEvent ev, Response r, ClientTransaction ct) throws Exception {
        try {
            CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
            if (Request.INVITE.equals(cseq.getMethod()) && r.getStatusCode() >= 200 && r.getStatusCode() < 300
                    && ct != null) {
                if (r.getRawContent() != null && r.getRawContent().length > 0) {
                    remoteSdp = new String(r.getRawContent(), StandardCharsets.UTF_8);
                }
                dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
            }
        } finally {
            events.add(ev);
        }
    }
}
