package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.AuditEntry;
import io.kinline.store.Inmate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InmateApiTest extends AdminTestBase {

    @BeforeAll
    static void facilities() {
        facility("fa");
        facility("fb");
        ok(201, post("/api/facilities/fa/housing-units", adminToken, "{\"id\":\"fa-1\",\"name\":\"One\"}"));
    }

    @Test
    void createAndGetNeverShowsPin() {
        HttpResponse<String> r = post("/api/inmates", adminToken,
                "{\"id\":\"i100\",\"name\":\"John Doe\",\"facility\":\"fa\",\"housingUnit\":\"fa-1\",\"pin\":\"4821\",\"language\":\"es\"}");
        JsonNode n = ok(201, r);
        assertEquals("/api/inmates/i100", r.headers().firstValue("Location").orElse(""));
        assertEquals("es", n.get("language").asText());
        assertEquals("active", n.get("status").asText());
        assertFalse(r.body().contains("4821"));
        assertFalse(r.body().toLowerCase().contains("pin\""), r.body()); // no "pin" / "pinHash" fields
        HttpResponse<String> g = get("/api/inmates/i100", csToken);
        JsonNode gn = ok(200, g);
        assertEquals("fa-1", gn.get("housingUnit").asText());
        assertFalse(g.body().contains("4821"));
        assertFalse(gn.has("pinHash") || gn.has("pin"));
        assertTrue(store.inmates().findByPin("fa", "4821").isPresent(), "the PIN works for the call flow");
        for (AuditEntry e : store.audit().list(null, "inmate:i100", null, null, 10)) {
            assertFalse(String.valueOf(e.details()).contains("4821"), "no PIN in the audit log");
        }
        // default language is the facility's
        inmate("i101", "fa", "1111");
        assertEquals("en", ok(200, get("/api/inmates/i101", adminToken)).get("language").asText());
    }

    @Test
    void listByFacility() {
        inmate("i150", "fb", "1500");
        JsonNode l = ok(200, get("/api/inmates?facility=fb", csToken));
        assertTrue(texts(l.get("inmates"), "id").contains("i150"));
        assertFalse(l.toString().contains("1500"));
        problem(400, "facility", get("/api/inmates", adminToken));
        problem(400, "facility", get("/api/inmates?facility=nope", adminToken));
    }

    @Test
    void createValidation() {
        problem(400, "pin", post("/api/inmates", adminToken,
                "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":\"123\"}"));
        problem(400, "pin", post("/api/inmates", adminToken,
                "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":\"12a4\"}"));
        problem(400, "pin", post("/api/inmates", adminToken, "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"fa\"}"));
        problem(400, "pin", post("/api/inmates", adminToken,
                "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":1234}"));
        problem(400, "facility", post("/api/inmates", adminToken,
                "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"nope\",\"pin\":\"1234\"}"));
        problem(400, "housingUnit", post("/api/inmates", adminToken,
                "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"fb\",\"housingUnit\":\"fa-1\",\"pin\":\"1234\"}"));
        problem(400, "language", post("/api/inmates", adminToken,
                "{\"id\":\"i200\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":\"1234\",\"language\":\"English!\"}"));
        problem(400, "name", post("/api/inmates", adminToken, "{\"id\":\"i200\",\"facility\":\"fa\",\"pin\":\"1234\"}"));
        problem(404, null, get("/api/inmates/i200", adminToken));

        inmate("i201", "fa", "5555");
        problem(409, "id", post("/api/inmates", adminToken,
                "{\"id\":\"i201\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":\"6666\"}"));
        problem(409, "pin", post("/api/inmates", adminToken,
                "{\"id\":\"i202\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":\"5555\"}"));
        inmate("i203", "fb", "5555"); // the same PIN in another facility is fine
        problem(404, null, get("/api/inmates/i202", adminToken));
        problem(403, null, post("/api/inmates", csToken, "{\"id\":\"i204\",\"name\":\"A\",\"facility\":\"fa\",\"pin\":\"1234\"}"));
    }

    @Test
    void patchStatusPinUnlockLanguage() {
        inmate("i300", "fa", "3000");
        Instant until = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode n = ok(200, patch("/api/inmates/i300", adminToken,
                "{\"status\":\"restricted\",\"until\":\"" + until + "\",\"language\":\"fr\"}"));
        assertEquals("restricted", n.get("status").asText());
        assertEquals("restricted", n.get("effectiveStatus").asText());
        assertEquals(until, Instant.parse(n.get("until").asText()));
        assertEquals("fr", n.get("language").asText());

        n = ok(200, patch("/api/inmates/i300", adminToken, "{\"status\":\"active\"}"));
        assertEquals("active", n.get("status").asText());
        assertTrue(n.get("until").isNull());

        // lock the PIN the way the call flow does, then unlock through the API
        store.inmates().recordPinFailure("i300", 1, Duration.ofMinutes(15), Instant.now());
        assertTrue(ok(200, get("/api/inmates/i300", adminToken)).get("pinLocked").asBoolean());
        n = ok(200, patch("/api/inmates/i300", adminToken, "{\"unlock\":true}"));
        assertFalse(n.get("pinLocked").asBoolean());
        assertEquals(0, n.get("pinFailures").asInt());

        store.inmates().recordPinFailure("i300", 1, Duration.ofMinutes(15), Instant.now());
        n = ok(200, patch("/api/inmates/i300", adminToken, "{\"pin\":\"3001\"}"));
        assertFalse(n.get("pinLocked").asBoolean(), "a PIN reset unlocks");
        assertTrue(store.inmates().findByPin("fa", "3001").isPresent());
        assertTrue(store.inmates().findByPin("fa", "3000").isEmpty());

        problem(400, "status", patch("/api/inmates/i300", adminToken, "{\"status\":\"free\"}"));
        problem(400, "until", patch("/api/inmates/i300", adminToken, "{\"status\":\"segregation\",\"until\":\"tomorrow\"}"));
        problem(400, "until", patch("/api/inmates/i300", adminToken, "{\"status\":\"segregation\",\"until\":\"2001-01-01T00:00:00Z\"}"));
        problem(400, "pin", patch("/api/inmates/i300", adminToken, "{\"pin\":\"12\"}"));
        problem(400, "unlock", patch("/api/inmates/i300", adminToken, "{\"unlock\":\"yes\"}"));
        problem(404, null, patch("/api/inmates/nobody", adminToken, "{\"language\":\"en\"}"));
        problem(403, null, patch("/api/inmates/i300", investigatorToken, "{\"language\":\"en\"}"));
    }

    @Test
    void failedPatchLeavesNothingHalfApplied() {
        inmate("i400", "fa", "4000");
        inmate("i401", "fa", "4001");
        // the name change comes first in the handler, the PIN conflict after it: all must roll back
        problem(409, "pin", patch("/api/inmates/i400", adminToken,
                "{\"name\":\"Changed\",\"status\":\"segregation\",\"pin\":\"4001\"}"));
        Inmate i = store.inmates().get("i400").orElseThrow();
        assertEquals("Inmate i400", i.name());
        assertEquals(Inmate.Status.ACTIVE, i.status());
        assertTrue(store.inmates().findByPin("fa", "4000").isPresent());
        assertTrue(store.audit().list(null, "inmate:i400", null, null, 10).stream()
                .noneMatch(e -> e.action().equals("inmate.update")), "no audit line for a rolled-back change");
    }

    @Test
    void approvedNumbers() {
        inmate("i500", "fa", "5000");
        JsonNode a = ok(201, post("/api/inmates/i500/approved-numbers", adminToken,
                "{\"number\":\"(573) 555-0101\",\"label\":\"Mom\"}"));
        assertEquals("+15735550101", a.get("number").asText());
        ok(201, post("/api/inmates/i500/approved-numbers", adminToken, "{\"number\":\"+15735550102\"}"));
        ok(201, post("/api/inmates/i500/approved-numbers", adminToken, "{\"number\":\"+15735550103\"}"));
        problem(409, "number", post("/api/inmates/i500/approved-numbers", adminToken, "{\"number\":\"+15735550101\"}"));
        problem(400, "number", post("/api/inmates/i500/approved-numbers", adminToken, "{\"number\":\"call me\"}"));
        problem(404, null, post("/api/inmates/nobody/approved-numbers", adminToken, "{\"number\":\"+15735550101\"}"));
        JsonNode list = ok(200, get("/api/inmates/i500/approved-numbers", csToken));
        assertEquals(List.of("+15735550101", "+15735550102", "+15735550103"),
                texts(list.get("numbers"), "number").stream().sorted().toList());

        ok(204, delete("/api/inmates/i500/approved-numbers/+15735550101", adminToken));
        ok(204, call("DELETE", "/api/inmates/i500/approved-numbers", adminToken, "{\"number\":\"+15735550102\"}"));
        problem(404, null, delete("/api/inmates/i500/approved-numbers/+15735550101", adminToken));
        problem(400, "number", call("DELETE", "/api/inmates/i500/approved-numbers", adminToken, "{}"));
        assertEquals(List.of("+15735550103"),
                texts(ok(200, get("/api/inmates/i500/approved-numbers", investigatorToken)).get("numbers"), "number"));
        assertFalse(store.inmates().isApproved("i500", "+15735550101"));
        problem(403, null, post("/api/inmates/i500/approved-numbers", csToken, "{\"number\":\"+15735550104\"}"));
        problem(403, null, delete("/api/inmates/i500/approved-numbers/+15735550103", investigatorToken));
        List<String> actions = store.audit().list(null, "inmate:i500", null, null, 20).stream()
                .map(AuditEntry::action).toList();
        assertEquals(3, actions.stream().filter("approved-number.add"::equals).count());
        assertEquals(2, actions.stream().filter("approved-number.remove"::equals).count());
    }

    @Test
    void privilegedNumbers() {
        JsonNode p = ok(201, post("/api/privileged-numbers", adminToken,
                "{\"number\":\"+13145550199\",\"kind\":\"attorney\",\"label\":\"Public defender\"}"));
        assertEquals("attorney", p.get("kind").asText());
        assertTrue(p.get("facility").isNull());
        ok(201, post("/api/privileged-numbers", adminToken,
                "{\"number\":\"+18005550100\",\"kind\":\"hotline\",\"facility\":\"fa\"}"));
        problem(409, "number", post("/api/privileged-numbers", adminToken,
                "{\"number\":\"+13145550199\",\"kind\":\"attorney\"}"));
        problem(400, "kind", post("/api/privileged-numbers", adminToken, "{\"number\":\"+13145550100\",\"kind\":\"friend\"}"));
        problem(400, "facility", post("/api/privileged-numbers", adminToken,
                "{\"number\":\"+13145550100\",\"kind\":\"hotline\",\"facility\":\"nope\"}"));
        List<String> all = texts(ok(200, get("/api/privileged-numbers?facility=fa", investigatorToken)).get("numbers"), "number");
        assertTrue(all.containsAll(List.of("+13145550199", "+18005550100")), all.toString());
        assertTrue(store.numbers().findPrivileged("fa", "+13145550199").isPresent());
        problem(403, null, get("/api/privileged-numbers", csToken));
        problem(403, null, post("/api/privileged-numbers", investigatorToken, "{\"number\":\"+13145550100\",\"kind\":\"hotline\"}"));
        ok(204, delete("/api/privileged-numbers/" + p.get("id").asLong(), adminToken));
        problem(404, null, delete("/api/privileged-numbers/" + p.get("id").asLong(), adminToken));
        assertTrue(store.numbers().findPrivileged("fa", "+13145550199").isEmpty());
    }
}
