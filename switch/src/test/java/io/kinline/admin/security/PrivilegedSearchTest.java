package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.AdminTestBase;
import io.kinline.admin.http.Json;
import io.kinline.store.AuditEntry;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 6: privileged calls (attorneys, hotlines) are invisible to non-admins in every call-record
 * search, filtered in the query itself, and every search is audited. Runs on H2 and PostgreSQL.
 */
public class PrivilegedSearchTest extends AdminTestBase {

    static final String ATTORNEY = "+13145550971";
    static final String FAMILY = "+15735550971";
    static final Instant T0 = Instant.parse("2026-11-21T15:00:00Z");

    @BeforeAll
    static void data() {
        facility("pf");
        inmate("pv1", "pf", "8101");
        // One ordinary call, then three privileged ones after it: a filter applied after the LIMIT would
        // find no ordinary call in the newest row.
        store.calls().record(cdr("pv-family", FAMILY, T0, false));
        for (int i = 1; i <= 3; i++) {
            store.calls().record(cdr("pv-attorney-" + i, ATTORNEY, T0.plusSeconds(600L * i), true));
        }
        // A privileged call whose BTN is the family's number too (an attorney on a family line).
        store.calls().record(cdr("pv-attorney-btn", FAMILY, T0.plusSeconds(3000), true));
    }

    static CallRecord cdr(String id, String number, Instant at, boolean privileged) {
        return CallRecord.builder(id).facility("pf").station("st").inmateId("pv1").dialed(number).btn(number)
                .funding(Funding.FREE).startedAt(at).acceptedAt(at.plusSeconds(5)).endedAt(at.plusSeconds(300))
                .outcome(CallOutcome.COMPLETED).billedSeconds(300).charge(BigDecimal.ZERO).privileged(privileged)
                .build();
    }

    static List<String> ids(String path, String token) {
        return texts(ok(200, get(path, token)).get("cdrs"), "callId");
    }

    @Test
    void investigatorSearchesReturnNoPrivilegedCall() {
        String enc = ATTORNEY.replace("+", "%2B");
        assertEquals(List.of(), ids("/api/cdrs?dialed=" + enc, investigatorToken));
        assertEquals(List.of(), ids("/api/cdrs?btn=" + enc, investigatorToken));
        assertEquals(List.of("pv-family"), ids("/api/cdrs?inmate=pv1", investigatorToken));
        assertEquals(List.of("pv-family"), ids("/api/cdrs?facility=pf&outcome=completed", investigatorToken));
        assertEquals(List.of("pv-family"), ids("/api/cdrs?inmate=pv1&limit=1", investigatorToken),
                "filtered in the query, before the limit");
        assertEquals(0, ok(200, get("/api/cdrs?dialed=" + enc, investigatorToken)).get("count").asInt());
        problem(404, null, get("/api/cdrs/pv-attorney-1", investigatorToken));
        for (JsonNode n : ok(200, get("/api/cdrs", investigatorToken)).get("cdrs")) {
            assertFalse(n.get("privileged").asBoolean(), n.toString());
        }
    }

    @Test
    void customerServiceSearchesReturnNoPrivilegedCall() {
        assertEquals(List.of(), ids("/api/cdrs?btn=" + ATTORNEY.replace("+", "%2B"), csToken));
        assertEquals(List.of("pv-family"), ids("/api/cdrs?btn=" + FAMILY.replace("+", "%2B"), csToken));
    }

    @Test
    void adminsStillSeeThem() {
        assertEquals(List.of("pv-attorney-3", "pv-attorney-2", "pv-attorney-1"),
                ids("/api/cdrs?dialed=" + ATTORNEY.replace("+", "%2B"), adminToken));
        assertEquals(ATTORNEY, ok(200, get("/api/cdrs/pv-attorney-1", adminToken)).get("dialed").asText());
    }

    @Test
    void everySearchIsAuditedWithItsFiltersAndResults() throws Exception {
        ok(200, get("/api/cdrs?inmate=pv1&outcome=completed", investigatorToken));
        List<AuditEntry> a = store.audit().list("token:" + investigatorTokenId + "(ivan-investigator)", null, null,
                null, 20).stream().filter(e -> e.action().equals("cdr.search")).toList();
        assertFalse(a.isEmpty(), "the search is audited");
        JsonNode d = Json.mapper().readTree(a.get(0).details());
        assertEquals("pv1", d.at("/filters/inmate").asText(), d.toString());
        assertEquals("completed", d.at("/filters/outcome").asText(), d.toString());
        assertEquals(1, d.get("results").asInt(), d.toString());
        ok(200, get("/api/cdrs/pv-family", investigatorToken));
        assertTrue(store.audit().list(null, "call:pv-family", null, null, 10).stream()
                .anyMatch(e -> e.action().equals("cdr.read")), "a record looked up by id is audited");
    }
}
