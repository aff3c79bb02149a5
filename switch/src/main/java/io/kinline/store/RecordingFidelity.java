package io.kinline.store;

/**
 * How faithfully a call's recording holds what the parties sent, in 20 ms frames (the media layer's
 * {@code RecordingQuality} defines the counts; docs/ARCHITECTURE.md, "Recording"). On the call record so that an
 * investigator relying on a silence in the file knows whether the audio was there to record.
 *
 * @param gapFramesInmate audio missing from the inmate's channel between its first and last audio
 * @param gapFramesCalled the same for the called party's channel
 * @param lateFrames      audio that reached the switch too late to be written: after its place in the file was
 *                        committed, or when the recording writer's queue was full
 */
public record RecordingFidelity(long gapFramesInmate, long gapFramesCalled, long lateFrames) {

    public RecordingFidelity {
        if (gapFramesInmate < 0 || gapFramesCalled < 0 || lateFrames < 0) {
            throw new IllegalArgumentException("negative frame count");
        }
    }
}
