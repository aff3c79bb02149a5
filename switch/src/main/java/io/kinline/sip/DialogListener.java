package io.kinline.sip;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Events of one {@link Dialog}. Called on a Netty event loop: implementations must not block (enqueue the
 * work to the call's own thread). Every method has a default so a listener implements only what it needs.
 */
public interface DialogListener {

    /**
     * The remote sent a re-INVITE. Return a stage completed with the SDP answer (200 OK is sent), or completed
     * with null / exceptionally to reject it with 488 Not Acceptable Here (a {@link SipFailure} cause picks the
     * status). {@code offer} is null for an offerless re-INVITE; then return our current SDP as the offer.
     * The default answers with the current local SDP unchanged, which is right for session refreshes.
     */
    default CompletionStage<String> onReInvite(Dialog dialog, String offer) {
        return CompletableFuture.completedFuture(dialog.localSdp());
    }

    /** The remote sent an UPDATE; same contract as {@link #onReInvite}. Offerless UPDATEs never reach here. */
    default CompletionStage<String> onUpdate(Dialog dialog, String offer) {
        return CompletableFuture.completedFuture(dialog.localSdp());
    }

    /** The remote sent a DTMF digit by SIP INFO (application/dtmf-relay or application/dtmf). */
    default void onInfoDtmf(Dialog dialog, char digit, int durationMs) {
    }

    /** The dialog is over; called exactly once. */
    default void onTerminated(Dialog dialog, TerminationReason reason) {
    }
}
