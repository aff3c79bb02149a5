package io.kinline.script;

import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The data a call script reads and writes, implemented by the lead over the store and billing. Calls
 * block (JDBC) and are made from the call's virtual thread. An exception from any method ends the call
 * with {@code denied-system} (outcome {@code failed}, reason {@code system_error}).
 */
public interface CallServices {

    /** The station and its facility's rules; empty for an unknown station. */
    Optional<StationRules> station(String stationId);

    /** Checks a PIN at a facility (including whether it is locked). */
    PinResult verifyPin(String facilityId, String pin, Instant now);

    /**
     * {@code id_pin} identification: checks {@code pin} against the one inmate of the facility whose inmate
     * number is {@code number}. {@link PinResult.Rejected} names that inmate when the number named someone
     * (the PIN was wrong), and names nobody when the number is unknown or shared; an inmate whose PIN is
     * locked is {@link PinResult.Locked} whatever PIN was keyed.
     */
    PinResult verifyNumberAndPin(String facilityId, String number, String pin, Instant now);

    /**
     * {@code id_pin}: counts a wrong PIN against the inmate the number named; at the facility's
     * {@code pinMaxAttempts} (consecutive, a right PIN resets the count) their PIN locks for
     * {@code pinLockMinutes}. Returns until when if this failure locked it.
     */
    Optional<Instant> inmatePinFailed(String inmateId, Instant now);

    /** Locks an inmate's PIN until {@code until} after too many failures. */
    void lockPin(String facilityId, String inmateId, Instant until);

    /**
     * Until when PIN entry at the calling station is locked, if it is at {@code now} (issue 10.3: wrong PINs
     * are counted per station across calls). Services that do not guard stations say never.
     */
    default Optional<Instant> stationPinLockedUntil(Instant now) {
        return Optional.empty();
    }

    /** Counts a wrong PIN at the calling station; returns until when it is locked if this one locked it. */
    default Optional<Instant> stationPinFailed(Instant now) {
        return Optional.empty();
    }

    /** A right PIN at the calling station: its count of wrong ones starts again. */
    default void stationPinSucceeded() {
    }

    /** The inmate's calls today, minutes this month and last call end, in the facility's zone. */
    Usage usage(String inmateId, Instant now);

    /** Approved-list membership, privilege and blocks of a number for this inmate at this facility. */
    NumberStanding numberStanding(String facilityId, String inmateId, String number);

    /**
     * The per-minute rate a call to {@code number} from this facility is charged at: the facility's
     * rate for the number's call type (local, in-state, interstate, international). The script quotes,
     * sizes the funds check and the hold, and reserves at exactly this value; zero makes the call free.
     *
     * @param number an E.164 number (one that passed the destination rules)
     */
    BigDecimal ratePerMinute(String facilityId, String number);

    /** Available funds of the inmate's debit account and of the BTN's prepaid account. */
    Funds funds(String inmateId, String btn);

    /**
     * Holds funds for the allowed length of a call. The hold records {@code ratePerMinute}, and the
     * call is charged at that rate when it is settled, or reconciled after a crash.
     *
     * @param account       the inmate id (DEBIT) or the BTN (PREPAID)
     * @param ratePerMinute the call's rate, from {@link #ratePerMinute}
     */
    Hold reserve(Funding funding, String account, BigDecimal amount, BigDecimal ratePerMinute, String callId);

    /**
     * A hold refused because the money was gone: another call (on this node or another) held it between the
     * script's look at the funds and its hold. The script looks at the funds again.
     */
    final class FundsTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FundsTaken(String message) {
            super(message, null, false, false);
        }
    }

    /** Returns a hold untouched (the call cost nothing). */
    void release(Hold reservation);

    /** Charges for {@code talked} (acceptance to end) and releases the rest of the hold. */
    void settle(Hold reservation, Duration talked);

    /** A keypad block set by the called party from the consent menu (setBy "called-party"). */
    void addKeypadBlock(String facilityId, String number, String callId);

    void recordIncident(IncidentReport incident);

    /** Where to capture an inmate's spoken name. */
    Path nameRecordingPath(String inmateId);

    /** Stores a newly recorded name for later announcements. */
    void saveNamePrompt(String inmateId, Path wav);

    /** Writes the call record (once, at the end of every call, whatever happened). */
    void writeCallRecord(CallResult record);
}
