package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.ActiveCallView;
import io.kinline.admin.AdminTestBase;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import io.kinline.store.Incident;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 8: tokens expire, may be limited to facilities, and say when they were last used.
 * A facility-scoped token sees and changes only its facilities' data, calls and recordings.
 */
public class TokenScopeTest extends AdminTestBase {

    static final Instant T0 = Instant.parse("2026-11-20T15:00:00Z");
    static String scoped;
    static String scopedAdmin;

    @BeforeAll
    static void data() throws Exception {
        facility("sa");
        facility("sb");
        inmate("sa-1", "sa", "7101");
        inmate("sb-1", "sb", "7102");
        store.calls().record(cdr("sa-call", "sa", "sa-1", "sa-call.wav"));
        store.calls().record(cdr("sb-call", "sb", "sb-1", "sb-call.wav"));
        Files.write(dir.resolve("recordings").resolve("sa-call.wav"), new byte[100]);
        Files.write(dir.resolve("recordings").resolve("sb-call.wav"), new byte[100]);
        store.incidents().record(Incident.of("sa", "sa-1", null, Incident.Type.PIN_FAILED, T0, null));
        store.incidents().record(Incident.of("sb", "sb-1", null, Incident.Type.PIN_FAILED, T0, null));
        scoped = ok(201, post("/api/tokens", adminToken,
                "{\"role\":\"investigator\",\"name\":\"sa-investigator\",\"facilities\":[\"sa\"]}")).get("token").asText();
        scopedAdmin = ok(201, post("/api/tokens", adminToken,
                "{\"role\":\"admin\",\"name\":\"sa-admin\",\"facilities\":[\"sa\"]}")).get("token").asText();
    }

    static CallRecord cdr(String id, String facility, String inmate, String rec) {
        return CallRecord.builder(id).facility(facility).station("st").inmateId(inmate).dialed("+15735550961")
                .btn("+15735550961").funding(Funding.PREPAID).startedAt(T0).acceptedAt(T0.plusSeconds(10))
                .endedAt(T0.plusSeconds(70)).outcome(CallOutcome.COMPLETED).billedSeconds(60)
                .charge(new BigDecimal("0.06")).recording(rec).privileged(false).build();
    }

    @Test
    void tokensCarryExpiryScopeAndLastUse() throws Exception {
        JsonNode t = ok(201, post("/api/tokens", adminToken, "{\"role\":\"customer_service\",\"name\":\"cs-short\","
                + "\"expiresAt\":\"" + Instant.now().plusSeconds(3) + "\",\"facilities\":[\"sa\",\"sb\"]}"));
        assertNotNull(t.get("expiresAt").asText(null));
        List<String> facilities = new java.util.ArrayList<>();
        t.get("facilities").forEach(n -> facilities.add(n.asText()));
        assertEquals(List.of("sa", "sb"), facilities);
        assertTrue(t.get("lastUsedAt").isNull());
        String secret = t.get("token").asText();
        ok(200, get("/api/facilities", secret));
        JsonNode listed = null;
        for (JsonNode n : ok(200, get("/api/tokens", adminToken)).get("tokens")) {
            if (n.get("id").asText().equals(t.get("id").asText())) {
                listed = n;
            }
        }
        assertNotNull(listed);
        assertFalse(listed.get("lastUsedAt").isNull(), "lastUsedAt is set by use: " + listed);
        Thread.sleep(3_500);
        problem(401, null, get("/api/facilities", secret));

        problem(400, "expiresAt", post("/api/tokens", adminToken,
                "{\"role\":\"investigator\",\"name\":\"past\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}"));
        problem(400, "expiresAt", post("/api/tokens", adminToken,
                "{\"role\":\"investigator\",\"name\":\"far\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}"));
        problem(400, "facilities", post("/api/tokens", adminToken,
                "{\"role\":\"investigator\",\"name\":\"nowhere\",\"facilities\":[\"no-such-facility\"]}"));
    }

    @Test
    void nonAdminTokensGetADefaultLifetime() {
        JsonNode inv = ok(201, post("/api/tokens", adminToken, "{\"role\":\"investigator\",\"name\":\"inv-default\"}"));
        Instant exp = Instant.parse(inv.get("expiresAt").asText());
        Duration left = Duration.between(Instant.now(), exp);
        assertTrue(left.compareTo(Duration.ofDays(29)) > 0 && left.compareTo(Duration.ofDays(31)) < 0, left.toString());
        JsonNode adm = ok(201, post("/api/tokens", adminToken, "{\"role\":\"admin\",\"name\":\"adm-default\"}"));
        assertTrue(adm.get("expiresAt").isNull(), "admin tokens do not expire unless asked");
    }

    @Test
    void aScopedTokenSeesOnlyItsFacilities() {
        assertEquals(List.of("sa"), texts(ok(200, get("/api/facilities", scoped)).get("facilities"), "id"));
        ok(200, get("/api/facilities/sa", scoped));
        problem(404, null, get("/api/facilities/sb", scoped));
        problem(404, null, get("/api/facilities/sb/housing-units", scoped));
        ok(200, get("/api/inmates/sa-1", scoped));
        problem(404, null, get("/api/inmates/sb-1", scoped));
        problem(400, "facility", get("/api/inmates?facility=sb", scoped));
        problem(404, null, get("/api/accounts/debit/sb-1", scoped));
        assertEquals(List.of("sa-call"), texts(ok(200, get("/api/cdrs", scoped)).get("cdrs"), "callId"));
        assertEquals(0, ok(200, get("/api/cdrs?facility=sb", scoped)).get("count").asInt());
        problem(404, null, get("/api/cdrs/sb-call", scoped));
        assertEquals(200, get("/api/recordings/sa-call", scoped).statusCode());
        problem(404, null, get("/api/recordings/sb-call", scoped));
        JsonNode inc = ok(200, get("/api/incidents", scoped));
        assertEquals(List.of("sa"), texts(inc.get("incidents"), "facility"));
        activeCalls.clear();
        activeCalls.add(new ActiveCallView("live-sa", "sa", "st", "sa-1", "+15735550961", "talking", T0, T0, false));
        activeCalls.add(new ActiveCallView("live-sb", "sb", "st", "sb-1", "+15735550961", "talking", T0, T0, false));
        try {
            assertEquals(List.of("live-sa"), texts(ok(200, get("/api/calls", scoped)).get("calls"), "callId"));
        } finally {
            activeCalls.clear();
        }
    }

    @Test
    void aScopedAdminChangesOnlyItsFacilities() {
        ok(200, patch("/api/facilities/sa", scopedAdmin, "{\"callsPerDay\":7}"));
        problem(404, null, patch("/api/facilities/sb", scopedAdmin, "{\"callsPerDay\":7}"));
        problem(404, null, patch("/api/inmates/sb-1", scopedAdmin, "{\"name\":\"x\"}"));
        problem(400, "facility", post("/api/inmates", scopedAdmin,
                "{\"id\":\"sb-2\",\"name\":\"x\",\"facility\":\"sb\",\"pin\":\"7103\"}"));
        problem(404, null, post("/api/accounts/debit/sb-1/deposits", scopedAdmin, "{\"amount\":\"1.00\"}"));
        problem(403, null, post("/api/facilities", scopedAdmin, "{\"id\":\"sc\",\"name\":\"C\",\"timezone\":\"UTC\"}"));
        // Tokens and the audit log span every facility: an unscoped admin's business.
        problem(403, null, get("/api/tokens", scopedAdmin));
        problem(403, null, post("/api/tokens", scopedAdmin, "{\"role\":\"admin\",\"name\":\"escalate\"}"));
        problem(403, null, get("/api/audit", scopedAdmin));
        problem(403, null, post("/api/privileged-numbers", scopedAdmin,
                "{\"number\":\"+13145550962\",\"kind\":\"attorney\"}"));
        ok(201, post("/api/privileged-numbers", scopedAdmin,
                "{\"number\":\"+13145550962\",\"kind\":\"attorney\",\"facility\":\"sa\"}"));
    }
}
