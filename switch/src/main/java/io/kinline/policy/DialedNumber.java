package io.kinline.policy;

import java.util.Objects;

/**
 * A dialed number after normalization.
 *
 * @param number      E.164 with a leading {@code +} ({@code +15735550100}, {@code +442071234567}); for an
 *                    N11 or bare 411 code, which has no E.164 form, the three digits ({@code 911})
 * @param destination the classification used by the banned-destination rules
 */
public record DialedNumber(String number, Destination destination) {

    public DialedNumber {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(destination, "destination");
    }

    /** True when {@link #number()} is an E.164 number (not a bare service code). */
    public boolean isE164() {
        return number.startsWith("+");
    }

    /** True for a number inside the North American Numbering Plan (country code 1) or an N11 code. */
    public boolean isNanp() {
        return destination != Destination.INTERNATIONAL;
    }

    /** The ten NANP digits (NPA-NXX-XXXX) or null when not a ten-digit NANP number. */
    public String nationalNumber() {
        return number.startsWith("+1") && number.length() == 12 ? number.substring(2) : null;
    }
}
