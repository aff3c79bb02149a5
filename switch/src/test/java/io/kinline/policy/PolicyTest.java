package io.kinline.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {

    static final ZoneId ZONE = ZoneId.of("America/Chicago");
    static final Instant NOON = LocalDateTime.parse("2026-03-02T12:00").atZone(ZONE).toInstant();
    static final FacilityRules FACILITY = FacilityRules.builder("scc").zone(ZONE).build();
    static final DialedNumber HOME = NumberPlan.parse("5735550100").orElseThrow();

    static CallAttempt.Builder attempt() {
        return CallAttempt.builder(FACILITY, HOME, NOON);
    }

    static CallAttempt.Builder attempt(FacilityRules f, String number, Instant now) {
        return CallAttempt.builder(f, NumberPlan.parse(number).orElseThrow(), now);
    }

    static String reason(Optional<Denial> d) {
        return d.map(x -> x.reason().code()).orElse("allowed");
    }

    @Test
    void anOrdinaryCallIsAllowed() {
        assertEquals("allowed", reason(Policy.standard().evaluate(attempt().build())));
    }

    @Test
    void restrictedUntilADate() {
        Instant tomorrow = NOON.plus(Duration.ofDays(1));
        Optional<Denial> d = Rules.RESTRICTED.check(attempt().status(InmateStatus.RESTRICTED, tomorrow).build());
        assertEquals("restricted", reason(d));
        assertEquals("denied-restricted", d.get().prompt());
        assertEquals("restricted", reason(Rules.RESTRICTED.check(attempt().status(InmateStatus.RESTRICTED, null).build())));
        // the restriction has ended
        assertEquals("allowed", reason(Rules.RESTRICTED.check(
                attempt().status(InmateStatus.RESTRICTED, NOON.minusSeconds(1)).build())));
        assertEquals("allowed", reason(Policy.standard().evaluate(
                attempt().status(InmateStatus.RESTRICTED, NOON).build())));
    }

    @Test
    void segregationHasItsOwnHoursAndQuota() {
        FacilityRules f = FACILITY.toBuilder().segregationHours(PhoneSchedule.parse("10:00-13:00"))
                .segregationCallsPerDay(1).build();
        CallAttempt.Builder seg = attempt(f, "5735550100", NOON).status(InmateStatus.SEGREGATION, null);
        assertEquals("allowed", reason(Rules.SEGREGATION.check(seg.build())));
        assertEquals("segregation", reason(Rules.SEGREGATION.check(seg.callsToday(1).build())));
        CallAttempt evening = attempt(f, "5735550100", NOON.plus(Duration.ofHours(3)))
                .status(InmateStatus.SEGREGATION, null).build();
        Optional<Denial> d = Rules.SEGREGATION.check(evening);
        assertEquals("segregation", reason(d));
        assertEquals("denied-segregation", d.get().prompt());
        // not in segregation: the segregation rule does not apply
        assertEquals("allowed", reason(Rules.SEGREGATION.check(attempt(f, "5735550100", NOON.plus(Duration.ofHours(3)))
                .callsToday(5).build())));
    }

    @Test
    void phoneHoursInTheFacilityZone() {
        PhoneSchedule hours = PhoneSchedule.parse("07:00-22:00");
        assertEquals("allowed", reason(Rules.PHONE_HOURS.check(attempt().housingHours(hours).build())));
        Instant late = LocalDateTime.parse("2026-03-02T22:30").atZone(ZONE).toInstant();
        Optional<Denial> d = Rules.PHONE_HOURS.check(attempt(FACILITY, "5735550100", late).housingHours(hours).build());
        assertEquals("outside_hours", reason(d));
        assertEquals("denied-outside-hours", d.get().prompt());
        PhoneSchedule overnight = PhoneSchedule.parse("22:00-06:00");
        assertEquals("allowed", reason(Rules.PHONE_HOURS.check(
                attempt(FACILITY, "5735550100", late).housingHours(overnight).build())));
        assertEquals("outside_hours", reason(Rules.PHONE_HOURS.check(attempt().housingHours(overnight).build())));
    }

    @Test
    void dailyLimit() {
        FacilityRules f = FACILITY.toBuilder().callsPerDay(3).build();
        assertEquals("allowed", reason(Rules.DAILY_LIMIT.check(attempt(f, "5735550100", NOON).callsToday(2).build())));
        Optional<Denial> d = Rules.DAILY_LIMIT.check(attempt(f, "5735550100", NOON).callsToday(3).build());
        assertEquals("daily_limit", reason(d));
        assertEquals("denied-daily-limit", d.get().prompt());
        assertEquals("allowed", reason(Rules.DAILY_LIMIT.check(attempt().callsToday(300).build())), "0 = unlimited");
    }

    @Test
    void monthlyMinutesNeedAtLeastOneMinuteLeft() {
        FacilityRules f = FACILITY.toBuilder().monthlyMinutes(300).build();
        assertEquals("allowed", reason(Rules.MONTHLY_MINUTES.check(
                attempt(f, "5735550100", NOON).usedThisMonth(Duration.ofMinutes(299)).build())));
        Optional<Denial> d = Rules.MONTHLY_MINUTES.check(
                attempt(f, "5735550100", NOON).usedThisMonth(Duration.ofMinutes(299).plusSeconds(1)).build());
        assertEquals("monthly_minutes", reason(d));
        assertEquals("denied-monthly-minutes", d.get().prompt());
    }

    @Test
    void cooldownAfterTheLastCall() {
        FacilityRules f = FACILITY.toBuilder().cooldown(Duration.ofMinutes(15)).build();
        Optional<Denial> d = Rules.COOLDOWN.check(
                attempt(f, "5735550100", NOON).lastCallEnded(NOON.minus(Duration.ofMinutes(14))).build());
        assertEquals("cooldown", reason(d));
        assertEquals("denied-cooldown", d.get().prompt());
        assertEquals("allowed", reason(Rules.COOLDOWN.check(
                attempt(f, "5735550100", NOON).lastCallEnded(NOON.minus(Duration.ofMinutes(15))).build())));
        assertEquals("allowed", reason(Rules.COOLDOWN.check(attempt(f, "5735550100", NOON).build())));
    }

    @Test
    void approvedListWhereRequiredExceptPrivileged() {
        FacilityRules f = FACILITY.toBuilder().requireApprovedList(true).build();
        Optional<Denial> d = Rules.APPROVED_LIST.check(attempt(f, "5735550100", NOON).build());
        assertEquals("not_approved", reason(d));
        assertEquals("denied-not-approved", d.get().prompt());
        assertEquals("allowed", reason(Rules.APPROVED_LIST.check(attempt(f, "5735550100", NOON).approved(true).build())));
        assertEquals("allowed", reason(Rules.APPROVED_LIST.check(attempt(f, "5735550100", NOON).privileged(true).build())));
        assertEquals("allowed", reason(Rules.APPROVED_LIST.check(attempt().build())));
    }

    @Test
    void privilegedNumbersStillFollowTheOtherRules() {
        FacilityRules f = FACILITY.toBuilder().requireApprovedList(true).callsPerDay(1).build();
        assertEquals("daily_limit", reason(Policy.standard().evaluate(
                attempt(f, "5735550100", NOON).privileged(true).callsToday(1).build())));
    }

    @Test
    void blocks() {
        Optional<Denial> keypad = Rules.BLOCKS.check(attempt().blocks(List.of(new ActiveBlock(BlockType.KEYPAD, ""))).build());
        assertEquals("blocked_number", reason(keypad));
        assertEquals("denied-blocked", keypad.get().prompt());
        for (BlockType t : List.of(BlockType.FACILITY, BlockType.SECURITY, BlockType.ACCOUNT)) {
            Optional<Denial> d = Rules.BLOCKS.check(attempt().blocks(List.of(new ActiveBlock(t, "victim's request"))).build());
            assertEquals("blocked_number", reason(d));
            assertTrue(d.get().detail().contains(t.name().toLowerCase()), d.get().detail());
        }
        Optional<Denial> nc = Rules.BLOCKS.check(attempt().blocks(List.of(
                new ActiveBlock(BlockType.KEYPAD, ""), new ActiveBlock(BlockType.NO_CONTACT, "order 2026-114"))).build());
        assertEquals("no_contact", reason(nc));
        assertEquals("denied-no-contact", nc.get().prompt());
        assertEquals(Optional.of(IncidentType.NO_CONTACT_ATTEMPT), nc.get().incidentType());
        assertEquals("allowed", reason(Rules.BLOCKS.check(attempt().build())));
    }

    @Test
    void bannedDestinations() {
        Optional<Denial> tf = Rules.DESTINATION.check(attempt(FACILITY, "18005551234", NOON).build());
        assertEquals("toll_free", reason(tf));
        assertEquals("denied-toll-free", tf.get().prompt());
        assertEquals(Optional.of(IncidentType.TOLL_FREE_ATTEMPT), tf.get().incidentType());
        assertEquals("premium", reason(Rules.DESTINATION.check(attempt(FACILITY, "9005551234", NOON).build())));
        assertEquals("premium", reason(Rules.DESTINATION.check(attempt(FACILITY, "5739761234", NOON).build())));
        Optional<Denial> n11 = Rules.DESTINATION.check(attempt(FACILITY, "911", NOON).build());
        assertEquals("n11", reason(n11));
        assertEquals("denied-n11", n11.get().prompt());
        assertEquals("n11", reason(Rules.DESTINATION.check(attempt(FACILITY, "1911", NOON).build())));
        Optional<Denial> da = Rules.DESTINATION.check(attempt(FACILITY, "411", NOON).build());
        assertEquals("directory_assistance", reason(da));
        assertEquals("denied-directory", da.get().prompt());
        assertEquals("directory_assistance",
                reason(Rules.DESTINATION.check(attempt(FACILITY, "5735551212", NOON).build())));
        assertEquals(Optional.empty(), Rules.DESTINATION.check(attempt().build()).flatMap(Denial::incidentType));
    }

    @Test
    void internationalOnlyWhereAllowed() {
        Optional<Denial> d = Rules.DESTINATION.check(attempt(FACILITY, "011442071234567", NOON).build());
        assertEquals("international", reason(d));
        assertEquals("denied-international", d.get().prompt());
        FacilityRules open = FACILITY.toBuilder().allowInternational(true).build();
        assertEquals("allowed", reason(Rules.DESTINATION.check(attempt(open, "011442071234567", NOON).build())));
    }

    @Test
    void orderDecidesWhichDenialIsHeard() {
        FacilityRules f = FACILITY.toBuilder().requireApprovedList(true).callsPerDay(1).build();
        Instant late = LocalDateTime.parse("2026-03-02T23:00").atZone(ZONE).toInstant();
        CallAttempt everything = attempt(f, "911", late).status(InmateStatus.RESTRICTED, null)
                .housingHours(PhoneSchedule.parse("07:00-22:00")).callsToday(5).build();
        assertEquals("restricted", reason(Policy.standard().evaluate(everything)));
        CallAttempt notRestricted = attempt(f, "911", late).housingHours(PhoneSchedule.parse("07:00-22:00"))
                .callsToday(5).build();
        assertEquals("outside_hours", reason(Policy.standard().evaluate(notRestricted)));
        // 911 is "n11", not "not approved"
        assertEquals("n11", reason(Policy.standard().evaluate(attempt(f, "911", NOON).callsToday(5).build())));
    }

    @Test
    void allowedLengthIsTheShortestLimit() {
        FacilityRules f = FACILITY.toBuilder().maxCallLength(Duration.ofMinutes(15)).build();
        BigDecimal rate = new BigDecimal("0.10");
        Policy.Allowance rich = Policy.allowedLength(attempt(f, "5735550100", NOON).build(), new BigDecimal("20"), rate);
        assertEquals(new Policy.Allowance(Duration.ofMinutes(15), Policy.Limit.MAX_LENGTH), rich);

        Policy.Allowance poor = Policy.allowedLength(attempt(f, "5735550100", NOON).build(), new BigDecimal("0.75"),
                rate);
        assertEquals(new Policy.Allowance(Duration.ofMinutes(7), Policy.Limit.FUNDS), poor);
        assertEquals("funds-exhausted", poor.limit().cutOffPrompt());
        // The same money at a cheaper call's rate buys more.
        assertEquals(new Policy.Allowance(Duration.ofMinutes(12), Policy.Limit.FUNDS),
                Policy.allowedLength(attempt(f, "5735550100", NOON).build(), new BigDecimal("0.75"),
                        new BigDecimal("0.06")));

        Instant late = LocalDateTime.parse("2026-03-02T21:53:30").atZone(ZONE).toInstant();
        Policy.Allowance closing = Policy.allowedLength(attempt(f, "5735550100", late)
                .housingHours(PhoneSchedule.parse("07:00-22:00")).build(), new BigDecimal("20"), rate);
        assertEquals(new Policy.Allowance(Duration.ofSeconds(390), Policy.Limit.PHONE_HOURS), closing);
        assertEquals("time-limit-reached", closing.limit().cutOffPrompt());

        FacilityRules monthly = f.toBuilder().monthlyMinutes(100).build();
        assertEquals(new Policy.Allowance(Duration.ofMinutes(4), Policy.Limit.MONTHLY_MINUTES),
                Policy.allowedLength(attempt(monthly, "5735550100", NOON).usedThisMonth(Duration.ofMinutes(96)).build(),
                        new BigDecimal("20"), rate));
    }

    @Test
    void underAMinuteOfFunds() {
        Policy.Allowance a = Policy.allowedLength(attempt(FACILITY, "5735550100", NOON).build(), new BigDecimal("0.20"),
                new BigDecimal("0.21"));
        assertEquals(Duration.ZERO, a.length());
        assertEquals(Policy.Limit.FUNDS, a.limit());
        assertTrue(!a.atLeastOneMinute());
        assertEquals(Duration.ofMinutes(1), Policy.fundsBuy(new BigDecimal("0.21"), new BigDecimal("0.21")));
        assertEquals(Duration.ZERO, Policy.fundsBuy(new BigDecimal("-3"), new BigDecimal("0.21")));
    }

    @Test
    void freeCallsAreLimitedByTimeOnly() {
        assertEquals(Policy.Limit.MAX_LENGTH,
                Policy.allowedLength(attempt(FACILITY, "5735550100", NOON).build(), BigDecimal.ZERO, BigDecimal.ZERO)
                        .limit());
    }

    @Test
    void segregationHoursShortenTheCall() {
        FacilityRules f = FACILITY.toBuilder().segregationHours(PhoneSchedule.parse("10:00-12:10")).build();
        Policy.Allowance a = Policy.allowedLength(attempt(f, "5735550100", NOON)
                .status(InmateStatus.SEGREGATION, null).build(), new BigDecimal("50"), new BigDecimal("0.06"));
        assertEquals(new Policy.Allowance(Duration.ofMinutes(10), Policy.Limit.PHONE_HOURS), a);
    }
}
