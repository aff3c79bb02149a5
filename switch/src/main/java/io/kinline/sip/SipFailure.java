package io.kinline.sip;

/**
 * A SIP-level failure carried by a failed future: a final non-2xx status (a timeout is 408, a transport
 * failure 503) and the reason phrase.
 */
public final class SipFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String reason;

    public SipFailure(int status, String reason) {
        super(status + " " + reason, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** A failure with the status's standard reason phrase ({@link StatusPhrase}). */
    public static SipFailure of(int status) {
        return new SipFailure(status, StatusPhrase.of(status));
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
