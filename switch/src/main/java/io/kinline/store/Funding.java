package io.kinline.store;

import java.util.Locale;

/** How a call was paid for; stored and serialized as the lower-case wire name. */
public enum Funding {
    DEBIT, PREPAID, FREE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Funding fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
