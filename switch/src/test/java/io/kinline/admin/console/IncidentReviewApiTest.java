package io.kinline.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.AdminTestBase;
import io.kinline.store.ApiToken;
import io.kinline.store.Incident;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The incident queue's acknowledgements and notes through the API: roles, facility scope, audit. */
class IncidentReviewApiTest extends AdminTestBase {

    @Test
    void acknowledgeOnceAndAddNotesAuditedUnderTheCaller() {
        facility("irf");
        Incident i = store.incidents().record(Incident.of("irf", null, null, Incident.Type.OTHER, Instant.now(), "x"));
        JsonNode r = ok(200, post("/api/incidents/" + i.id() + "/acknowledge", investigatorToken, null));
        assertTrue(r.get("acknowledgedBy").asText().contains("ivan-investigator"));
        problem(409, null, post("/api/incidents/" + i.id() + "/acknowledge", adminToken, null));
        ok(201, post("/api/incidents/" + i.id() + "/notes", investigatorToken, "{\"text\":\"spoke to the officer\"}"));
        problem(400, "text", post("/api/incidents/" + i.id() + "/notes", investigatorToken, "{\"text\":\"a\\u202eb\"}"));
        JsonNode reviews = ok(200, get("/api/incidents/reviews?ids=" + i.id(), adminToken));
        assertEquals("spoke to the officer", reviews.at("/reviews/0/notes/0/text").asText());
        problem(403, null, post("/api/incidents/" + i.id() + "/notes", csToken, "{\"text\":\"no\"}"));
        assertEquals(2, store.audit().list(null, "incident:" + i.id(), null, null, 10).size());
    }

    @Test
    void anIncidentOutsideALimitedCallersFacilitiesDoesNotExistForThem() {
        facility("irf-a");
        facility("irf-b");
        Incident i = store.incidents().record(Incident.of("irf-b", null, null, Incident.Type.OTHER, Instant.now(), "x"));
        String limited = store.tokens().issue("irf-a-inv", ApiToken.Role.INVESTIGATOR, null, Set.of("irf-a")).secret();
        problem(404, null, post("/api/incidents/" + i.id() + "/acknowledge", limited, null));
        problem(404, null, post("/api/incidents/999999/acknowledge", limited, null));
        assertEquals(0, ok(200, get("/api/incidents/reviews?ids=" + i.id(), limited)).get("reviews").size());
        problem(400, "ids", get("/api/incidents/reviews?ids=1,x", adminToken));
    }
}
