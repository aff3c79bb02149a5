package io.kinline.sip;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * An admitted new inbound INVITE awaiting the call layer's decision. Thread-safe; methods never block.
 * Exactly one of {@link #answer} or {@link #reject} should be called; after the caller CANCELs both are no-ops
 * (487 has already been sent).
 */
public interface InboundCall {

    String callId();

    /** Request-URI, e.g. {@code sip:1000@10.0.0.5}. */
    String requestUri();

    /** User part of the Request-URI (the dialled number), or "" if none. */
    String requestUser();

    /** From URI. */
    String fromUri();

    /** User part of the From URI (the calling handset/station), or "" if none. */
    String fromUser();

    /** Display name of From, or null. */
    String fromDisplayName();

    /** User part of the To URI. */
    String toUser();

    /** Where the INVITE came from (IP and port of the gateway). */
    InetSocketAddress source();

    /** "udp", "tcp", "tls", "wss" or "ws": what the INVITE came over. */
    String transport();

    /** The SDP offer of the INVITE, or null if it had none. */
    String remoteSdp();

    /** Value of a header of the INVITE (first occurrence), or null. */
    String header(String name);

    /** The authenticated digest user name if admitted by digest, else null. */
    String authenticatedUser();

    /**
     * Charges the admitted-call budget ({@code maxCallsPerSecond}) for a handler that
     * {@linkplain InboundCallHandler#screensCallers() screens callers}; call it once, after the caller passed.
     * Returns false, after sending 503 with {@code Retry-After}, when the budget is spent. Always true for other
     * handlers (the core charged the budget before handing the call over).
     */
    boolean admit();

    /**
     * The gateway is behind NAT (configured so): the dialog's in-dialog requests (BYE, re-INVITE, UPDATE, session
     * refreshes) go to where this INVITE came from (UDP: its source address and port; TCP: its connection), not
     * to the Contact it advertised. Call before {@link #answer}. The dialog does so by itself when the Contact is
     * a private or unspecified address other than the source.
     */
    default void routeToSource() {
    }

    /** Sends 180 Ringing (optionally with early-media SDP as 183 Session Progress when {@code sdp != null}). */
    void ringing(String sdp);

    /**
     * Answers with 200 OK and the given SDP. The stage completes with the confirmed dialog when the ACK arrives,
     * or fails with {@link SipFailure} (408) if it never does (we then send BYE), or (487) if the caller cancelled
     * first. {@code listener} receives the dialog's events from the start.
     */
    CompletionStage<Dialog> answer(String sdp, DialogListener listener);

    /** Rejects with a final status (300–699) and reason, plus extra headers (e.g. Retry-After). */
    void reject(int status, String reason, Map<String, String> extraHeaders);

    default void reject(int status, String reason) {
        reject(status, reason, Map.of());
    }

    /** Completes (on an event loop) when the caller cancelled the call before it was answered; 487 was sent. */
    CompletionStage<Void> cancelled();
}
