package io.kinline.sip.core;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.InboundCall;
import io.kinline.sip.SipFailure;
import io.kinline.sip.StatusPhrase;
import io.kinline.sip.transaction.ServerTransaction;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.Header;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An admitted inbound INVITE; holds one concurrency slot until rejected, cancelled or its dialog ends. */
final class InboundCallImpl implements InboundCall {
    private final SipCore core;
    private final ServerTransaction st;
    private final SIPRequest invite;
    private final String localTag = SipMessages.newTag();
    private final String authUser;
    private final String remoteSdp;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private boolean released;
    /** The call-rate budget was charged for this call (by the core, or by {@link #admit}). */
    private volatile boolean charged;
    /** In-dialog requests go to the INVITE's source (the gateway is behind NAT), set by the call layer. */
    private volatile boolean routeToSource;

    InboundCallImpl(SipCore core, ServerTransaction st, SIPRequest invite, String authUser, boolean charged) {
        this.charged = charged;
        this.core = core;
        this.st = st;
        this.invite = invite;
        this.authUser = authUser;
        this.remoteSdp = SipMessages.sdp(invite);
    }

    @Override
    public void routeToSource() {
        routeToSource = true;
    }

    @Override
    public String callId() {
        return invite.getCallId().getCallId();
    }

    @Override
    public String requestUri() {
        return invite.getRequestURI().toString();
    }

    @Override
    public String requestUser() {
        return user(invite.getRequestURI());
    }

    @Override
    public String fromUri() {
        return invite.getFrom().getAddress().getURI().toString();
    }

    @Override
    public String fromUser() {
        return user(invite.getFrom().getAddress().getURI());
    }

    @Override
    public String fromDisplayName() {
        return invite.getFrom().getAddress().getDisplayName();
    }

    @Override
    public String toUser() {
        return user(invite.getTo().getAddress().getURI());
    }

    static String user(URI uri) {
        if (uri instanceof SipURI s) {
            return s.getUser() == null ? "" : s.getUser();
        }
        String u = uri.toString(); // tel: URI
        int colon = u.indexOf(':');
        int semi = u.indexOf(';');
        return u.substring(colon + 1, semi < 0 ? u.length() : semi);
    }

    @Override
    public InetSocketAddress source() {
        return st.responseDestination();
    }

    @Override
    public String transport() {
        return st.transport().name();
    }

    @Override
    public String remoteSdp() {
        return remoteSdp;
    }

    @Override
    public String header(String name) {
        Header h = invite.getHeader(name);
        return h == null ? null : ((SIPHeader) h).getHeaderValue();
    }

    @Override
    public String authenticatedUser() {
        return authUser;
    }

    @Override
    public void ringing(String sdp) {
        core.execute(() -> {
            if (!st.canRespondFinal()) {
                return;
            }
            SipMessages messages = core.messages();
            SIPResponse r = messages.response(invite, sdp == null ? 180 : 183, localTag);
            r.addHeader(messages.contact(st.transport()));
            messages.setBody(r, "application/sdp", sdp);
            st.respond(r);
        });
    }

    @Override
    public CompletionStage<Dialog> answer(String sdp, DialogListener listener) {
        CompletableFuture<Dialog> f = new CompletableFuture<>();
        core.execute(() -> {
            if (!st.canRespondFinal()) {
                f.completeExceptionally(SipFailure.of(cancelled.isDone() ? 487 : 481));
                return;
            }
            DialogImpl d = DialogImpl.uas(core, invite, localTag, st.transport(), st.responseDestination(),
                    routeToSource, listener);
            SIPResponse ok = d.okWithSdp(invite, sdp);
            d.onTerminatedHook = () -> {
                release();
                f.completeExceptionally(new SipFailure(408, "No ACK received"));
            };
            core.register(d);
            st.respond(ok);
            d.answeredInvite(ok, st, sdp, () -> f.complete(d));
        });
        return f;
    }

    @Override
    public boolean admit() {
        if (charged || core.tryChargeCallRate()) {
            charged = true;
            return true;
        }
        core.metrics().serviceUnavailableSent.incrementAndGet();
        reject(503, StatusPhrase.of(503), Map.of("Retry-After", Integer.toString(core.config().retryAfterSeconds())));
        return false;
    }

    @Override
    public void reject(int status, String reason, Map<String, String> extraHeaders) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("reject needs a 3xx-6xx status: " + status);
        }
        core.execute(() -> {
            if (!st.canRespondFinal()) {
                return;
            }
            SIPResponse r = core.messages().response(invite, status, reason, localTag);
            extraHeaders.forEach((k, v) -> core.messages().addHeader(r, k, v));
            st.respond(r);
            release();
        });
    }

    @Override
    public CompletionStage<Void> cancelled() {
        return cancelled;
    }

    /** The caller sent CANCEL (core loop). */
    void onCancel() {
        if (!st.canRespondFinal()) {
            return;
        }
        st.respond(core.messages().response(invite, 487, localTag));
        release();
        cancelled.complete(null);
    }

    private void release() {
        if (!released) {
            released = true;
            core.releaseInbound();
        }
    }
}
