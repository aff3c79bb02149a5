package io.kinline.ivr;

import io.kinline.media.MediaEvent;
import java.util.Objects;

/**
 * What a call's script waits for. The media engine's events arrive tagged with their leg (through
 * {@link CallEvents#listener(Leg)}); the B2BUA posts the SIP-side events with {@link CallEvents#post}.
 * A DTMF digit received as SIP INFO is posted as a {@link Media} with a {@link MediaEvent.Digit} whose
 * source is {@code SIP_INFO}.
 */
public sealed interface CallEvent {

    /** A media engine event on one leg. */
    record Media(Leg leg, MediaEvent event) implements CallEvent {
        public Media {
            Objects.requireNonNull(leg, "leg");
            Objects.requireNonNull(event, "event");
        }
    }

    /** A leg hung up (BYE, CANCEL from the handset, transport failure). */
    record Hangup(Leg leg, String reason) implements CallEvent {
        public Hangup {
            Objects.requireNonNull(leg, "leg");
            reason = reason == null ? "" : reason;
        }
    }

    /** A provisional response on the called-party INVITE (180 ringing, 183 progress). */
    record BLegProgress(int status) implements CallEvent {
    }

    /** The called party answered (200 OK to our INVITE, ACK sent, media ready). */
    record BLegAnswered() implements CallEvent {
    }

    /** The called-party INVITE failed with a final status (486 busy, 404, 503, ...). */
    record BLegFailed(int status, String reason) implements CallEvent {
        public BLegFailed {
            reason = reason == null ? "" : reason;
        }

        /** 486 Busy Here and 600 Busy Everywhere. */
        public boolean busy() {
            return status == 486 || status == 600;
        }
    }

    /** A named timer posted by the B2BUA (scripts themselves use deadlines, not timers). */
    record Timer(String name) implements CallEvent {
    }
}
