package io.kinline.script;

/**
 * Live view of a call's steps (call events, the live-calls page, metrics). Called on the call's virtual
 * thread; implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface CallObserver {

    /** A step of the call. */
    enum Step {
        OFFHOOK("offhook"),
        PIN_OK("pin-ok"),
        PIN_FAILED("pin-failed"),
        DIALING("dialing"),
        DENIED("denied"),
        RINGING("ringing"),
        GREETING("greeting"),
        ACCEPTED("accepted"),
        REFUSED("refused"),
        BLOCKED("blocked"),
        TALKING("talking"),
        REMINDER("reminder"),
        WARNING("warning"),
        THREE_WAY_SUSPECTED("three-way-suspected"),
        CUT_OFF("cut-off"),
        ENDED("ended");

        private final String code;

        Step(String code) {
            this.code = code;
        }

        /** The event name for call events and live views. */
        public String code() {
            return code;
        }
    }

    /**
     * @param detail a short detail: the reason for DENIED and CUT_OFF, the number for DIALING, the
     *               outcome for ENDED; may be empty
     */
    void onStep(String callId, Step step, String detail);

    CallObserver NONE = (callId, step, detail) -> {
    };
}
