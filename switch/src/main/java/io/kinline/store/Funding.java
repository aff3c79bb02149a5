package io.kinline.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a call was paid for; stored and serialized as the lower-case wire name. */
public enum Funding {
    DEBIT, PREPAID, FREE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Funding fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
