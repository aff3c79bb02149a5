package io.kinline.sip;

/** Why a {@link Dialog} ended. */
public enum TerminationReason {
    /** The remote party sent BYE. */
    REMOTE_BYE,
    /** We sent BYE ({@link Dialog#bye()}). */
    LOCAL_BYE,
    /** RFC 4028: no session refresh arrived before the session expired; we sent BYE. */
    SESSION_TIMER_EXPIRED,
    /** We answered but the ACK never arrived within 64*T1; we sent BYE. */
    ACK_TIMEOUT,
    /** An in-dialog request timed out or the transport failed; we sent BYE (best effort). */
    TRANSPORT_FAILURE,
    /** The SIP server was closed. */
    SHUTDOWN;

    /** Human-readable reason, e.g. "session timer expired". */
    public String description() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
