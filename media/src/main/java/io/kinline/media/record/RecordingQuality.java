package io.kinline.media.record;

/**
 * How faithfully a recording holds what the parties sent: the degradation an investigator must know about
 * before relying on a silence in the file. Counts are in 20 ms frames (160 samples at 8 kHz).
 *
 * @param gapFramesInmate  audio missing from the inmate's channel (left) between the first and the last audio of
 *                         that channel: each run of samples the channel never filled counts as its length in
 *                         frames, rounded up (one lost 20 ms packet is one frame, a 1 s hole fifty). Silence
 *                         before a channel's first packet (ringing, the other side not yet talking) and after its
 *                         last (it stopped sending before the close: hangup, hold) is not a gap. Silence
 *                         suppression by the sender reads as a gap too: without sequence numbers the recorder
 *                         cannot tell a packet that was never sent from one that was lost.
 * @param gapFramesCalled  the same for the called party's channel (right)
 * @param lateFrames       audio that arrived after its place in the file had been committed and was dropped
 *                         (rounded up per packet); it also shows as a gap where it should have been
 * @param droppedFrames    audio dropped before it reached the writer because the recorder's queue was full (the
 *                         writer fell 30 s behind), rounded up per packet
 * @param driftFrames      audio skipped to keep the file at real time: a sender whose RTP clock runs fast, or a
 *                         channel anchored late, is pulled back to the wall clock, overwriting a few of its own
 *                         samples; and audio placed beyond the close is cut (rounded up over the recording)
 */
public record RecordingQuality(long gapFramesInmate, long gapFramesCalled, long lateFrames, long droppedFrames,
        long driftFrames) {

    /** A recording that lost nothing (and the value before any audio). */
    public static final RecordingQuality CLEAN = new RecordingQuality(0, 0, 0, 0, 0);

    /** Samples in one frame (20 ms at 8 kHz). */
    public static final int FRAME_SAMPLES = 160;

    public RecordingQuality {
        if (gapFramesInmate < 0 || gapFramesCalled < 0 || lateFrames < 0 || droppedFrames < 0 || driftFrames < 0) {
            throw new IllegalArgumentException("negative frame count");
        }
    }

    /** Gap frames of one channel ({@link StereoRecorder#INMATE} or {@link StereoRecorder#CALLED}). */
    public long gapFrames(int channel) {
        return switch (channel) {
            case StereoRecorder.INMATE -> gapFramesInmate;
            case StereoRecorder.CALLED -> gapFramesCalled;
            default -> throw new IllegalArgumentException("channel must be 0 or 1, got " + channel);
        };
    }

    /** Audio that reached the switch but not the file because it came too late: late plus queue-full drops. */
    public long lateOrDroppedFrames() {
        return lateFrames + droppedFrames;
    }

    /** Frames a number of samples occupies, rounded up. */
    static long frames(long samples) {
        return (samples + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
    }
}
