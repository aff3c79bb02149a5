package io.kinline.sip;

/** Handle of an outbound call in progress. Thread-safe. */
public interface OutboundCall {

    String callId();

    /**
     * Cancels the call if not yet answered. CANCEL is sent once a provisional response arrived (RFC 3261 §9.1);
     * the listener then gets {@code onFailed(487, ...)}. If the call was already answered this sends BYE.
     */
    void cancel();
}
