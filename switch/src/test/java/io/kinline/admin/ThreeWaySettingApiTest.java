package io.kinline.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Facility;
import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The facility's three-way action through the admin API, and the call record's mark. */
class ThreeWaySettingApiTest extends AdminTestBase {

    @Test
    void aFacilityFlagsByDefaultAndTheSettingIsPatchedLikeAnyRule() {
        JsonNode f = ok(201, post("/api/facilities", adminToken, "{\"id\":\"east\",\"name\":\"East\",\"timezone\":\"UTC\"}"));
        assertEquals("flag", f.get("threeWay").asText());
        JsonNode p = ok(200, patch("/api/facilities/east", adminToken, "{\"threeWay\":\"disconnect\"}"));
        assertEquals("disconnect", p.get("threeWay").asText());
        assertEquals(Facility.ThreeWay.DISCONNECT, store.facilities().get("east").orElseThrow().threeWay());
        assertEquals("disconnect", ok(200, get("/api/facilities/east", investigatorToken)).get("threeWay").asText());
        assertEquals("warn", ok(200, patch("/api/facilities/east", adminToken, "{\"threeWay\":\"warn\"}")).get("threeWay").asText());

        problem(400, "threeWay", patch("/api/facilities/east", adminToken, "{\"threeWay\":\"hangup\"}"));
        problem(400, "threeWay", patch("/api/facilities/east", adminToken, "{\"threeWay\":true}"));
        problem(403, null, patch("/api/facilities/east", csToken, "{\"threeWay\":\"flag\"}"));
        assertEquals(Facility.ThreeWay.WARN, store.facilities().get("east").orElseThrow().threeWay(), "refused changes change nothing");
    }

    @Test
    void theCallRecordsMarkIsShownToInvestigatorsNotCustomerService() {
        Instant t = Instant.parse("2026-11-20T15:00:00Z");
        store.calls().record(CallRecord.builder("tw-1").facility("cf").station("st-1").inmateId("c1").dialed("+15735550777")
                .btn("+15735550777").funding(Funding.PREPAID).startedAt(t).acceptedAt(t.plusSeconds(20))
                .endedAt(t.plusSeconds(300)).outcome(CallOutcome.COMPLETED).billedSeconds(300)
                .charge(new BigDecimal("0.30")).threeWay(true).build());
        JsonNode inv = ok(200, get("/api/cdrs/tw-1", investigatorToken));
        assertTrue(inv.get("threeWay").asBoolean(), inv.toString());
        JsonNode cs = ok(200, get("/api/cdrs?btn=5735550777", csToken)).get("cdrs").get(0);
        assertFalse(cs.has("threeWay"), cs.toString());
    }
}
