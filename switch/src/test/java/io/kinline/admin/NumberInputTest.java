package io.kinline.admin;

import io.kinline.admin.api.NumberInput;
import io.kinline.admin.http.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NumberInputTest {

    @Test
    void normalises() {
        assertEquals("+15551234567", NumberInput.e164("n", "+15551234567"));
        assertEquals("+15551234567", NumberInput.e164("n", "(555) 123-4567"));
        assertEquals("+15551234567", NumberInput.e164("n", "1-555-123-4567"));
        assertEquals("+15551234567", NumberInput.e164("n", " 15551234567")); // '+' decoded as space
        assertEquals("+442071234567", NumberInput.e164("n", "+44 20 7123 4567"));
    }

    @Test
    void rejectsWithField() {
        for (String bad : new String[] {"", "abc", "+0123456789", "12345", "+1234567890123456", "555-1234x"}) {
            ApiException e = assertThrows(ApiException.class, () -> NumberInput.e164("number", bad), bad);
            assertEquals("number", e.field());
            assertEquals(400, e.status());
        }
    }
}
