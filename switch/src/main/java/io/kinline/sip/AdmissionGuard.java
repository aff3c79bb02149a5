package io.kinline.sip;

/**
 * A check on capacity beyond calls and call rate, consulted for every new INVITE right after
 * {@code maxConcurrentCalls} (before authentication and before the call-rate budget is charged). The SIP
 * stack knows nothing of what it watches; the switch wires one that watches the media path.
 */
@FunctionalInterface
public interface AdmissionGuard {

    /**
     * Whether to shed the next new call. Called on the SIP core loop for every new INVITE that passed the
     * calls limit: it must be cheap and never block.
     *
     * @return null to go on admitting, or the reason phrase of the {@code 503} (with {@code Retry-After})
     *         that sheds this INVITE, such as {@code "Media Overloaded"}
     */
    String shedReason();

    /** Never sheds. */
    AdmissionGuard NONE = () -> null;
}
