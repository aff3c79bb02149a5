package io.kinline.script;

/** How a call ended, as written in the call record. */
public enum Outcome {
    COMPLETED("completed"),
    REFUSED("refused"),
    BLOCKED_BY_CALLED_PARTY("blocked_by_called_party"),
    DENIED("denied"),
    NO_ANSWER("no_answer"),
    BUSY("busy"),
    FAILED("failed"),
    CUT_OFF("cut_off");

    private final String code;

    Outcome(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Only connected (accepted) calls cost money. */
    public boolean billable() {
        return this == COMPLETED || this == CUT_OFF;
    }
}
