package io.kinline.admin.security;

import static io.kinline.admin.ListenApiTest.await;
import static io.kinline.admin.ListenApiTest.connect;
import static io.kinline.admin.ListenApiTest.refusedStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.ActiveCallView;
import io.kinline.admin.AdminTestBase;
import io.kinline.admin.ListenApiTest;
import io.kinline.admin.http.Json;
import io.kinline.store.AuditEntry;
import io.kinline.store.jdbc.JdbcStore;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 3: live listening ends when its token is revoked or expires, fails closed when the
 * audit log cannot be written, is capped per token and per call, and every refusal is audited.
 */
class ListenSecurityTest extends AdminTestBase {

    static final ListenApiTest.FakeMonitoring calls = new ListenApiTest.FakeMonitoring();
    static final Instant T0 = Instant.parse("2026-11-23T15:00:00Z");

    @BeforeAll
    static void monitoring() {
        server.callMonitoring(calls);
        facility("lsa");
        facility("lsb");
    }

    static JsonNode newToken(String name, String extra) {
        return ok(201, post("/api/tokens", adminToken, "{\"role\":\"investigator\",\"name\":\"" + name + "\"" + extra + "}"));
    }

    static List<AuditEntry> audit(String callId) {
        return ListenApiTest.audit(callId);
    }

    static JsonNode endDetails(String callId) throws Exception {
        AuditEntry end = audit(callId).stream().filter(a -> a.action().equals("call.listen.end")).findFirst()
                .orElseThrow();
        return Json.mapper().readTree(end.details());
    }

    @Test
    void revokingTheTokenClosesItsListenWithinASecond() throws Exception {
        JsonNode t = newToken("ls-revoked", "");
        ListenApiTest.Client c = new ListenApiTest.Client();
        connect("/api/calls/live-r1/listen", t.get("token").asText(), c);
        await(() -> c.binaries.size() >= 5, "audio frames");
        long t0 = System.nanoTime();
        ok(204, delete("/api/tokens/" + t.get("id").asText(), adminToken));
        c.closed.get(5, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= 1_000, "closed " + ms + " ms after the revocation");
        assertEquals(1008, c.closeCode.get());
        await(() -> calls.feeds.get("live-r1").closed.get(), "the audio stops");
        await(() -> audit("live-r1").stream().anyMatch(a -> a.action().equals("call.listen.end")), "end audited");
        assertEquals("token revoked", endDetails("live-r1").get("reason").asText());
    }

    @Test
    void anExpiringTokenClosesItsListenWithinASecondOfExpiry() throws Exception {
        Instant expires = Instant.now().plusSeconds(2);
        JsonNode t = newToken("ls-expiring", ",\"expiresAt\":\"" + expires + "\"");
        ListenApiTest.Client c = new ListenApiTest.Client();
        connect("/api/calls/live-e1/listen", t.get("token").asText(), c);
        c.closed.get(10, TimeUnit.SECONDS);
        long late = Instant.now().toEpochMilli() - expires.toEpochMilli();
        assertTrue(late >= 0 && late <= 1_000, "closed " + late + " ms after the expiry");
        await(() -> audit("live-e1").stream().anyMatch(a -> a.action().equals("call.listen.end")), "end audited");
        assertEquals("token expired", endDetails("live-e1").get("reason").asText());
    }

    @Test
    void listeningFailsClosedWhenTheAuditCannotBeWritten() throws Exception {
        JdbcStore jdbc = (JdbcStore) store;
        jdbc.db().tx(c -> c.createStatement().executeUpdate("ALTER TABLE audit_log RENAME TO audit_log_away"));
        int status;
        try {
            status = refusedStatus("/api/calls/live-a1/listen", investigatorToken);
        } finally {
            jdbc.db().tx(c -> c.createStatement().executeUpdate("ALTER TABLE audit_log_away RENAME TO audit_log"));
        }
        assertTrue(status >= 500, "status " + status);
        ListenApiTest.Feed f = calls.feeds.get("live-a1");
        assertTrue(f == null || f.closed.get(), "no audio flows without its audit line");
    }

    @Test
    void listenersAreCappedPerTokenAndPerCall() throws Exception {
        List<WebSocket> open = new ArrayList<>();
        try {
            String tok = newToken("ls-capped", "").get("token").asText();
            open.add(connect("/api/calls/live-c1/listen", tok, new ListenApiTest.Client()));
            open.add(connect("/api/calls/live-c2/listen", tok, new ListenApiTest.Client()));
            assertEquals(429, refusedStatus("/api/calls/live-c3/listen", tok), "a third listen for one token");
            for (int i = 0; i < 4; i++) {
                open.add(connect("/api/calls/live-c1/listen", newToken("ls-cap-" + i, "").get("token").asText(),
                        new ListenApiTest.Client()));
            }
            assertEquals(429, refusedStatus("/api/calls/live-c1/listen", newToken("ls-cap-x", "").get("token").asText()),
                    "a sixth listener on one call");
            assertTrue(audit("live-c1").stream().anyMatch(a -> a.action().equals("call.listen.refused")
                    && a.details().contains("cap")), audit("live-c1").toString());
        } finally {
            for (WebSocket ws : open) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }
        // Slots come back when listeners leave.
        String tok = newToken("ls-after", "").get("token").asText();
        await(() -> {
            try {
                connect("/api/calls/live-c1/listen", tok, new ListenApiTest.Client()).sendClose(1000, "x");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }, "a free slot on live-c1");
    }

    @Test
    void customerServiceRefusalsAreAudited() {
        assertEquals(403, refusedStatus("/api/calls/live-cs/listen", csToken));
        List<AuditEntry> a = audit("live-cs");
        assertEquals(1, a.size(), a.toString());
        assertEquals("call.listen.refused", a.get(0).action());
        assertTrue(a.get(0).actor().endsWith("(carol-cs)"));
        assertFalse(calls.feeds.containsKey("live-cs"));
    }

    @Test
    void aScopedTokenListensOnlyToItsFacilities() throws Exception {
        String tok = newToken("ls-scoped", ",\"facilities\":[\"lsa\"]").get("token").asText();
        activeCalls.add(new ActiveCallView("live-sa", "lsa", "st", "i", "+15735550991", "talking", T0, T0, false));
        activeCalls.add(new ActiveCallView("live-sb", "lsb", "st", "i", "+15735550991", "talking", T0, T0, false));
        try {
            assertEquals(404, refusedStatus("/api/calls/live-sb/listen", tok));
            assertFalse(calls.feeds.containsKey("live-sb"));
            assertTrue(audit("live-sb").stream().anyMatch(a -> a.action().equals("call.listen.refused")));
            connect("/api/calls/live-sa/listen", tok, new ListenApiTest.Client()).sendClose(1000, "x");
        } finally {
            activeCalls.clear();
        }
    }
}
