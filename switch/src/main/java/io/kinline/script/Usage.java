package io.kinline.script;

import java.time.Duration;
import java.time.Instant;

/**
 * An inmate's recent calling, counted by the store in the facility's time zone.
 *
 * @param callsToday    accepted calls since local midnight
 * @param usedThisMonth talk time since the first of the local month
 * @param lastCallEnded end of the last accepted call, or null
 */
public record Usage(int callsToday, Duration usedThisMonth, Instant lastCallEnded) {
    public static final Usage NONE = new Usage(0, Duration.ZERO, null);
}
