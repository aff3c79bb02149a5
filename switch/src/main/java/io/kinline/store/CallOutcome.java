package io.kinline.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Final outcome of a call attempt; stored and serialized as the lower-case wire name. */
public enum CallOutcome {
    COMPLETED, REFUSED, BLOCKED_BY_CALLED_PARTY, DENIED, NO_ANSWER, BUSY, FAILED, CUT_OFF;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CallOutcome fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Outcomes after which talk time is billed (if the call was accepted). */
    public boolean billable() {
        return this == COMPLETED || this == CUT_OFF;
    }
}
