package io.kinline.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NumberPlanTest {

    @ParameterizedTest
    @ValueSource(strings = {"5735550100", "+15735550100", "15735550100", "(573) 555-0100", "573.555.0100",
            "1-573-555-0100", "+1 573 555 0100", "011 1 573 555 0100", "573/555-0100"})
    void nanpFormsNormalizeToE164(String raw) {
        DialedNumber d = NumberPlan.parse(raw).orElseThrow();
        assertEquals("+15735550100", d.number());
        assertEquals(Destination.ORDINARY, d.destination());
        assertEquals("5735550100", d.nationalNumber());
        assertTrue(d.isE164());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "573555010", "57355501000", "25735550100", "0735550100", "1735550100",
            "5730550100", "5731550100", "5935550100", "9115550100", "5739115550", "5734115550",
            "+", "+0", "abc", "573-555-01OO", "5735550100;ext=2", "++15735550100", "1-5735550100#",
            "0115", "011"})
    void invalidNumbersAreRejected(String raw) {
        assertTrue(NumberPlan.parse(raw).isEmpty(), raw);
    }

    @Test
    void nullAndOverlongInputAreRejected() {
        assertTrue(NumberPlan.parse(null).isEmpty());
        assertTrue(NumberPlan.parse("5".repeat(NumberPlan.MAX_INPUT_LENGTH + 1)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"800", "833", "844", "855", "866", "877", "888"})
    void tollFreeAreaCodes(String npa) {
        assertEquals(Destination.TOLL_FREE, NumberPlan.parse(npa + "2345678").orElseThrow().destination());
        assertEquals(Destination.TOLL_FREE, NumberPlan.parse("1" + npa + "2345678").orElseThrow().destination());
        assertEquals(Destination.TOLL_FREE, NumberPlan.parse("+1" + npa + "2345678").orElseThrow().destination());
    }

    @Test
    void nearTollFreeCodesAreOrdinary() {
        assertEquals(Destination.ORDINARY, NumberPlan.parse("8222345678").orElseThrow().destination());
        assertEquals(Destination.ORDINARY, NumberPlan.parse("8462345678").orElseThrow().destination());
    }

    @Test
    void premiumNpa900AndNxx976() {
        assertEquals(Destination.PREMIUM, NumberPlan.parse("19005551234").orElseThrow().destination());
        assertEquals(Destination.PREMIUM, NumberPlan.parse("5739761234").orElseThrow().destination());
        assertEquals(Destination.ORDINARY, NumberPlan.parse("5739771234").orElseThrow().destination());
    }

    @ParameterizedTest
    @CsvSource({"211,211,N11", "311,311,N11", "511,511,N11", "611,611,N11", "711,711,N11", "811,811,N11",
            "911,911,N11", "1911,911,N11", "1-911,911,N11", "411,411,DIRECTORY_ASSISTANCE",
            "1411,411,DIRECTORY_ASSISTANCE"})
    void serviceCodes(String raw, String number, Destination kind) {
        DialedNumber d = NumberPlan.parse(raw).orElseThrow();
        assertEquals(number, d.number());
        assertEquals(kind, d.destination());
        assertFalse(d.isE164());
        assertNull(d.nationalNumber());
    }

    @Test
    void notServiceCodes() {
        assertTrue(NumberPlan.parse("111").isEmpty());
        assertTrue(NumberPlan.parse("011").isEmpty());
        assertTrue(NumberPlan.parse("912").isEmpty());
        assertTrue(NumberPlan.parse("2911").isEmpty());
    }

    @Test
    void directoryAssistance5551212() {
        assertEquals(Destination.DIRECTORY_ASSISTANCE, NumberPlan.parse("1-573-555-1212").orElseThrow().destination());
        assertEquals(Destination.DIRECTORY_ASSISTANCE, NumberPlan.parse("+12125551212").orElseThrow().destination());
        assertEquals(Destination.ORDINARY, NumberPlan.parse("5735551213").orElseThrow().destination());
    }

    @Test
    void internationalWith011AndPlus() {
        DialedNumber uk = NumberPlan.parse("011 44 20 7123 4567").orElseThrow();
        assertEquals("+442071234567", uk.number());
        assertEquals(Destination.INTERNATIONAL, uk.destination());
        assertFalse(uk.isNanp());
        assertEquals("+525512345678", NumberPlan.parse("+52 55 1234 5678").orElseThrow().number());
        assertTrue(NumberPlan.parse("+4412345678901234").isEmpty(), "16 digits exceeds E.164");
        assertTrue(NumberPlan.parse("011 44 12").isEmpty(), "too short");
    }

    @Test
    void sevenDigitsNeedAHomeNpa() {
        assertTrue(NumberPlan.parse("555-0100").isEmpty());
        assertEquals("+15735550100", NumberPlan.parse("555-0100", "573").orElseThrow().number());
        assertTrue(NumberPlan.parse("155-0100", "573").isEmpty());
    }

    // ---- What an INVITE's Request-URI dials (the B2BUA hands it to the script, which parses it) ----

    @ParameterizedTest
    @CsvSource({
            "5735550100, 5735550100",            // ten-digit NANP
            "15735550100, 15735550100",          // eleven-digit NANP
            "+15735550100, +15735550100",        // E.164
            "(573) 555-0100, 5735550100",        // separators removed
            "+1.573.555.0100, +15735550100",
            "5550100, 5550100",                  // seven digits: the script adds the facility's home NPA
            "+442071234567, +442071234567",      // international E.164
            "011442071234567, 011442071234567",
            "011123456789012345, 011123456789012345"}) // 011 and 15 digits: the longest
    void aNumberInTheInviteIsDialled(String user, String dial) {
        assertEquals(dial, NumberPlan.dialledInInvite(user));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1001", "2001", "100", "1", "0",      // the switch's access codes: the IVR asks for the number
            "911", "1911", "411", "123456",      // service codes and anything under seven digits
            "", " ", "+", "s", "ivr", "abc5735550100", "5735550100;x", "573\t5550100", "++15735550100",
            "5735550100#", "*67 5735550100",    // not a dial string
            "0111234567890123456",               // 19 digits: longer than 011 and any E.164 number
            "5555555555555555555555555555"})
    void anythingElseInTheInviteIsNotDialled(String user) {
        assertNull(NumberPlan.dialledInInvite(user), user);
    }

    @Test
    void aMissingOrOverlongRequestUserIsNotDialled() {
        assertNull(NumberPlan.dialledInInvite(null));
        assertNull(NumberPlan.dialledInInvite("5".repeat(NumberPlan.MAX_INPUT_LENGTH + 1)));
        assertNull(NumberPlan.dialledInInvite("5735550100" + " ".repeat(NumberPlan.MAX_INPUT_LENGTH)));
    }

    @Test
    void whatTheInviteDialsParsesLikeTheSameDigitsKeyedIn() {
        for (String user : new String[] {"(573) 555-0100", "+1 573 555 0100", "5550100", "+442071234567"}) {
            assertEquals(NumberPlan.parse(user, "573"), NumberPlan.parse(NumberPlan.dialledInInvite(user), "573"), user);
        }
    }
}
