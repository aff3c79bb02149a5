package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.AuditEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deposit history customer service reads back to a family: GET …/deposits, and the id POST returns. */
class DepositsApiTest extends AdminTestBase {

    @BeforeAll
    static void data() {
        facility("dep");
        inmate("d1", "dep", "1001");
        inmate("d2", "dep", "1002");
        inmate("d3", "dep", "1003");
    }

    static long deposit(String path, String token, String body) {
        JsonNode r = ok(201, post(path + "/deposits", token, body));
        assertTrue(r.get("depositId").isIntegralNumber(), r.toString());
        return r.get("depositId").asLong();
    }

    @Test
    void debitHistoryIsNewestFirstWithRunningBalances() {
        JsonNode none = ok(200, get("/api/accounts/debit/d1/deposits", csToken));
        assertEquals(0, none.get("count").asInt());
        assertTrue(none.get("next").isNull());

        long first = deposit("/api/accounts/debit/d1", csToken, "{\"amount\":\"25.00\",\"reference\":\"receipt 8812\"}");
        JsonNode post = ok(201, post("/api/accounts/debit/d1/deposits", adminToken, "{\"amount\":\"2.5\"}"));
        assertEquals("27.50", post.get("balance").asText());
        assertEquals("d1", post.get("inmateId").asText());
        long second = post.get("depositId").asLong();
        long third = deposit("/api/accounts/debit/d1", csToken, "{\"amount\":\"0.05\"}");
        deposit("/api/accounts/debit/d2", csToken, "{\"amount\":\"9.00\"}"); // another inmate's: not listed

        for (String token : List.of(adminToken, investigatorToken, csToken)) {
            JsonNode h = ok(200, get("/api/accounts/debit/d1/deposits", token));
            assertEquals(3, h.get("count").asInt());
            JsonNode ds = h.get("deposits");
            assertEquals(List.of(String.valueOf(third), String.valueOf(second), String.valueOf(first)), texts(ds, "id"));
            assertEquals(List.of("0.05", "2.50", "25.00"), texts(ds, "amount"));
            assertEquals(List.of("27.55", "27.50", "25.00"), texts(ds, "balance"));
            assertEquals(List.of("token:3(carol-cs)", "token:1(alice-admin)", "token:3(carol-cs)"), texts(ds, "by"));
            assertEquals("receipt 8812", ds.get(2).get("reference").asText());
            assertTrue(ds.get(0).get("reference").isNull());
            assertTrue(ds.get(0).get("at").asText().endsWith("Z"), ds.toString());
            assertTrue(h.get("next").isNull());
        }
        assertEquals("27.55", ok(200, get("/api/accounts/debit/d1", csToken)).get("balance").asText());
        // The audit line names the deposit too.
        List<AuditEntry> audit = store.audit().list(null, "inmate:d1", null, null, 10);
        assertTrue(audit.stream().anyMatch(e -> e.details().contains("\"deposit\":" + first)), audit.toString());
    }

    @Test
    void prepaidHistoryAndPaging() {
        String acct = "/api/accounts/prepaid/+15735550177";
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(deposit(acct, csToken, "{\"amount\":\"" + i + ".00\"}"));
        }
        // Newest first, two at a time, following "next" to the end.
        List<String> seen = new ArrayList<>();
        List<String> balances = new ArrayList<>();
        String page = acct + "/deposits?limit=2";
        int pages = 0;
        while (page != null) {
            JsonNode p = ok(200, get(page, investigatorToken));
            assertTrue(p.get("count").asInt() <= 2);
            seen.addAll(texts(p.get("deposits"), "id"));
            balances.addAll(texts(p.get("deposits"), "balance"));
            page = p.get("next").isNull() ? null : p.get("next").asText();
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(ids.reversed().stream().map(String::valueOf).toList(), seen);
        assertEquals(List.of("15.00", "10.00", "6.00", "3.00", "1.00"), balances);
        // An explicit cursor; a formatted BTN reaches the same account.
        JsonNode after = ok(200, get("/api/accounts/prepaid/573-555-0177/deposits?before=" + ids.get(2), csToken));
        assertEquals(List.of(String.valueOf(ids.get(1)), String.valueOf(ids.get(0))), texts(after.get("deposits"), "id"));
        // Exactly one page's worth: no next page.
        assertTrue(ok(200, get(acct + "/deposits?limit=5", adminToken)).get("next").isNull());
        assertEquals(5, ok(200, get(acct + "/deposits?limit=1000", adminToken)).get("count").asInt());
    }

    @Test
    void badParametersUnknownAccountsAndAuth() {
        deposit("/api/accounts/prepaid/+15735550178", csToken, "{\"amount\":\"1.00\"}");
        for (String bad : new String[] {"0", "-1", "1001", "ten", "1.5"}) {
            problem(400, "limit", get("/api/accounts/debit/d1/deposits?limit=" + bad, csToken));
            problem(400, "limit", get("/api/accounts/prepaid/+15735550178/deposits?limit=" + bad, csToken));
        }
        for (String bad : new String[] {"0", "-3", "x", "99999999999999999999"}) {
            problem(400, "before", get("/api/accounts/debit/d1/deposits?before=" + bad, csToken));
            problem(400, "before", get("/api/accounts/prepaid/+15735550178/deposits?before=" + bad, adminToken));
        }
        // An empty value counts as absent, as everywhere in this API (ApiRequest.query).
        assertEquals(1, ok(200, get("/api/accounts/prepaid/+15735550178/deposits?limit=&before=", csToken))
                .get("count").asInt());
        problem(404, null, get("/api/accounts/debit/nobody/deposits", csToken));
        problem(404, null, get("/api/accounts/prepaid/+15735550179/deposits", csToken));
        problem(400, "btn", get("/api/accounts/prepaid/not-a-number/deposits", csToken));
        problem(401, null, get("/api/accounts/prepaid/+15735550178/deposits", null));
        problem(401, null, get("/api/accounts/prepaid/+15735550178/deposits", revokedToken));
        // Reading is not audited (nor is reading the account).
        int before = store.audit().list(null, null, null, null, 1000).size();
        ok(200, get("/api/accounts/prepaid/+15735550178/deposits", adminToken));
        ok(200, get("/api/accounts/debit/d1/deposits", adminToken));
        assertEquals(before, store.audit().list(null, null, null, null, 1000).size());
    }

    @Test
    void concurrentDepositsBothAppearWithConsistentBalances() throws Exception {
        // A first deposit exists so both race on the UPDATE; d3 (debit) starts empty, racing on the INSERT.
        deposit("/api/accounts/prepaid/+15735550180", csToken, "{\"amount\":\"10.00\"}");
        for (String acct : List.of("/api/accounts/prepaid/+15735550180", "/api/accounts/debit/d3")) {
            CountDownLatch go = new CountDownLatch(1);
            var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Long>> fs = new ArrayList<>();
            try {
                for (String amount : List.of("1.25", "2.50")) {
                    fs.add(pool.submit(() -> {
                        go.await();
                        return deposit(acct, adminToken, "{\"amount\":\"" + amount + "\"}");
                    }));
                }
                go.countDown();
                Set<String> ids = new HashSet<>();
                for (var f : fs) {
                    ids.add(String.valueOf(f.get()));
                }
                BigDecimal finalBalance = new BigDecimal(ok(200, get(acct, csToken)).get("balance").asText());
                JsonNode ds = ok(200, get(acct + "/deposits", csToken)).get("deposits");
                assertEquals(ids, new HashSet<>(texts(ds, "id").subList(0, 2)), ds.toString());
                assertEquals(finalBalance, new BigDecimal(ds.get(0).get("balance").asText()));
                // Each balance is the one before it plus its amount, down to the oldest deposit.
                for (int i = 0; i < ds.size(); i++) {
                    BigDecimal older = i + 1 < ds.size() ? new BigDecimal(ds.get(i + 1).get("balance").asText())
                            : BigDecimal.ZERO;
                    assertEquals(0, older.add(new BigDecimal(ds.get(i).get("amount").asText()))
                            .compareTo(new BigDecimal(ds.get(i).get("balance").asText())), ds.toString());
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
