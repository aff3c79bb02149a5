package io.kinline.script;

import io.kinline.media.Bridge;
import io.kinline.media.MediaEndpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The script's hands on the call's two SIP legs and their media, implemented by the B2BUA. The inmate
 * leg is already answered (200 OK sent, media flowing) when the script starts. Methods return quickly;
 * outcomes come back as events on the call's {@link io.kinline.ivr.CallEvents} queue.
 */
public interface CallControl {

    /** The inmate leg's media endpoint (answered, with its listener posting as {@code Leg.INMATE}). */
    MediaEndpoint inmate();

    /**
     * Sends the INVITE to the called party on the trunk. Afterwards the B2BUA posts
     * {@code BLegProgress}, then {@code BLegAnswered} (the called endpoint is ready, its listener
     * posting as {@code Leg.CALLED}) or {@code BLegFailed}. The script enforces {@code answerTimeout}
     * itself (it calls {@link #cancelCalledParty()}); the B2BUA may use it for Expires.
     *
     * @param e164 the number, E.164 with a leading +
     */
    void placeCalledParty(String e164, Duration answerTimeout);

    /** The called leg's media endpoint; valid after {@code BLegAnswered}. */
    MediaEndpoint calledParty();

    /** CANCELs an unanswered called-party INVITE. No event follows. Idempotent. */
    void cancelCalledParty();

    /** BYE to the called party. No {@code Hangup} event follows for it. Idempotent. */
    void hangupCalledParty();

    /** BYE to the inmate's handset. No {@code Hangup} event follows for it. Idempotent. */
    void hangupInmate();

    /** Bridges the two endpoints (inmate side first). Called at most once, after acceptance. */
    Bridge bridge();

    /** Where this call's recording goes (asked only when the call is recorded). */
    Path recordingPath();
}
