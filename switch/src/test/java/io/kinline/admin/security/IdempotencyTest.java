package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.AdminTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 5: money is idempotent. The same Idempotency-Key and body replay the first response;
 * the same key with another body is 422; duplicate JSON keys are 400. Runs on H2 and PostgreSQL.
 */
public class IdempotencyTest extends AdminTestBase {

    static final String PREPAID = "/api/accounts/prepaid/+15735550931/deposits";

    @BeforeAll
    static void data() {
        facility("idf");
        inmate("id1", "idf", "5101");
    }

    static HttpResponse<String> deposit(String path, String token, String key, String body) {
        return callWith("POST", path, token, body, "Idempotency-Key", key);
    }

    static String balance(String path) {
        return ok(200, get(path, adminToken)).get("balance").asText();
    }

    @Test
    void theSameKeyAndBodyCreditOnceAndReplayTheFirstResponse() {
        String path = "/api/accounts/debit/id1/deposits";
        HttpResponse<String> first = deposit(path, csToken, "dep-0001", "{\"amount\":\"12.50\",\"reference\":\"r1\"}");
        ok(201, first);
        HttpResponse<String> again = deposit(path, csToken, "dep-0001", "{\"amount\":\"12.50\",\"reference\":\"r1\"}");
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(first.body(), again.body(), "the replay is the first response");
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals("12.50", balance("/api/accounts/debit/id1"));
        assertEquals(1, ok(200, get(path, adminToken)).get("count").asInt(), "one deposit in the history");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        ok(201, deposit(PREPAID, csToken, "dep-0002", "{\"amount\":\"5.00\"}"));
        JsonNode p = problem(422, null, deposit(PREPAID, csToken, "dep-0002", "{\"amount\":\"500.00\"}"));
        assertTrue(p.get("detail").asText().contains("Idempotency-Key"), p.toString());
        assertEquals("5.00", balance("/api/accounts/prepaid/+15735550931"));
    }

    @Test
    void concurrentRetriesWithOneKeyCreditOnce() throws Exception {
        String path = "/api/accounts/prepaid/+15735550932/deposits";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(pool.submit(() -> deposit(path, csToken, "dep-race", "{\"amount\":\"7.00\"}")));
            }
            String body = null;
            for (Future<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get();
                assertTrue(r.statusCode() == 201 || r.statusCode() == 409, r.statusCode() + " " + r.body());
                if (r.statusCode() == 201) {
                    if (body == null) {
                        body = r.body();
                    }
                    assertEquals(body, r.body(), "every success is the one deposit");
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals("7.00", balance("/api/accounts/prepaid/+15735550932"));
    }

    @Test
    void keysAreTheTokensOwn() {
        String path = "/api/accounts/prepaid/+15735550933/deposits";
        ok(201, deposit(path, csToken, "shared-key", "{\"amount\":\"1.00\"}"));
        // The same key from another token is another request: it does not see the first one's response.
        ok(201, deposit(path, adminToken, "shared-key", "{\"amount\":\"1.00\"}"));
        assertEquals("2.00", balance("/api/accounts/prepaid/+15735550933"));
    }

    @Test
    void duplicateJsonKeysAre400() {
        String path = "/api/accounts/prepaid/+15735550934/deposits";
        problem(400, null, post(path, csToken, "{\"amount\":\"1.00\",\"amount\":\"999.00\"}"));
        problem(400, null, post("/api/facilities", adminToken,
                "{\"id\":\"dupf\",\"name\":\"a\",\"timezone\":\"UTC\",\"phoneHours\":{\"start\":\"07:00\",\"start\":\"01:00\",\"end\":\"22:00\"}}"));
        problem(404, null, get("/api/accounts/prepaid/+15735550934", adminToken));
    }

    @Test
    void everyCreatingPostHonoursTheKey() {
        String[][] creates = {
                {"/api/facilities", "{\"id\":\"idk\",\"name\":\"K\",\"timezone\":\"UTC\"}"},
                {"/api/facilities/idk/housing-units", "{\"id\":\"idk-u\",\"name\":\"U\"}"},
                {"/api/stations", "{\"id\":\"idk-s\",\"facility\":\"idk\",\"kind\":\"handset\"}"},
                {"/api/inmates", "{\"id\":\"idk-i\",\"name\":\"I\",\"facility\":\"idk\",\"pin\":\"6161\"}"},
                {"/api/inmates/idk-i/approved-numbers", "{\"number\":\"+15735550941\"}"},
                {"/api/privileged-numbers", "{\"number\":\"+13145550941\",\"kind\":\"attorney\",\"facility\":\"idk\"}"},
                {"/api/blocks", "{\"number\":\"+15735550942\",\"type\":\"security\"}"},
                {"/api/tokens", "{\"role\":\"investigator\",\"name\":\"idk-token\"}"}};
        for (String[] c : creates) {
            HttpResponse<String> first = deposit(c[0], adminToken, "create " + c[0], c[1]);
            ok(201, first);
            HttpResponse<String> again = deposit(c[0], adminToken, "create " + c[0], c[1]);
            assertEquals(201, again.statusCode(), c[0] + ": " + again.body());
            assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""), c[0]);
            if (!c[0].equals("/api/tokens")) {
                assertEquals(first.body(), again.body(), c[0]);
            }
        }
        // A token's secret is shown once: the replay names the token but not its secret.
        HttpResponse<String> replay = deposit("/api/tokens", adminToken, "create /api/tokens", creates[7][1]);
        assertTrue(json(replay).get("token").isNull(), replay.body());
        assertEquals(1, ok(200, get("/api/tokens", adminToken)).get("tokens").findValuesAsText("name").stream()
                .filter("idk-token"::equals).count());
    }

    @Test
    void aBadKeyIs400() {
        problem(400, "Idempotency-Key", deposit(PREPAID, csToken, "x".repeat(300), "{\"amount\":\"1.00\"}"));
    }
}
