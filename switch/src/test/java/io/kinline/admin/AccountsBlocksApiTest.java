package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.AuditEntry;
import io.kinline.store.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountsBlocksApiTest extends AdminTestBase {

    @BeforeAll
    static void data() {
        facility("acc");
        inmate("a1", "acc", "1001");
        inmate("a2", "acc", "1002");
    }

    @Test
    void debitDeposits() {
        JsonNode empty = ok(200, get("/api/accounts/debit/a1", csToken));
        assertEquals("0.00", empty.get("balance").asText());
        JsonNode a = ok(201, post("/api/accounts/debit/a1/deposits", adminToken, "{\"amount\":\"10.00\"}"));
        assertEquals("10.00", a.get("balance").asText());
        assertEquals("0.00", a.get("held").asText());
        assertEquals("10.00", a.get("available").asText());
        ok(201, post("/api/accounts/debit/a1/deposits", csToken, "{\"amount\":\"2.5\",\"reference\":\"kiosk-77\"}"));
        JsonNode g = ok(200, get("/api/accounts/debit/a1", investigatorToken));
        assertEquals("12.50", g.get("balance").asText());
        assertEquals(0, new BigDecimal("12.50").compareTo(store.accounts().debit("a1").orElseThrow().balance()));

        for (String bad : new String[] {"\"10.001\"", "\"0\"", "\"0.00\"", "\"-5.00\"", "\"1000.01\"", "\"ten\"", "true", "\"1e3\""}) {
            problem(400, "amount", post("/api/accounts/debit/a1/deposits", adminToken, "{\"amount\":" + bad + "}"));
        }
        problem(400, "amount", post("/api/accounts/debit/a1/deposits", adminToken, "{}"));
        problem(400, null, post("/api/accounts/debit/a1/deposits", adminToken, "{amount:1}"));
        problem(404, null, post("/api/accounts/debit/nobody/deposits", adminToken, "{\"amount\":\"1.00\"}"));
        problem(404, null, get("/api/accounts/debit/nobody", adminToken));
        problem(403, null, post("/api/accounts/debit/a1/deposits", investigatorToken, "{\"amount\":\"1.00\"}"));
        assertEquals("12.50", ok(200, get("/api/accounts/debit/a1", adminToken)).get("balance").asText(),
                "failed deposits changed nothing");
        List<AuditEntry> audit = store.audit().list(null, "inmate:a1", null, null, 10);
        assertEquals(2, audit.stream().filter(e -> e.action().equals("account.debit.deposit")).count());
        assertTrue(audit.stream().anyMatch(e -> e.actor().contains("carol-cs") && e.details().contains("kiosk-77")));
    }

    @Test
    void prepaidDeposits() {
        problem(404, null, get("/api/accounts/prepaid/+15735550155", csToken));
        JsonNode a = ok(201, post("/api/accounts/prepaid/+15735550155/deposits", csToken, "{\"amount\":\"25.00\"}"));
        assertEquals("+15735550155", a.get("btn").asText());
        assertEquals("25.00", a.get("balance").asText());
        // any formatting of the same number reaches the same account
        ok(201, post("/api/accounts/prepaid/573-555-0155/deposits", adminToken, "{\"amount\":\"5.00\"}"));
        JsonNode g = ok(200, get("/api/accounts/prepaid/%2B15735550155", investigatorToken));
        assertEquals("30.00", g.get("balance").asText());
        assertEquals("0.00", g.get("held").asText());
        assertEquals("30.00", g.get("available").asText());
        problem(400, "btn", get("/api/accounts/prepaid/not-a-number", adminToken));
        problem(400, "amount", post("/api/accounts/prepaid/+15735550155/deposits", adminToken, "{\"amount\":\"9999.00\"}"));
        problem(403, null, post("/api/accounts/prepaid/+15735550155/deposits", investigatorToken, "{\"amount\":\"1.00\"}"));
        assertEquals(2, store.audit().list(null, "btn:+15735550155", null, null, 10).size());
    }

    @Test
    void concurrentFirstDepositsAllCount() throws Exception {
        int n = 16;
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<java.util.concurrent.Future<Integer>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> post("/api/accounts/prepaid/+15735550999/deposits", csToken,
                        "{\"amount\":\"1.25\"}").statusCode()));
            }
            for (var f : fs) {
                assertEquals(201, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals("20.00", ok(200, get("/api/accounts/prepaid/+15735550999", adminToken)).get("balance").asText());
        assertEquals(n, store.audit().list(null, "btn:+15735550999", null, null, 100).size());
    }

    @Test
    void customerServiceHandlesOnlyKeypadBlocks() {
        JsonNode k = ok(201, post("/api/blocks", csToken, "{\"number\":\"+15735550201\",\"type\":\"keypad\",\"note\":\"family request\"}"));
        assertEquals("keypad", k.get("type").asText());
        assertTrue(k.get("active").asBoolean());
        assertTrue(k.get("setBy").asText().contains("carol-cs"));
        problem(403, null, post("/api/blocks", csToken, "{\"number\":\"+15735550201\",\"type\":\"security\"}"));
        problem(409, "number", post("/api/blocks", adminToken, "{\"number\":\"+15735550201\",\"type\":\"keypad\"}"));
        ok(201, post("/api/blocks", investigatorToken, "{\"number\":\"+15735550201\",\"type\":\"security\",\"note\":\"monitoring\"}"));

        JsonNode list = ok(200, get("/api/blocks?number=%2B15735550201", csToken));
        assertEquals(List.of("keypad", "security"), texts(list.get("blocks"), "type").stream().sorted().toList());

        problem(403, null, delete("/api/blocks/+15735550201?type=security", csToken));
        JsonNode lifted = ok(200, delete("/api/blocks/+15735550201", csToken));
        assertEquals(List.of("keypad"), texts(lifted.get("lifted"), "type"), "CS lifts only the keypad block");
        List<Block> active = store.blocks().findActive("acc", "a1", "+15735550201");
        assertEquals(List.of(Block.Type.SECURITY), active.stream().map(Block::type).toList());
        problem(403, null, delete("/api/blocks/+15735550201", csToken));
        ok(200, delete("/api/blocks/+15735550201?type=security", investigatorToken));
        assertTrue(store.blocks().findActive("acc", "a1", "+15735550201").isEmpty());
        problem(404, null, delete("/api/blocks/+15735550201", adminToken));

        JsonNode history = ok(200, get("/api/blocks?number=%2B15735550201&all=true", adminToken));
        assertEquals(2, history.get("blocks").size());
        history.get("blocks").forEach(b -> {
            assertFalse(b.get("active").asBoolean());
            assertTrue(b.hasNonNull("liftedAt") && b.hasNonNull("liftedBy"));
        });
        List<String> actions = store.audit().list(null, "number:+15735550201", null, null, 10).stream()
                .map(AuditEntry::action).toList();
        assertEquals(2, actions.stream().filter("block.set"::equals).count());
        assertEquals(2, actions.stream().filter("block.lift"::equals).count());
    }

    @Test
    void blockValidation() {
        problem(400, "type", post("/api/blocks", adminToken, "{\"number\":\"+15735550301\",\"type\":\"angry\"}"));
        problem(400, "number", post("/api/blocks", adminToken, "{\"number\":\"nope\",\"type\":\"keypad\"}"));
        problem(400, "note", post("/api/blocks", adminToken, "{\"number\":\"+15735550301\",\"type\":\"facility\",\"facility\":\"acc\"}"));
        problem(400, "inmate", post("/api/blocks", adminToken, "{\"number\":\"+15735550301\",\"type\":\"no_contact\"}"));
        problem(400, "facility", post("/api/blocks", adminToken,
                "{\"number\":\"+15735550301\",\"type\":\"facility\",\"facility\":\"nope\",\"note\":\"x\"}"));
        problem(400, "type", delete("/api/blocks/+15735550301?type=angry", adminToken));
        JsonNode nc = ok(201, post("/api/blocks", adminToken,
                "{\"number\":\"+15735550301\",\"type\":\"no_contact\",\"inmate\":\"a2\",\"facility\":\"acc\",\"note\":\"victim\"}"));
        assertEquals("a2", nc.get("inmate").asText());
        assertEquals(1, store.blocks().findActive("acc", "a2", "+15735550301").size());
        assertTrue(store.blocks().findActive("acc", "a1", "+15735550301").isEmpty());
        assertEquals(1, ok(200, get("/api/blocks?inmate=a2", investigatorToken)).get("blocks").size());
    }
}
