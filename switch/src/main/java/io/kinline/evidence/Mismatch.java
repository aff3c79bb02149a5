package io.kinline.evidence;

/**
 * One thing {@code kinline verify} found wrong.
 *
 * @param kind    what is wrong
 * @param subject what it is about: {@code call <id>}, a recording path, or {@code manifest <day> line <n>}
 * @param detail  a sentence for the operator
 */
public record Mismatch(Kind kind, String subject, String detail) {

    public enum Kind {
        /** A record or a manifest names a recording that is not on disk. */
        MISSING,
        /** A recording's bytes differ from its seal, a record's digest from its manifest line, or a manifest was edited. */
        ALTERED,
        /** A recording file (or a manifest line) that no call record accounts for. */
        EXTRA,
        /** A recording with no valid signed manifest line: never sealed, its line removed, or a bad signature. */
        UNSIGNED
    }

    @Override
    public String toString() {
        return String.format("%-8s %s: %s", kind, subject, detail);
    }
}
