package io.kinline.sip.core;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.log.CallMdc;
import io.kinline.sip.DialogListener;
import io.kinline.sip.OutboundCall;
import io.kinline.sip.OutboundCallListener;
import io.kinline.sip.OutboundCallRequest;
import io.kinline.sip.SipConfig;
import io.kinline.sip.StatusPhrase;
import io.kinline.sip.TerminationReason;
import io.kinline.sip.transaction.ClientListener;
import io.kinline.sip.transaction.ClientTransaction;
import io.kinline.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** An outbound INVITE to the trunk, with one digest-auth retry and one 422 retry. */
final class OutboundCallImpl implements OutboundCall, ClientListener {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundCallImpl.class);

    private final SipCore core;
    private final OutboundCallRequest request;
    private final OutboundCallListener listener;
    private final DialogListener dialogListener;
    private final String callId;
    private final String localTag = SipMessages.newTag();
    private final Transport transport;
    private long cseq = 1;
    private int sessionExpires;
    private ClientTransaction ct;
    private SIPRequest invite;
    private boolean authTried;
    private boolean seRetried;
    private boolean cancelRequested;
    private boolean done;
    private DialogImpl dialog;

    OutboundCallImpl(SipCore core, OutboundCallRequest request, OutboundCallListener listener,
                     DialogListener dialogListener) {
        this.core = core;
        this.request = request;
        this.listener = listener;
        this.dialogListener = dialogListener;
        this.transport = core.transport(core.config().trunkTransport());
        this.callId = SipMessages.newCallId(transport.localAddress().getAddress().getHostAddress());
        this.sessionExpires = core.config().sessionExpires();
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public void cancel() {
        core.execute(() -> {
            if (dialog != null) {
                dialog.terminate(TerminationReason.LOCAL_BYE, true);
            } else if (!done && ct != null) {
                cancelRequested = true;
                ct.cancel();
            }
        });
    }

    void start() {
        CallMdc.run(callId, () -> {
            try {
                invite = buildInvite(null, null);
                ct = core.sendRequest(invite, transport, core.config().trunk(), this);
            } catch (RuntimeException e) {
                LOG.error("cannot place call", e);
                fail(500, StatusPhrase.of(500));
            }
        });
    }

    private SIPRequest buildInvite(String authHeaderName, String authValue) {
        SipConfig cfg = core.config();
        SipMessages m = core.messages();
        InetSocketAddress trunk = cfg.trunk();
        SipURI ruri = m.sipUri(request.number(), SipMessages.hostOf(trunk), trunk.getPort());
        if (transport.reliable()) {
            try {
                ruri.setTransportParam(transport.name());
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        String callerId = request.callerId() != null ? request.callerId() : cfg.callerId();
        Address from = m.address(m.sipUri(callerId, SipMessages.hostOf(transport.localAddress()), 0),
                request.displayName());
        Address to = m.address(m.sipUri(request.number(), SipMessages.hostOf(trunk), 0), null);
        SIPRequest r = m.request(ruri, Request.INVITE, callId, cseq, from, localTag, to, null, transport);
        m.addHeader(r, "Supported", SipMessages.SUPPORTED);
        if (sessionExpires > 0) {
            m.addHeader(r, "Session-Expires", Integer.toString(sessionExpires));
            m.addHeader(r, "Min-SE", Integer.toString(Math.min(sessionExpires, Math.max(cfg.minSessionExpires(), 1))));
        }
        for (Map.Entry<String, String> e : request.extraHeaders().entrySet()) {
            m.addHeader(r, e.getKey(), e.getValue());
        }
        if (authHeaderName != null) {
            m.addHeader(r, authHeaderName, authValue);
        }
        m.setBody(r, "application/sdp", request.sdpOffer());
        return r;
    }

    @Override
    public void onResponse(ClientTransaction from, SIPResponse r) {
        int status = r.getStatusCode();
        if (status >= 200 && status < 300) {
            on2xx(r);
            return;
        }
        if (from != ct || done) {
            return; // a late response of a superseded attempt
        }
        if (status < 200) {
            if (status > 100) {
                safe(() -> listener.onProvisional(this, status, SipMessages.sdp(r)));
            }
            return;
        }
        if ((status == 401 || status == 407) && !authTried && !cancelRequested
                && core.config().trunkUsername() != null) {
            authTried = true;
            String challengeName = status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
            Header h = r.getHeader(challengeName);
            if (h != null) {
                retry(status == 401 ? "Authorization" : "Proxy-Authorization",
                        credentials(((SIPHeader) h).getHeaderValue()));
                return;
            }
        }
        if (status == 422 && !seRetried && !cancelRequested) {
            int minSe = SessionExpires.minSe(r);
            if (minSe > 0) {
                seRetried = true;
                sessionExpires = Math.max(minSe, sessionExpires);
                retry(null, null);
                return;
            }
        }
        fail(status, r.getReasonPhrase());
    }

    private void retry(String authName, String authValue) {
        cseq++;
        invite = buildInvite(authName, authValue);
        ct = core.sendRequest(invite, transport, core.config().trunk(), this);
    }

    private String credentials(String challenge) {
        Map<String, String> p = Digest.params(challenge);
        String realm = p.getOrDefault("realm", "");
        String nonce = p.getOrDefault("nonce", "");
        String qopOffer = p.get("qop");
        String qop = qopOffer != null && List.of(qopOffer.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("auth")
                ? "auth" : null;
        String uri = invite.getRequestURI().toString();
        String user = core.config().trunkUsername();
        String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String nc = "00000001";
        String response = Digest.response(user, realm, core.config().trunkPassword(), Request.INVITE, uri, nonce, nc,
                cnonce, qop);
        StringBuilder sb = new StringBuilder("Digest username=\"").append(user)
                .append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri)
                .append("\", response=\"").append(response)
                .append("\", algorithm=MD5");
        if (qop != null) {
            sb.append(", cnonce=\"").append(cnonce).append("\", nc=").append(nc).append(", qop=").append(qop);
        }
        if (p.containsKey("opaque")) {
            sb.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        return sb.toString();
    }

    private void on2xx(SIPResponse r) {
        if (dialog != null) {
            if (java.util.Objects.equals(r.getToTag(), dialog.remoteTag())) {
                dialog.onRetransmitted2xx(r);
            } else {
                // a 2xx from another fork (RFC 3261 §13.2.2.4): confirm it with ACK, then end it with BYE
                DialogImpl fork = DialogImpl.uac(core, invite, r, transport, core.config().trunk(), null);
                core.register(fork);
                fork.ack(r.getCSeq().getSeqNumber());
                fork.terminate(TerminationReason.LOCAL_BYE, true);
            }
            return;
        }
        if (done) {
            return;
        }
        done = true;
        dialog = DialogImpl.uac(core, invite, r, transport, core.config().trunk(), dialogListener);
        core.register(dialog);
        dialog.ack(r.getCSeq().getSeqNumber());
        if (cancelRequested) {
            // the 200 crossed our CANCEL: the call is up, so end it (RFC 3261 §9.1)
            dialog.terminate(TerminationReason.LOCAL_BYE, true);
            safe(() -> listener.onFailed(this, 487, StatusPhrase.of(487)));
            return;
        }
        dialog.confirmed(r);
        DialogImpl d = dialog;
        safe(() -> listener.onAnswered(this, d, SipMessages.sdp(r)));
    }

    @Override
    public void onTimeout(ClientTransaction from, boolean transportError) {
        if (from != ct || done) {
            return;
        }
        int status = transportError ? 503 : 408;
        fail(status, StatusPhrase.of(status));
    }

    private void fail(int status, String reason) {
        if (done) {
            return;
        }
        done = true;
        safe(() -> listener.onFailed(this, status, reason));
    }

    private static void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("outbound call listener failed", e);
        }
    }
}
