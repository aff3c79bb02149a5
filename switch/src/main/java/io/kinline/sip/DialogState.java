package io.kinline.sip;

/** RFC 3261 §12 dialog state. */
public enum DialogState {
    EARLY, CONFIRMED, TERMINATED
}
