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
     * @param inmateId the inmate whose id part matched (wrong passcode), or null when nothing matched;
     *                 the script locks these inmates' PINs after too many failures
     */
    record Rejected(String inmateId) implements PinResult {
    }

    /** The PIN belongs to an inmate whose PIN is locked until {@code until}. */
    record Locked(String inmateId, Instant until) implements PinResult {
    }
}
