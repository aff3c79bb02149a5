package io.kinline.script;

import java.time.Instant;

/** The store's verdict on a PIN. */
public sealed interface PinResult {

    /** The PIN is valid and not locked. */
    record Accepted(Caller inmate) implements PinResult {
    }

    /**
     * Wrong PIN.
     *
     * @param inmateId the inmate the entry named though the PIN was wrong ({@code id_pin}: the inmate number
     *                 named them; the script counts the failure against them), or null when it named nobody
     */
    record Rejected(String inmateId) implements PinResult {
    }

    /** The PIN belongs to an inmate whose PIN is locked until {@code until}. */
    record Locked(String inmateId, Instant until) implements PinResult {
    }
}
