package io.kinline.sip;

/**
 * RFC 3261 §12 dialog state. {@link Dialog} objects are handed out once confirmed (2xx), so the call layer sees
 * CONFIRMED and TERMINATED; EARLY is reserved for early-dialog support (provisional responses are reported through
 * {@link OutboundCallListener#onProvisional}).
 */
public enum DialogState {
    EARLY, CONFIRMED, TERMINATED
}
