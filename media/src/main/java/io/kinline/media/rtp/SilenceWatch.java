package io.kinline.media.rtp;

import io.kinline.media.sdp.Direction;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import java.util.concurrent.TimeUnit;

/**
 * The media timeout of one leg: no RTP for {@code timeout} on a leg that sends and receives. Raised
 * once; armed again by the next packet or by a new negotiation that makes the leg active. Only a leg in
 * full sendrecv times out: a phone that holds us (sendonly) often sends nothing at all, and a held call
 * must not be torn down for it. Loop-confined.
 */
final class SilenceWatch {

    private final long timeoutNanos;
    private long lastRxNanos;
    private long activeSinceNanos;
    private boolean raised;

    /** @param timeoutNanos 0 or less: never */
    SilenceWatch(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** A packet arrived. */
    void onPacket(long now) {
        lastRxNanos = now;
        raised = false;
    }

    /** The leg became active (or its direction changed): silence counts from now. */
    void activeFrom(long now) {
        activeSinceNanos = now;
        raised = false;
    }

    /** Returns the silence in milliseconds when the timeout is reached now (once), else -1. */
    long check(Negotiated s, long now) {
        if (timeoutNanos <= 0 || raised || !s.receiving() || s.localDirection() != Direction.SENDRECV) {
            return -1;
        }
        long since = Math.max(lastRxNanos, activeSinceNanos);
        if (since != 0 && now - since >= timeoutNanos) {
            raised = true;
            return TimeUnit.NANOSECONDS.toMillis(now - since);
        }
        return -1;
    }
}
