package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.AuditEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication, the role matrix over every route, tokens, health, metrics and generic HTTP errors. */
class AuthApiTest extends AdminTestBase {

    record Case(String method, String path, String body, Set<Role> allowed) {
    }

    static final Set<Role> ALL = Set.of(Role.values());
    static final Set<Role> ADMIN = Set.of(Role.ADMIN);
    static final Set<Role> STAFF = Set.of(Role.ADMIN, Role.INVESTIGATOR);
    static final Set<Role> MONEY = Set.of(Role.ADMIN, Role.CUSTOMER_SERVICE);

    /** Every authenticated route, with the roles that may use it (docs/API.md "Roles"). */
    static final List<Case> CASES = List.of(
            new Case("GET", "/api/tokens", null, ADMIN),
            new Case("POST", "/api/tokens", "{}", ADMIN),
            new Case("DELETE", "/api/tokens/999999", null, ADMIN),
            new Case("GET", "/api/facilities", null, ALL),
            new Case("POST", "/api/facilities", "{}", ADMIN),
            new Case("GET", "/api/facilities/rf", null, ALL),
            new Case("PATCH", "/api/facilities/rf", "{}", ADMIN),
            new Case("GET", "/api/facilities/rf/housing-units", null, ALL),
            new Case("POST", "/api/facilities/rf/housing-units", "{}", ADMIN),
            new Case("GET", "/api/facilities/rf/housing-units/x", null, ALL),
            new Case("PATCH", "/api/facilities/rf/housing-units/x", "{}", ADMIN),
            new Case("GET", "/api/facilities/rf/stations", null, STAFF),
            new Case("POST", "/api/stations", "{}", ADMIN),
            new Case("GET", "/api/stations/x", null, STAFF),
            new Case("POST", "/api/inmates", "{}", ADMIN),
            new Case("GET", "/api/inmates/r1", null, ALL),
            new Case("PATCH", "/api/inmates/r1", "{}", ADMIN),
            new Case("GET", "/api/inmates/r1/approved-numbers", null, ALL),
            new Case("POST", "/api/inmates/r1/approved-numbers", "{}", ADMIN),
            new Case("DELETE", "/api/inmates/r1/approved-numbers", "{}", ADMIN),
            new Case("DELETE", "/api/inmates/r1/approved-numbers/+15735550000", null, ADMIN),
            new Case("GET", "/api/privileged-numbers", null, STAFF),
            new Case("POST", "/api/privileged-numbers", "{}", ADMIN),
            new Case("DELETE", "/api/privileged-numbers/999999", null, ADMIN),
            new Case("GET", "/api/accounts/debit/r1", null, ALL),
            new Case("POST", "/api/accounts/debit/r1/deposits", "{}", MONEY),
            new Case("GET", "/api/accounts/prepaid/+15735550000", null, ALL),
            new Case("POST", "/api/accounts/prepaid/+15735550000/deposits", "{}", MONEY),
            new Case("GET", "/api/blocks", null, ALL),
            new Case("POST", "/api/blocks", "{}", ALL),
            new Case("DELETE", "/api/blocks/+15735550000", null, ALL),
            new Case("GET", "/api/cdrs?btn=%2B15735550000", null, ALL),
            new Case("GET", "/api/cdrs/x", null, STAFF),
            new Case("GET", "/api/calls", null, STAFF),
            new Case("GET", "/api/incidents", null, STAFF),
            new Case("GET", "/api/recordings/x", null, STAFF),
            new Case("GET", "/api/inmates?facility=rf", null, ALL),
            new Case("GET", "/api/audit", null, ADMIN));

    @BeforeAll
    static void data() {
        facility("rf");
        inmate("r1", "rf", "7001");
    }

    static String token(Role r) {
        return switch (r) {
            case ADMIN -> adminToken;
            case INVESTIGATOR -> investigatorToken;
            case CUSTOMER_SERVICE -> csToken;
        };
    }

    @Test
    void everyRouteChecksTokenAndRole() {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            for (String bad : new String[] {null, "bogus", revokedToken}) {
                HttpResponse<String> r = call(c.method(), c.path(), bad, c.body());
                if (r.statusCode() != 401 || r.headers().firstValue("WWW-Authenticate").isEmpty()) {
                    failures.add(c.method() + " " + c.path() + " token=" + bad + " -> " + r.statusCode());
                }
            }
            for (Role role : Role.values()) {
                HttpResponse<String> r = call(c.method(), c.path(), token(role), c.body());
                boolean denied = r.statusCode() == 403;
                if (c.allowed().contains(role) == denied || r.statusCode() == 401) {
                    failures.add(c.method() + " " + c.path() + " as " + role + " -> " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void tokenLifecycle() {
        HttpResponse<String> r = post("/api/tokens", adminToken, "{\"role\":\"investigator\",\"name\":\"det. smith\"}");
        JsonNode t = ok(201, r);
        String secret = t.get("token").asText();
        assertTrue(secret.length() >= 32, secret);
        assertEquals("investigator", t.get("role").asText());
        assertEquals("det. smith", t.get("name").asText());
        String id = t.get("id").asText();
        assertEquals("/api/tokens/" + id, r.headers().firstValue("Location").orElse(""));

        ok(200, get("/api/incidents", secret));
        problem(403, null, post("/api/tokens", secret, "{\"role\":\"admin\",\"name\":\"escalate\"}"));
        JsonNode list = ok(200, get("/api/tokens", adminToken));
        assertTrue(texts(list.get("tokens"), "name").contains("det. smith"));
        assertFalse(list.toString().contains(secret), "the secret is shown only once");
        assertFalse(list.toString().toLowerCase().contains("hash"));

        ok(204, delete("/api/tokens/" + id, adminToken));
        problem(401, null, get("/api/incidents", secret));
        problem(404, null, delete("/api/tokens/" + id, adminToken));
        problem(404, null, delete("/api/tokens/abc", adminToken));

        problem(400, "role", post("/api/tokens", adminToken, "{\"role\":\"janitor\",\"name\":\"x\"}"));
        problem(400, "name", post("/api/tokens", adminToken, "{\"role\":\"admin\"}"));
        problem(400, "name", post("/api/tokens", adminToken, "{\"role\":\"admin\",\"name\":\"" + "n".repeat(101) + "\"}"));
        List<String> actions = store.audit().list(null, "token:" + id, null, null, 10).stream()
                .map(AuditEntry::action).toList();
        assertTrue(actions.containsAll(List.of("token.create", "token.revoke")), actions.toString());
    }

    @Test
    void auditLogIsReadableByAdmins() {
        ok(201, post("/api/facilities", adminToken, "{\"id\":\"aud\",\"name\":\"A\",\"timezone\":\"UTC\"}"));
        JsonNode a = ok(200, get("/api/audit?target=facility:aud", adminToken));
        assertEquals(1, a.get("count").asInt());
        JsonNode e = a.get("entries").get(0);
        assertEquals("facility.create", e.get("action").asText());
        assertTrue(e.get("actor").asText().endsWith("(alice-admin)"));
        assertTrue(e.hasNonNull("at"));
        problem(400, "limit", get("/api/audit?limit=x", adminToken));
    }

    @Test
    void bearerSyntax() {
        HttpResponse<String> r = call("GET", "/api/facilities", null, null);
        assertEquals("Bearer realm=\"kinline\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        problem(401, null, get("/api/facilities", ""));
        problem(401, null, get("/api/facilities", "x".repeat(1000)));
    }

    @Test
    void healthNeedsNoTokenAndReportsChecks() {
        JsonNode h = ok(200, get("/api/health", null));
        assertEquals("UP", h.get("status").asText());
        assertEquals("UP", h.get("db").asText());
        server.addHealthCheck("sip", () -> false);
        try {
            JsonNode down = ok(503, get("/api/health", null));
            assertEquals("DOWN", down.get("status").asText());
            assertEquals("DOWN", down.get("sip").asText());
            server.addHealthCheck("sip", () -> {
                throw new IllegalStateException("boom");
            });
            assertEquals("DOWN", ok(503, get("/api/health", null)).get("sip").asText());
        } finally {
            server.addHealthCheck("sip", () -> true);
        }
        assertEquals("UP", ok(200, get("/api/health", null)).get("sip").asText());
    }

    @Test
    void prometheusMetrics() {
        get("/api/facilities", adminToken);
        HttpResponse<String> r = get("/metrics", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM binders are registered");
        assertTrue(r.body().contains("kinline_admin_requests_seconds_count{method=\"GET\",route=\"/api/facilities\",status=\"200\"}"),
                r.body().lines().filter(l -> l.contains("kinline_admin")).toList().toString());
    }

    @Test
    void genericHttpErrors() {
        problem(404, null, get("/api/unknown", adminToken));
        // Without a token every path is the same 401: the route table is not for strangers to map.
        problem(401, null, get("/nothing/here", null));
        problem(404, null, get("/nothing/here", adminToken));
        HttpResponse<String> r = call("PUT", "/api/facilities/rf", adminToken, "{}");
        problem(405, null, r);
        assertEquals("GET, PATCH", r.headers().firstValue("Allow").orElse(""));
        problem(405, null, call("DELETE", "/api/facilities", adminToken, null));
        problem(400, null, post("/api/facilities", adminToken, "{\"id\":"));
        problem(400, null, post("/api/facilities", adminToken, "\"just a string\""));
        problem(400, null, post("/api/facilities", adminToken, null));
        String big = "{\"id\":\"big\",\"name\":\"" + "x".repeat(70 * 1024) + "\",\"timezone\":\"UTC\"}";
        problem(413, null, post("/api/facilities", adminToken, big));
        problem(404, null, get("/api/facilities/big", adminToken));
        HttpResponse<String> xml = client(adminToken, "<facility/>", "application/xml");
        problem(415, null, xml);
        // curl -d without -H sends application/x-www-form-urlencoded: the JSON body is still accepted
        ok(201, client(adminToken, "{\"id\":\"curl\",\"name\":\"C\",\"timezone\":\"UTC\"}",
                "application/x-www-form-urlencoded"));
        ok(200, get("/api/health", null)); // still serving
    }

    static HttpResponse<String> client(String token, String body, String type) {
        try {
            return AdminTestBase.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/facilities"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", type)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
