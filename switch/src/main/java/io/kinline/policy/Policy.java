package io.kinline.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of rules; the first denial wins. The order decides which prompt an inmate hears
 * when several rules apply: who may call at all, then when, then where to, then how much.
 */
public final class Policy {

    private final List<PolicyRule> rules;

    public Policy(List<PolicyRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The standard rules in their standard order (see docs/CALLFLOW.md). */
    public static Policy standard() {
        return new Policy(List.of(
                Rules.RESTRICTED,
                Rules.SEGREGATION,
                Rules.PHONE_HOURS,
                Rules.DESTINATION,
                Rules.BLOCKS,
                Rules.APPROVED_LIST,
                Rules.DAILY_LIMIT,
                Rules.MONTHLY_MINUTES,
                Rules.COOLDOWN));
    }

    /** The first denial, or empty when the call may go ahead. */
    public Optional<Denial> evaluate(CallAttempt a) {
        for (PolicyRule r : rules) {
            Optional<Denial> d = r.check(a);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** Which limit decides a call's length; picks the cut-off prompt. */
    public enum Limit {
        MAX_LENGTH("time-limit-reached"),
        PHONE_HOURS("time-limit-reached"),
        MONTHLY_MINUTES("time-limit-reached"),
        FUNDS("funds-exhausted");

        private final String prompt;

        Limit(String prompt) {
            this.prompt = prompt;
        }

        /** The prompt played when the call is cut off at this limit. */
        public String cutOffPrompt() {
            return prompt;
        }

        /** The cut-off reason code for the call record. */
        public String reasonCode() {
            return this == FUNDS ? "funds_exhausted" : "time_limit";
        }
    }

    /** How long a call may last and which limit binds. */
    public record Allowance(Duration length, Limit limit) {
        /** Calls shorter than this are not placed. */
        public static final Duration MINIMUM = Duration.ofMinutes(1);

        public boolean atLeastOneMinute() {
            return length.compareTo(MINIMUM) >= 0;
        }
    }

    /** Whole minutes an amount buys at a rate (billing rounds partial minutes up, so floor here). */
    public static Duration fundsBuy(BigDecimal available, BigDecimal ratePerMinute) {
        if (ratePerMinute.signum() == 0) {
            return null;
        }
        if (available.signum() <= 0) {
            return Duration.ZERO;
        }
        long minutes = available.divide(ratePerMinute, 0, RoundingMode.FLOOR).longValueExact();
        return Duration.ofMinutes(minutes);
    }

    /**
     * The allowed length of a call: the shortest of the maximum call length, the time left in phone
     * hours (and in segregation hours), the minutes left this month, and what the funds buy. Ties go
     * to the earlier limit in {@link Limit} order, except that funds are named only when they bind
     * strictly (a family should not hear "funds exhausted" when the call hit the time limit).
     *
     * @param available     the chosen account's available funds (ignored at a zero rate)
     * @param ratePerMinute the call's own rate (that of the dialled number's call type), the one it
     *                      is reserved and charged at; zero for a free call
     */
    public static Allowance allowedLength(CallAttempt a, BigDecimal available, BigDecimal ratePerMinute) {
        FacilityRules f = a.facility();
        Duration best = f.maxCallLength();
        Limit limit = Limit.MAX_LENGTH;
        Optional<Duration> hours = a.housingHours().timeLeft(a.now(), f.zone());
        if (a.effectiveStatus() == InmateStatus.SEGREGATION) {
            Optional<Duration> seg = f.segregationHours().timeLeft(a.now(), f.zone());
            if (seg.isPresent() && (hours.isEmpty() || seg.get().compareTo(hours.get()) < 0)) {
                hours = seg;
            }
        }
        if (hours.isPresent() && hours.get().compareTo(best) < 0) {
            best = hours.get();
            limit = Limit.PHONE_HOURS;
        }
        if (f.monthlyMinutes() > 0) {
            Duration left = Duration.ofMinutes(f.monthlyMinutes()).minus(a.usedThisMonth());
            if (left.isNegative()) {
                left = Duration.ZERO;
            }
            if (left.compareTo(best) < 0) {
                best = left;
                limit = Limit.MONTHLY_MINUTES;
            }
        }
        Duration funds = fundsBuy(available, ratePerMinute);
        if (funds != null && funds.compareTo(best) < 0) {
            best = funds;
            limit = Limit.FUNDS;
        }
        return new Allowance(best, limit);
    }
}
