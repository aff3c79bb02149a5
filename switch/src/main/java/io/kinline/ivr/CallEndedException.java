package io.kinline.ivr;

/**
 * A leg went away while the script was waiting: a hangup or a media timeout. Unchecked so that
 * scripts stay straight-line; the script catches it once, at the top.
 */
public final class CallEndedException extends RuntimeException {

    /** The reason recorded when a leg's RTP stopped. */
    public static final String MEDIA_TIMEOUT = "media_timeout";
    /** The reason when the call's thread was interrupted (switch shutdown). */
    public static final String SHUTDOWN = "shutdown";

    private final Leg leg;
    private final String reason;

    public CallEndedException(Leg leg, String reason) {
        super(leg + " ended: " + reason, null, false, false);
        this.leg = leg;
        this.reason = reason;
    }

    public Leg leg() {
        return leg;
    }

    /** {@link #MEDIA_TIMEOUT}, or the hangup reason from the B2BUA. */
    public String reason() {
        return reason;
    }

    public boolean mediaTimeout() {
        return MEDIA_TIMEOUT.equals(reason);
    }

    public boolean shutdown() {
        return SHUTDOWN.equals(reason);
    }
}
