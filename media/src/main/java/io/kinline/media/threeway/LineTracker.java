package io.kinline.media.threeway;

import static io.kinline.media.threeway.FrameFeatures.MILLIS;

import java.util.Locale;

/**
 * A change of the far-end line: a third party's line has its own noise and its own frequency response,
 * so when it joins, the background heard between words changes level or colour, and stays changed.
 *
 * <p>Only background frames count: not the switch's own prompts, not tones, not on-hook gaps, and
 * within {@value #BACKGROUND_ABOVE_FLOOR_DB} dB of the tracked floor (the pauses between words).
 * Each second of them is summarised by its mean level and its mean tilt (first-difference power over
 * power, in dB). The reference is a slow average of past seconds (time constant about
 * {@value #REF_SECONDS} s). A second that differs from it by {@value #LEVEL_SHIFT_DB} dB in level or
 * {@value #TILT_SHIFT_DB} dB in tilt is shifted; {@value #PERSIST_BLOCKS} shifted seconds in a row
 * (seconds without enough background are skipped, not counted) make the sign, and the reference moves
 * to the new line. A handset set down on a table changes the background too, which is why this sign
 * never decides alone (see {@link Decision}).
 */
final class LineTracker {

    static final double BACKGROUND_ABOVE_FLOOR_DB = 4;
    static final int BLOCK_FRAMES = 50;
    static final int MIN_BACKGROUND_FRAMES = 5;
    static final int REF_SECONDS = 10;
    static final int REF_MIN_BLOCKS = 5;
    static final double LEVEL_SHIFT_DB = 5;
    static final double TILT_SHIFT_DB = 3;
    static final int PERSIST_BLOCKS = 5;
    /** Give up on a shift not confirmed within this many blocks. */
    static final int MAX_CANDIDATE_BLOCKS = 20;

    private static final double ALPHA = 1.0 / REF_SECONDS;

    private final SignSink sink;

    private int blockFrames;
    private int bgFrames;
    private double bgLevel;
    private double bgTilt;
    private long blockIndex;

    private int refBlocks;
    private double refLevel;
    private double refTilt;

    private int shifted;
    private int candidateAge;
    private long shiftStartBlock;
    private double shiftLevelSum;
    private double shiftTiltSum;

    LineTracker(SignSink sink) {
        this.sink = sink;
    }

    void frame(FrameFeatures f, boolean background, double floor) {
        if (background && f.dbm0 <= floor + BACKGROUND_ABOVE_FLOOR_DB) {
            bgFrames++;
            bgLevel += f.dbm0;
            bgTilt += f.tiltDb;
        }
        if (++blockFrames == BLOCK_FRAMES) {
            endBlock();
            blockFrames = 0;
            bgFrames = 0;
            bgLevel = 0;
            bgTilt = 0;
            blockIndex++;
        }
    }

    private void endBlock() {
        if (shifted > 0 && ++candidateAge > MAX_CANDIDATE_BLOCKS) {
            shifted = 0;
        }
        if (bgFrames < MIN_BACKGROUND_FRAMES) {
            return;
        }
        double level = bgLevel / bgFrames;
        double tilt = bgTilt / bgFrames;
        if (refBlocks < REF_MIN_BLOCKS) {
            refLevel = refBlocks == 0 ? level : refLevel + (level - refLevel) / (refBlocks + 1);
            refTilt = refBlocks == 0 ? tilt : refTilt + (tilt - refTilt) / (refBlocks + 1);
            refBlocks++;
            return;
        }
        double dl = level - refLevel;
        double dt = tilt - refTilt;
        if (Math.abs(dl) >= LEVEL_SHIFT_DB || Math.abs(dt) >= TILT_SHIFT_DB) {
            if (shifted == 0) {
                shiftStartBlock = blockIndex;
                shiftLevelSum = 0;
                shiftTiltSum = 0;
                candidateAge = 0;
            }
            shifted++;
            shiftLevelSum += level;
            shiftTiltSum += tilt;
            if (shifted >= PERSIST_BLOCKS) {
                double newLevel = shiftLevelSum / shifted;
                double newTilt = shiftTiltSum / shifted;
                double dLevel = newLevel - refLevel;
                double dTilt = newTilt - refTilt;
                double c = Math.max(0.3, Math.min(1.0, Math.max(Math.abs(dLevel) / 12, Math.abs(dTilt) / 8)));
                long startMs = shiftStartBlock * BLOCK_FRAMES * MILLIS;
                sink.sign(Sign.Kind.LINE_CHANGE, startMs, (blockIndex + 1) * BLOCK_FRAMES * MILLIS, c,
                        String.format(Locale.ROOT, "background %+.1f dB, tilt %+.1f dB", dLevel, dTilt));
                refLevel = newLevel;
                refTilt = newTilt;
                shifted = 0;
            }
        } else {
            shifted = 0;
            refLevel += ALPHA * (level - refLevel);
            refTilt += ALPHA * (tilt - refTilt);
        }
    }
}
