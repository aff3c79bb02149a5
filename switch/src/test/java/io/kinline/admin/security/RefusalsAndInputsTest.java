package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.AdminTestBase;
import io.kinline.store.AuditEntry;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 9: refusals on recordings and call records are audited; a 416 says the size; dates
 * and prompt names are bounded; problem details never name library classes.
 */
class RefusalsAndInputsTest extends AdminTestBase {

    static final Instant T0 = Instant.parse("2026-11-22T15:00:00Z");

    @BeforeAll
    static void data() throws Exception {
        facility("rif");
        inmate("ri1", "rif", "8201");
        store.calls().record(CallRecord.builder("ri-call").facility("rif").station("st").inmateId("ri1")
                .dialed("+15735550981").btn("+15735550981").funding(Funding.PREPAID).startedAt(T0)
                .acceptedAt(T0.plusSeconds(5)).endedAt(T0.plusSeconds(65)).outcome(CallOutcome.COMPLETED)
                .billedSeconds(60).charge(new BigDecimal("0.06")).recording("ri-call.wav").privileged(false).build());
        Files.write(dir.resolve("recordings").resolve("ri-call.wav"), new byte[5_000]);
    }

    static List<AuditEntry> refusals(String target) {
        return store.audit().list(null, target, null, null, 50).stream()
                .filter(e -> e.action().endsWith(".refused")).toList();
    }

    @Test
    void refusedRecordingDownloadsAreAudited() {
        problem(403, null, get("/api/recordings/ri-call", csToken));
        problem(404, null, get("/api/recordings/ri-missing", investigatorToken));
        List<AuditEntry> a = refusals("call:ri-call");
        assertEquals(1, a.size(), a.toString());
        assertEquals("recording.refused", a.get(0).action());
        assertTrue(a.get(0).actor().endsWith("(carol-cs)"), a.get(0).actor());
        assertEquals(1, refusals("call:ri-missing").size());
    }

    @Test
    void unsatisfiableRangeIs416WithTheSizeAndIsAudited() {
        HttpResponse<String> r = callWith("GET", "/api/recordings/ri-call", adminToken, null, "Range", "bytes=9000-");
        problem(416, null, r);
        assertEquals("bytes */5000", r.headers().firstValue("Content-Range").orElse(""));
        assertTrue(store.audit().list(null, "call:ri-call", null, null, 50).stream()
                .noneMatch(e -> e.action().equals("recording.download")), "nothing was downloaded");
    }

    @Test
    void refusedCallRecordLookupsAreAudited() {
        problem(403, null, get("/api/cdrs?inmate=ri1", csToken));
        problem(403, null, get("/api/cdrs/ri-call", csToken));
        long n = store.audit().list(null, null, null, null, 200).stream()
                .filter(e -> e.action().equals("cdr.refused") && e.actor().endsWith("(carol-cs)")).count();
        assertEquals(2, n);
    }

    @Test
    void datesAreBounded() {
        problem(400, "until", patch("/api/inmates/ri1", adminToken,
                "{\"status\":\"restricted\",\"until\":\"+999999999-12-31T23:59:59Z\"}"));
        problem(400, "until", patch("/api/inmates/ri1", adminToken,
                "{\"status\":\"restricted\",\"until\":\"9999-12-31T23:59:59Z\"}"));
        problem(400, "from", get("/api/cdrs?from=%2B999999999-01-01T00:00:00Z", adminToken));
        problem(400, "to", get("/api/incidents?to=-999999999-01-01", adminToken));
        problem(400, "from", get("/api/audit?from=" + "2".repeat(2000), adminToken));
        ok(200, patch("/api/inmates/ri1", adminToken, "{\"status\":\"restricted\",\"until\":\"2099-01-01T00:00:00Z\"}"));
    }

    @Test
    void promptNamesAreValidated() {
        for (String bad : new String[] {"../../etc/passwd", "/etc/passwd", "a/b", "..", "x\\\\y", "name with space"}) {
            problem(400, "namePrompt", patch("/api/facilities/rif", adminToken, "{\"namePrompt\":\"" + bad + "\"}"));
        }
        ok(200, patch("/api/facilities/rif", adminToken, "{\"namePrompt\":\"facility-south-central\"}"));
    }

    @Test
    void problemDetailsNeverNameLibraryClasses() {
        String[] bodies = {"{\"name\":", "{'id':'x'}", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":1}}",
                "\u0000", "{\"a\":[" + "[".repeat(100) + "]}", "{\"id\":\"x\",\"id\":\"y\"}", "{\"a\":tru}",
                "{\"a\":\"" + "\\ud800" + "\"}", "{/*c*/}", "{\"a\":1e5}"};
        for (String b : bodies) {
            HttpResponse<String> r = post("/api/facilities", adminToken, b);
            JsonNode p = problem(400, null, r);
            String d = p.get("detail").asText();
            for (String leak : new String[] {"com.fasterxml", "jackson", "JsonReadFeature", "java.", "Exception",
                    "StreamReadConstraints", "Feature"}) {
                assertFalse(d.toLowerCase().contains(leak.toLowerCase()), b + " -> " + d);
            }
        }
    }
}
