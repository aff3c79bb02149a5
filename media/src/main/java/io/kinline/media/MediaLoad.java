package io.kinline.media;

/**
 * How far the media path is behind real time, for overload control. Both reads are cheap (a few volatile
 * fields) and safe from any thread: the SIP core may consult them for every new call.
 *
 * <p>These measure lateness rather than CPU: a media loop can sit at 100 % CPU and still deliver every
 * packet on time, or be starved by other processes at 50 %. What degrades a call is packets handled late,
 * and that is what the lag shows directly.
 */
public interface MediaLoad {

    /**
     * The worst recent sustained lateness of the media event loops, in microseconds: how much later than
     * scheduled a periodic task ran at least five times in a row (one hiccup is not overload), the maximum over
     * the last second or two and over every loop, including a loop stuck right now. About a millisecond on a
     * healthy engine.
     */
    long loopLagMicros();

    /**
     * Audio handed to the recording writer and not yet placed in its file, in milliseconds per recording
     * (averaged over open recordings). A few milliseconds while the writer keeps up; grows when it does not.
     */
    long recordingBacklogMillis();

    /** A load that is always zero (no media engine, or overload control off). */
    MediaLoad IDLE = new MediaLoad() {
        @Override
        public long loopLagMicros() {
            return 0;
        }

        @Override
        public long recordingBacklogMillis() {
            return 0;
        }
    };
}
