package io.kinline.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The standard policy rules. Each is a small {@link PolicyRule} with its own reason code and prompt;
 * {@link Policy#standard()} lists them in the order they are checked.
 */
public final class Rules {

    private Rules() {
    }

    /** A RESTRICTED inmate may not call until the restriction's end date (forever without one). */
    public static final PolicyRule RESTRICTED = a -> a.effectiveStatus() == InmateStatus.RESTRICTED
            ? Optional.of(DenialReason.RESTRICTED.deny(a.statusUntil() == null
                    ? "restricted" : "restricted until " + a.statusUntil()))
            : Optional.empty();

    /**
     * An inmate in SEGREGATION calls only within the facility's segregation hours and its daily quota
     * (both denials say {@code segregation}; the housing unit's own hours still apply as well).
     */
    public static final PolicyRule SEGREGATION = a -> {
        if (a.effectiveStatus() != InmateStatus.SEGREGATION) {
            return Optional.empty();
        }
        FacilityRules f = a.facility();
        if (!f.segregationHours().isOpen(a.now(), f.zone())) {
            return Optional.of(DenialReason.SEGREGATION.deny("outside segregation hours " + f.segregationHours()));
        }
        if (a.callsToday() >= f.segregationCallsPerDay()) {
            return Optional.of(DenialReason.SEGREGATION.deny(
                    "segregation quota " + f.segregationCallsPerDay() + " reached"));
        }
        return Optional.empty();
    };

    /** Phones of the housing unit are off (facility time zone). */
    public static final PolicyRule PHONE_HOURS = a -> a.housingHours().isOpen(a.now(), a.facility().zone())
            ? Optional.empty()
            : Optional.of(DenialReason.OUTSIDE_HOURS.deny("phone hours " + a.housingHours()));

    /**
     * Banned destinations: toll-free (also an incident), premium 900/976, N11 including 911, directory
     * assistance, and international where the facility does not allow it.
     */
    public static final PolicyRule DESTINATION = a -> switch (a.dialed().destination()) {
        case ORDINARY -> Optional.empty();
        case TOLL_FREE -> Optional.of(DenialReason.TOLL_FREE.deny(a.dialed().number())
                .withIncident(IncidentType.TOLL_FREE_ATTEMPT));
        case PREMIUM -> Optional.of(DenialReason.PREMIUM.deny(a.dialed().number()));
        case N11 -> Optional.of(DenialReason.N11.deny(a.dialed().number()));
        case DIRECTORY_ASSISTANCE -> Optional.of(DenialReason.DIRECTORY_ASSISTANCE.deny(a.dialed().number()));
        case INTERNATIONAL -> a.facility().allowInternational()
                ? Optional.empty()
                : Optional.of(DenialReason.INTERNATIONAL.deny(a.dialed().number()));
    };

    /**
     * Blocks on the number. A no-contact order wins over other blocks (its own prompt and an
     * incident); any other block (keypad, facility, security, account) is {@code blocked_number}.
     */
    public static final PolicyRule BLOCKS = a -> {
        ActiveBlock other = null;
        for (ActiveBlock b : a.blocks()) {
            if (b.type() == BlockType.NO_CONTACT) {
                return Optional.of(DenialReason.NO_CONTACT.deny("no-contact order: " + b.note())
                        .withIncident(IncidentType.NO_CONTACT_ATTEMPT));
            }
            if (other == null) {
                other = b;
            }
        }
        return other == null
                ? Optional.empty()
                : Optional.of(DenialReason.BLOCKED_NUMBER.deny(other.type().name().toLowerCase() + " block"
                        + (other.note().isEmpty() ? "" : ": " + other.note())));
    };

    /**
     * Where the facility requires an approved-number list, the number must be on it. Privileged numbers
     * are exempt: an attorney or hotline must be reachable without staff approval (and staff approving
     * attorney numbers would itself reveal privileged contacts).
     */
    public static final PolicyRule APPROVED_LIST = a -> a.facility().requireApprovedList() && !a.approved()
            && !a.privileged()
            ? Optional.of(DenialReason.NOT_APPROVED.deny(a.dialed().number() + " not on approved list"))
            : Optional.empty();

    /** Calls per local day (0 = unlimited). */
    public static final PolicyRule DAILY_LIMIT = a -> {
        int max = a.facility().callsPerDay();
        return max > 0 && a.callsToday() >= max
                ? Optional.of(DenialReason.DAILY_LIMIT.deny(a.callsToday() + " of " + max + " calls today"))
                : Optional.empty();
    };

    /** Minutes per calendar month (0 = unlimited); less than one minute left is a denial. */
    public static final PolicyRule MONTHLY_MINUTES = a -> {
        int max = a.facility().monthlyMinutes();
        if (max <= 0) {
            return Optional.empty();
        }
        Duration left = Duration.ofMinutes(max).minus(a.usedThisMonth());
        return left.compareTo(Duration.ofMinutes(1)) < 0
                ? Optional.of(DenialReason.MONTHLY_MINUTES.deny(
                        a.usedThisMonth().toMinutes() + " of " + max + " minutes this month"))
                : Optional.empty();
    };

    /** The cool-down after the previous call's end. */
    public static final PolicyRule COOLDOWN = a -> {
        Duration cd = a.facility().cooldown();
        if (cd.isZero() || a.lastCallEnded() == null) {
            return Optional.empty();
        }
        Instant free = a.lastCallEnded().plus(cd);
        return a.now().isBefore(free)
                ? Optional.of(DenialReason.COOLDOWN.deny("next call allowed at " + free))
                : Optional.empty();
    };
}
