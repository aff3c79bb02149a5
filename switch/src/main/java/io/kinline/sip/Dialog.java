package io.kinline.sip;

import java.util.concurrent.CompletionStage;

/**
 * A confirmed SIP dialog (one call leg). All methods are thread-safe and never block: they hop to the
 * event loop that owns the dialog and return futures completed on that event loop. Events arrive on the
 * {@link DialogListener} given when the dialog was created.
 */
public interface Dialog {

    String callId();

    String localTag();

    String remoteTag();

    /** Remote party URI (From of an inbound call, To of an outbound call), e.g. {@code sip:+15551234@gw}. */
    String remoteUri();

    DialogState state();

    /** SDP the remote party last offered or answered (opaque text), or null. */
    String remoteSdp();

    /** SDP we last offered or answered, or null. */
    String localSdp();

    /** Sends BYE; completes when the BYE transaction ends (successfully or not). Idempotent. */
    CompletionStage<Void> bye();

    /**
     * Target refresh by re-INVITE with a new SDP offer (e.g. hold: a=sendonly). Completes with the remote SDP
     * answer, or fails with {@link SipFailure} (e.g. 488, 491, 408).
     */
    CompletionStage<String> reinvite(String sdpOffer);

    /** Target refresh by UPDATE (RFC 3311), with an SDP offer or null for a pure refresh. */
    CompletionStage<String> update(String sdpOffer);

    /** Sends one DTMF digit as SIP INFO, {@code application/dtmf-relay}. */
    CompletionStage<Void> sendInfoDtmf(char digit, int durationMs);

    /** Sends an in-dialog OPTIONS (a liveness probe); completes with the status code. */
    CompletionStage<Integer> options();
}
