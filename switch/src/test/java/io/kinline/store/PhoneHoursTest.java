package io.kinline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class PhoneHoursTest {

    @Test
    void allDayWindowIsAlwaysOpen() {
        PhoneHours h = PhoneHours.parse("00:00-24:00");
        assertTrue(h.always());
        assertEquals(PhoneHours.ALWAYS, h);
        assertTrue(h.contains(LocalTime.MIDNIGHT));
        assertTrue(h.contains(LocalTime.of(23, 59, 59)));
        assertNull(h.untilClose(LocalTime.NOON));
        assertEquals("00:00-24:00", h.toString());
    }

    @Test
    void dayWindowIncludesStartExcludesEnd() {
        PhoneHours h = PhoneHours.parse("07:00-22:30");
        assertFalse(h.contains(LocalTime.of(6, 59)));
        assertTrue(h.contains(LocalTime.of(7, 0)));
        assertTrue(h.contains(LocalTime.of(22, 29, 59)));
        assertFalse(h.contains(LocalTime.of(22, 30)));
        assertEquals(Duration.ofMinutes(30), h.untilClose(LocalTime.of(22, 0)));
        assertEquals(Duration.ZERO, h.untilClose(LocalTime.of(23, 0)));
    }

    @Test
    void windowToMidnightAndAcrossMidnight() {
        PhoneHours toMidnight = PhoneHours.parse("18:00-24:00");
        assertTrue(toMidnight.contains(LocalTime.of(23, 59)));
        assertFalse(toMidnight.contains(LocalTime.of(0, 0)));
        assertEquals(Duration.ofMinutes(60), toMidnight.untilClose(LocalTime.of(23, 0)));
        assertEquals("18:00-24:00", toMidnight.toString());

        PhoneHours night = PhoneHours.parse("22:00-06:00");
        assertTrue(night.contains(LocalTime.of(23, 0)));
        assertTrue(night.contains(LocalTime.of(5, 59)));
        assertFalse(night.contains(LocalTime.of(6, 0)));
        assertFalse(night.contains(LocalTime.NOON));
        assertEquals(Duration.ofHours(7), night.untilClose(LocalTime.of(23, 0)));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> PhoneHours.parse("24:00-06:00"));
        assertThrows(IllegalArgumentException.class, () -> PhoneHours.parse("07:00"));
        assertThrows(IllegalArgumentException.class, () -> PhoneHours.parse("07:00-07:00"));
        assertThrows(IllegalArgumentException.class, () -> PhoneHours.parse("7h-8h"));
    }
}
