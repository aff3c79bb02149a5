package io.kinline.sip;

/**
 * Progress of an outbound call, called on a Netty event loop (do not block). Exactly one of
 * {@link #onAnswered} or {@link #onFailed} is called.
 */
public interface OutboundCallListener {

    /** 1xx other than 100 (e.g. 180, 183); {@code sdp} is the early-media SDP or null. */
    default void onProvisional(OutboundCall call, int status, String sdp) {
    }

    /** 2xx received and ACKed; the dialog's events go to the {@link DialogListener} given to placeCall. */
    void onAnswered(OutboundCall call, Dialog dialog, String sdp);

    /** Final failure: the trunk's status (486, 480, 503, 487 after cancel...) or 408 on timeout, 503 on transport error. */
    void onFailed(OutboundCall call, int status, String reason);
}
