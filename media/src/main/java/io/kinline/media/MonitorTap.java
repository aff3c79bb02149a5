package io.kinline.media;

/** A live monitor on a bridge; see {@link Bridge#monitor(MonitorSink)}. Thread-safe. */
public interface MonitorTap extends AutoCloseable {

    /** Frames the sink accepted. */
    long deliveredFrames();

    /** Frames the sink refused (consumer too slow) or failed on. */
    long droppedFrames();

    boolean isClosed();

    /** Stops the frames; the sink gets {@link MonitorSink#onClosed(boolean) onClosed(false)}. Idempotent. */
    @Override
    void close();
}
