package io.kinline.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhoneScheduleTest {

    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(CHICAGO).toInstant();
    }

    @Test
    void dayRange() {
        PhoneSchedule s = PhoneSchedule.parse("07:00-22:00");
        assertFalse(s.isOpen(at("2026-03-02T06:59:59"), CHICAGO));
        assertTrue(s.isOpen(at("2026-03-02T07:00"), CHICAGO));
        assertTrue(s.isOpen(at("2026-03-02T21:59"), CHICAGO));
        assertFalse(s.isOpen(at("2026-03-02T22:00"), CHICAGO));
        assertEquals(Optional.of(Duration.ofMinutes(10)), s.timeLeft(at("2026-03-02T21:50"), CHICAGO));
        assertEquals(Optional.of(Duration.ZERO), s.timeLeft(at("2026-03-02T23:00"), CHICAGO));
    }

    @Test
    void alwaysHasNoLimit() {
        PhoneSchedule s = PhoneSchedule.parse("00:00-24:00");
        assertTrue(s.isAlways());
        assertTrue(s.isOpen(at("2026-03-02T03:00"), CHICAGO));
        assertTrue(s.timeLeft(at("2026-03-02T23:59"), CHICAGO).isEmpty());
        assertTrue(PhoneSchedule.parse("06:00-24:00,00:00-06:00").isAlways());
    }

    @Test
    void overnightRange() {
        PhoneSchedule s = PhoneSchedule.parse("22:00-06:00");
        assertTrue(s.isOpen(at("2026-03-02T23:30"), CHICAGO));
        assertTrue(s.isOpen(at("2026-03-02T05:59"), CHICAGO));
        assertFalse(s.isOpen(at("2026-03-02T06:00"), CHICAGO));
        assertFalse(s.isOpen(at("2026-03-02T12:00"), CHICAGO));
        // 23:30 -> 06:00 next day, across midnight
        assertEquals(Optional.of(Duration.ofMinutes(390)), s.timeLeft(at("2026-03-02T23:30"), CHICAGO));
        assertEquals(Optional.of(Duration.ofMinutes(30)), s.timeLeft(at("2026-03-02T05:30"), CHICAGO));
    }

    @Test
    void touchingRangesAreOneWindowAndGapsCount() {
        PhoneSchedule s = PhoneSchedule.parse("07:00-11:30, 12:30-24:00, 00:00-01:00");
        assertFalse(s.isOpen(at("2026-03-02T12:00"), CHICAGO));
        assertEquals(Optional.of(Duration.ofMinutes(20)), s.timeLeft(at("2026-03-02T11:10"), CHICAGO));
        assertEquals(Optional.of(Duration.ofMinutes(70)), s.timeLeft(at("2026-03-02T23:50"), CHICAGO));
    }

    @Test
    void timeLeftFollowsDaylightSavingTime() {
        // 2026-03-08 02:00 CST -> 03:00 CDT: from 01:00 to 06:00 local is 4 real hours.
        PhoneSchedule s = PhoneSchedule.parse("22:00-06:00");
        assertEquals(Optional.of(Duration.ofHours(4)), s.timeLeft(at("2026-03-08T01:00"), CHICAGO));
    }

    @Test
    void facilityZoneDecides() {
        PhoneSchedule s = PhoneSchedule.parse("07:00-22:00");
        Instant utc0300 = Instant.parse("2026-03-02T03:00:00Z"); // 21:00 in Chicago, 22:00 in New York
        assertTrue(s.isOpen(utc0300, CHICAGO));
        assertFalse(s.isOpen(utc0300, ZoneId.of("America/New_York")));
    }

    @Test
    void emptyMeansNever() {
        PhoneSchedule s = PhoneSchedule.parse("");
        assertFalse(s.isOpen(at("2026-03-02T12:00"), CHICAGO));
    }

    @Test
    void malformedRangesThrow() {
        assertThrows(IllegalArgumentException.class, () -> PhoneSchedule.parse("7-22"));
        assertThrows(IllegalArgumentException.class, () -> PhoneSchedule.parse("07:00"));
        assertThrows(IllegalArgumentException.class, () -> PhoneSchedule.parse("07:00-07:00"));
        assertThrows(IllegalArgumentException.class, () -> PhoneSchedule.parse("24:00-06:00"));
        assertThrows(IllegalArgumentException.class, () -> PhoneSchedule.parse("07:00-25:00"));
    }
}
