package io.kinline.ivr;

import java.time.Duration;
import java.util.Objects;

/**
 * How to collect digits.
 *
 * @param maxLength         collection stops when this many digits are in (1..64)
 * @param terminator        a key that ends collection (not included in the result), or 0 for none
 * @param firstDigitTimeout wait for the first digit, counted from the end of the prompt
 * @param interDigitTimeout wait between digits
 */
public record DigitSpec(int maxLength, char terminator, Duration firstDigitTimeout, Duration interDigitTimeout) {

    public static final char NO_TERMINATOR = 0;
    public static final int MAX_LENGTH = 64;

    public DigitSpec {
        if (maxLength < 1 || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        Objects.requireNonNull(firstDigitTimeout, "firstDigitTimeout");
        Objects.requireNonNull(interDigitTimeout, "interDigitTimeout");
    }

    /** Up to {@code maxLength} digits ended by {@code #}. */
    public static DigitSpec upTo(int maxLength, Duration firstDigit, Duration interDigit) {
        return new DigitSpec(maxLength, '#', firstDigit, interDigit);
    }

    /** One key, no terminator (menus). */
    public static DigitSpec oneKey(Duration timeout) {
        return new DigitSpec(1, NO_TERMINATOR, timeout, timeout);
    }
}
