package io.kinline.media.threeway;

/** Where the trackers report what they found; called only when a sign is found, never per frame. */
interface SignSink {
    void sign(Sign.Kind kind, long startMillis, long endMillis, double confidence, String detail);
}
