package io.kinline.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Inmates, their PINs and approved-number lists. */
public interface Inmates {

    /**
     * Creates an inmate with a PIN (hashed here; {@code inmate.pinHash()} is ignored).
     *
     * @throws ConflictException if the id exists or the PIN is already used in the facility
     */
    Inmate create(Inmate inmate, String pin);

    Optional<Inmate> get(String id);

    List<Inmate> list(String facilityId);

    /**
     * Updates name, language, status, statusUntil, housing unit and name prompt. PIN fields are
     * not touched (see {@link #setPin}, {@link #recordPinFailure}). @throws NotFoundException
     */
    Inmate update(Inmate inmate);

    /** Sets a new PIN and clears failures/lock. @throws ConflictException if used in the facility */
    void setPin(String inmateId, String pin);

    /**
     * Call flow: finds the inmate whose PIN this is in the facility and verifies it against the
     * salted hash. Does not look at locks or status; the caller checks {@link Inmate#pinLockedAt}.
     */
    Optional<Inmate> findByPin(String facilityId, String pin);

    /**
     * Counts a failed PIN attempt for an inmate (e.g. right inmate id, wrong passcode, or a
     * session that already identified the inmate). When failures reach {@code maxAttempts} the PIN
     * is locked until {@code now + lockFor} and the counter restarts. Returns the updated inmate.
     */
    Inmate recordPinFailure(String inmateId, int maxAttempts, Duration lockFor, Instant now);

    /** Clears failures after a successful PIN entry. */
    void resetPinFailures(String inmateId);

    // --- approved list ---

    void addApproved(ApprovedNumber number);

    boolean removeApproved(String inmateId, String number);

    List<ApprovedNumber> approved(String inmateId);

    boolean isApproved(String inmateId, String number);
}
