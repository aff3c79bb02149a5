package io.kinline.log;

import org.slf4j.MDC;

/**
 * The call id in the logging MDC ({@value #KEY}), set for a piece of work and then put back as it was.
 * Event loops and virtual threads run work of many calls, so a value is never just removed: a callback
 * that runs inside another call's work must leave that call's id in place.
 */
public final class CallMdc {

    /** The MDC key: {@code logback.xml} prints it in brackets, so one call's lines grep together. */
    public static final String KEY = "callId";

    private CallMdc() {
    }

    /** Runs {@code work} with {@code callId} in the MDC, restoring what was there before. */
    public static void run(String callId, Runnable work) {
        String previous = MDC.get(KEY);
        MDC.put(KEY, callId);
        try {
            work.run();
        } finally {
            restore(previous);
        }
    }

    /**
     * Puts {@code callId} in the MDC until the returned scope is closed, which restores what was there
     * before: {@code try (var scope = CallMdc.open(id)) { ... }}.
     */
    public static Scope open(String callId) {
        Scope s = new Scope(MDC.get(KEY));
        MDC.put(KEY, callId);
        return s;
    }

    private static void restore(String previous) {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }

    /** The MDC as it was before {@link #open}; closing puts it back. */
    public static final class Scope implements AutoCloseable {
        private final String previous;

        private Scope(String previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            restore(previous);
        }
    }
}
