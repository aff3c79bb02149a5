package io.kinline.media;

/**
 * Receives what a live bridge's parties hear, for live monitoring by facility staff and investigators
 * (see {@link Bridge#monitor(MonitorSink)}).
 *
 * <p>Frames are 20 ms of 8 kHz 16-bit signed mono PCM ({@value #FRAME_SAMPLES} samples): the inmate's
 * voice, the called party's voice and any announcement mixed with saturation. A frame comes every
 * 20 ms whether or not anyone speaks (silence is zeros), so a consumer can play them back to back.
 */
public interface MonitorSink {

    /** Samples per frame: 20 ms at 8 kHz. */
    int FRAME_SAMPLES = 160;

    /**
     * One frame. Called on the media event loop: must not block, must copy what it keeps (the array is
     * reused for the next frame).
     *
     * @return false when the frame was dropped because the consumer is behind; counted by
     *         {@link MonitorTap#droppedFrames()}
     */
    boolean onFrame(short[] pcm, int off, int len);

    /**
     * No more frames will come. Called exactly once, after the last {@link #onFrame}, on the media event
     * loop (or the closing thread when the loop is gone).
     *
     * @param bridgeClosed true when the bridge closed (the call ended), false when the tap was closed
     */
    default void onClosed(boolean bridgeClosed) {
    }
}
