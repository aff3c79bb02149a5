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
     * Call flow, {@code ID_PIN} identification: the inmate of the facility whose {@link Inmate#number() number}
     * is {@code number}, and whether {@code pin} is theirs (peppered index, then the salted verifier). A number
     * that two inmates of the facility share names nobody. The same hash work is done whether the number names
     * someone or not (one HMAC and one constant-time comparison), so the answer's timing does not tell an
     * unknown number from a wrong PIN. Does not look at locks or status.
     */
    NumberAndPin findByNumber(String facilityId, String number, String pin);

    /**
     * What {@link #findByNumber} found.
     *
     * @param inmate the inmate the number names, or null when it names nobody (unknown, shared, not digits)
     * @param pinMatches the PIN is that inmate's (always false when {@code inmate} is null)
     */
    record NumberAndPin(Inmate inmate, boolean pinMatches) {
    }

    /**
     * Inmate numbers that more than one inmate of the facility shares, each with those inmates' ids (sorted);
     * an id without digits is listed under the empty number. Such inmates cannot be identified by number.
     */
    java.util.SortedMap<String, List<String>> numberCollisions(String facilityId);

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
