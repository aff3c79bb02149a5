package io.kinline.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the policy rules look at, gathered once per call by the script: a plain value so that
 * each rule is a pure function and tests need no store.
 *
 * @param now             the time of the attempt
 * @param facility        the facility's rules
 * @param status          the inmate's phone status
 * @param statusUntil     when a RESTRICTED or SEGREGATION status ends, or null for open-ended
 * @param housingHours    the phone hours of the inmate's housing unit
 * @param callsToday      completed (accepted) calls since local midnight in the facility's zone
 * @param usedThisMonth   talk time since the start of the local calendar month
 * @param lastCallEnded   when the inmate's previous accepted call ended, or null
 * @param dialed          the normalized dialed number
 * @param approved        the number is on the inmate's approved list
 * @param blocks          blocks found for this number (inmate-, facility- or number-wide)
 * @param privileged      the number is privileged (attorney, hotline): never recorded or monitored
 */
public record CallAttempt(
        Instant now,
        FacilityRules facility,
        InmateStatus status,
        Instant statusUntil,
        PhoneSchedule housingHours,
        int callsToday,
        Duration usedThisMonth,
        Instant lastCallEnded,
        DialedNumber dialed,
        boolean approved,
        List<ActiveBlock> blocks,
        boolean privileged) {

    public CallAttempt {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(facility, "facility");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(housingHours, "housingHours");
        Objects.requireNonNull(usedThisMonth, "usedThisMonth");
        Objects.requireNonNull(dialed, "dialed");
        blocks = List.copyOf(blocks);
    }

    /** The status in force now: a RESTRICTED or SEGREGATION status whose end has passed is ACTIVE. */
    public InmateStatus effectiveStatus() {
        if (status != InmateStatus.ACTIVE && statusUntil != null && !now.isBefore(statusUntil)) {
            return InmateStatus.ACTIVE;
        }
        return status;
    }

    /** The same attempt at another time (the limits are computed again when the call is accepted). */
    public CallAttempt at(Instant time) {
        return new CallAttempt(time, facility, status, statusUntil, housingHours, callsToday, usedThisMonth,
                lastCallEnded, dialed, approved, blocks, privileged);
    }

    public static Builder builder(FacilityRules facility, DialedNumber dialed, Instant now) {
        return new Builder(facility, dialed, now);
    }

    /** Builder starting from an active inmate with phones always on, no usage and no blocks. */
    public static final class Builder {
        private final FacilityRules facility;
        private final DialedNumber dialed;
        private final Instant now;
        private InmateStatus status = InmateStatus.ACTIVE;
        private Instant statusUntil;
        private PhoneSchedule housingHours = PhoneSchedule.ALWAYS;
        private int callsToday;
        private Duration usedThisMonth = Duration.ZERO;
        private Instant lastCallEnded;
        private boolean approved;
        private List<ActiveBlock> blocks = List.of();
        private boolean privileged;

        private Builder(FacilityRules facility, DialedNumber dialed, Instant now) {
            this.facility = facility;
            this.dialed = dialed;
            this.now = now;
        }

        public Builder status(InmateStatus v, Instant until) { status = v; statusUntil = until; return this; }
        public Builder housingHours(PhoneSchedule v) { housingHours = v; return this; }
        public Builder callsToday(int v) { callsToday = v; return this; }
        public Builder usedThisMonth(Duration v) { usedThisMonth = v; return this; }
        public Builder lastCallEnded(Instant v) { lastCallEnded = v; return this; }
        public Builder approved(boolean v) { approved = v; return this; }
        public Builder blocks(List<ActiveBlock> v) { blocks = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }

        public CallAttempt build() {
            return new CallAttempt(now, facility, status, statusUntil, housingHours, callsToday, usedThisMonth,
                    lastCallEnded, dialed, approved, blocks, privileged);
        }
    }
}
