package io.kinline.media.tones;

/**
 * A DTMF digit found in a recording.
 *
 * @param digit       0-9, *, #, A-D
 * @param startMillis tone start from the beginning of the file
 * @param endMillis   tone end from the beginning of the file
 * @param channel     0 for mono or the left channel, 1 for the right channel
 */
public record DetectedDigit(char digit, long startMillis, long endMillis, int channel) {

    public long durationMillis() {
        return endMillis - startMillis;
    }
}
