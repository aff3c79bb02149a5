package io.kinline.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who may not enter a PIN now (issue 10, item 3): stations that saw too many wrong PINs in a row, across calls,
 * and inmates whose own PIN was locked. The call flow counts and checks; admins list and clear.
 */
public interface PinLocks {

    /**
     * Counts a wrong PIN at {@code stationId}. Failures older than {@code window} before {@code now} no longer
     * count; the {@code maxAttempts}-th locks the station's PIN entry until {@code now + lockFor}.
     * Returns the station's guard after the count (an unknown station: an empty guard).
     */
    StationPinGuard stationFailed(String stationId, int maxAttempts, Duration window, Duration lockFor, Instant now);

    /** Until when the station's PIN entry is locked, if it is at {@code now}. */
    Optional<Instant> stationLockedUntil(String stationId, Instant now);

    /** A right PIN at the station: its count starts again. */
    void stationSucceeded(String stationId);

    /** Stations locked at {@code now}, within {@code facilities} (null = all). */
    List<StationPinGuard> lockedStations(Instant now, java.util.Set<String> facilities);

    /** Inmates whose PIN is locked at {@code now}, within {@code facilities} (null = all). */
    List<Inmate> lockedInmates(Instant now, java.util.Set<String> facilities);

    /** Unlocks the station and clears its count; false if it had neither. */
    boolean clearStation(String stationId);

    /**
     * A station's count of wrong PINs.
     *
     * @param lockedUntil null when never locked (may be in the past)
     */
    record StationPinGuard(String stationId, String facilityId, int failures, Instant lastFailureAt,
                           Instant lockedUntil) {

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }
}
