package io.kinline.ivr;

/**
 * Digits collected by {@link Ivr#playAndCollect}. A hangup is not an end reason: it throws
 * {@link CallEndedException}.
 *
 * @param digits the digits, without the terminator
 * @param end    why collection ended
 */
public record Collected(String digits, End end) {

    public enum End {
        /** The terminator key ({@code #}) was pressed. */
        TERMINATOR,
        /** The maximum number of digits was reached. */
        MAX_LENGTH,
        /** No (further) digit within the first-digit or inter-digit timeout. */
        TIMEOUT
    }

    public boolean isEmpty() {
        return digits.isEmpty();
    }
}
