package io.kinline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The records serialize the way the admin API wants them (wire names, 24:00). */
class JsonFormTest {

    final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void facilityRoundTripsWithEndOfDayHours() throws Exception {
        Facility f = Facility.builder("f1").name("F").timezone(ZoneId.of("America/Chicago"))
                .phoneHours(PhoneHours.parse("07:00-24:00")).build();
        String text = json.writeValueAsString(f);
        assertTrue(text.contains("\"phoneHours\":\"07:00-24:00\""), text);
        assertEquals(f, json.readValue(text, Facility.class));
    }

    @Test
    void callRecordUsesWireNames() throws Exception {
        CallRecord r = CallRecord.builder("c1").funding(Funding.PREPAID).startedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .outcome(CallOutcome.BLOCKED_BY_CALLED_PARTY).charge(new BigDecimal("0.12"))
                .inmateQuality(new LegQuality(1, 0.5, 2.0)).build();
        String text = json.writeValueAsString(r);
        assertTrue(text.contains("\"outcome\":\"blocked_by_called_party\""), text);
        assertTrue(text.contains("\"funding\":\"prepaid\""), text);
        assertEquals(r, json.readValue(text, CallRecord.class));
    }
}
