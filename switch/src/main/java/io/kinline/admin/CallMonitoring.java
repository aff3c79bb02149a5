package io.kinline.admin;

/**
 * The call layer's live-listen service behind {@code GET /api/calls/{callId}/listen} (WebSocket). The
 * admin API has already authenticated the principal and checked its role (investigator or admin); the
 * implementation finds the live call and refuses unknown, not-yet-talking and privileged calls.
 */
@FunctionalInterface
public interface CallMonitoring {

    /**
     * Starts listening to a call. Called on a virtual thread.
     *
     * @throws Refused when the call is unknown, not talking yet, or privileged (never monitored)
     */
    Listen open(String callId, Principal who, AudioSink sink) throws Refused;

    /** No call layer: every call is unknown. */
    static CallMonitoring none() {
        return (callId, who, sink) -> {
            throw new Refused(Refused.Reason.UNKNOWN_CALL, "no live call " + callId);
        };
    }

    /** Where the audio goes. Both methods are called on a media event loop: never block. */
    interface AudioSink {
        /**
         * One frame of 8 kHz 16-bit signed mono PCM (20 ms, 160 samples): both parties and announcements
         * mixed. Copy what you keep.
         *
         * @return false when the frame was dropped (the listener is behind)
         */
        boolean onAudio(short[] pcm, int off, int len);

        /** The call ended: no more audio. Not called when the listen was closed by {@link Listen#close()}. */
        void onCallEnded();
    }

    /** An open listen. */
    interface Listen extends AutoCloseable {
        long framesDelivered();

        long framesDropped();

        /** Stops the audio. Idempotent. */
        @Override
        void close();
    }

    /** Why a call cannot be listened to. */
    final class Refused extends Exception {
        public enum Reason {
            /** No such live call (or it has ended): 404. */
            UNKNOWN_CALL,
            /** The call exists but its parties are not connected yet: 404. */
            NOT_TALKING,
            /** A privileged call (attorney, hotline): never monitored, 403. */
            PRIVILEGED,
            /**
             * Another node of the cluster carries the call: 307 to that node's listen URL ({@link #location()},
             * its admin API's base URL). Tokens live in the shared database: the same token works there.
             */
            ELSEWHERE
        }

        private final Reason reason;
        private final String location;

        public Refused(Reason reason, String detail) {
            this(reason, detail, null);
        }

        /** @param location for {@link Reason#ELSEWHERE}: the admin API base URL of the node that carries the call */
        public Refused(Reason reason, String detail, String location) {
            super(detail, null, false, false);
            this.reason = reason;
            this.location = location;
        }

        public Reason reason() {
            return reason;
        }

        /** The admin API base URL of the node that carries the call ({@link Reason#ELSEWHERE}), else null. */
        public String location() {
            return location;
        }
    }
}
