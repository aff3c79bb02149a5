package io.kinline.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.AdminTestBase;
import io.kinline.store.AuditEntry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Staff sign-in against the real admin server: cookies, CSRF, lockout, roles, sign-out, audit. */
class ConsoleSignInTest extends AdminTestBase {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    record Signed(String cookie, String csrf, HttpResponse<String> response) {
    }

    static String newStaff(String role, String facilities) {
        String u = "user" + SEQ.incrementAndGet();
        ok(201, post("/api/staff", adminToken, "{\"username\":\"" + u + "\",\"role\":\"" + role + "\",\"password\":\""
                + PASSWORD + "\"" + (facilities == null ? "" : ",\"facilities\":[\"" + facilities + "\"]") + "}"));
        return u;
    }

    static HttpResponse<String> raw(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> signInRaw(String user, String password) {
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return raw("POST", "/console/login", form, "Content-Type", "application/x-www-form-urlencoded", "Origin", base);
    }

    static Signed signIn(String user) {
        HttpResponse<String> r = signInRaw(user, PASSWORD);
        assertEquals(303, r.statusCode(), r.body());
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = set.substring(0, set.indexOf(';'));
        HttpResponse<String> page = raw("GET", "/console/blocks", null, "Cookie", cookie);
        assertEquals(200, page.statusCode());
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find(), page.body());
        return new Signed(cookie, m.group(1), r);
    }

    @Test
    void signInGivesAStrictHttpOnlyCookieAndActionsAreAuditedUnderThePerson() {
        String u = newStaff("admin", null);
        Signed s = signIn(u);
        String set = s.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"), set);
        assertFalse(set.contains("Secure"), "plain HTTP on a loopback name: no Secure flag (" + set + ")");
        assertEquals("/console/live", s.response().headers().firstValue("Location").orElseThrow());

        JsonNode who = ok(200, raw("GET", "/api/session", null, "Cookie", s.cookie()));
        assertEquals("staff", who.get("kind").asText());
        assertEquals(u, who.get("name").asText());

        ok(201, raw("POST", "/api/blocks", "{\"number\":\"+15735550777\",\"type\":\"keypad\"}", "Cookie", s.cookie(),
                "Content-Type", "application/json", "Origin", base, "X-CSRF-Token", s.csrf()));
        List<AuditEntry> a = store.audit().list(null, "number:+15735550777", null, null, 10);
        assertEquals(1, a.size());
        assertTrue(a.get(0).actor().matches("staff:\\d+\\(" + u + "\\)"), a.get(0).actor());
        assertTrue(store.audit().list(null, null, null, null, 200).stream()
                .anyMatch(e -> e.action().equals("staff.sign_in") && e.actor().endsWith("(" + u + ")")));
    }

    @Test
    void stateChangesWithoutTheCsrfTokenOrFromAnotherOriginAreRefused() {
        Signed s = signIn(newStaff("admin", null));
        String body = "{\"number\":\"+15735550778\",\"type\":\"keypad\"}";
        problem(403, null, raw("POST", "/api/blocks", body, "Cookie", s.cookie(), "Content-Type", "application/json",
                "Origin", base));
        problem(403, null, raw("POST", "/api/blocks", body, "Cookie", s.cookie(), "Content-Type", "application/json",
                "Origin", base, "X-CSRF-Token", "not-the-token"));
        problem(403, null, raw("POST", "/api/blocks", body, "Cookie", s.cookie(), "Content-Type", "application/json",
                "Origin", "http://evil.example", "X-CSRF-Token", s.csrf()));
        problem(403, null, raw("DELETE", "/api/blocks/+15735550778", null, "Cookie", s.cookie()));
        assertTrue(store.blocks().list("+15735550778", null, null, true).isEmpty(), "nothing changed");
        // A sign-in posted from another site's form is refused too (login CSRF).
        HttpResponse<String> r = raw("POST", "/console/login", "username=x&password=y", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", "http://evil.example");
        assertEquals(403, r.statusCode());
        // A made-up cookie is no session: the body is not even read.
        problem(401, null, raw("POST", "/api/blocks", body, "Cookie", "kl_session=forged", "Content-Type",
                "application/json", "Origin", base, "X-CSRF-Token", s.csrf()));
    }

    @Test
    void wrongPasswordsLockTheAccountUntilAnAdminUnlocksIt() {
        String u = newStaff("investigator", null);
        for (int i = 1; i < ConsoleConfig.DEFAULTS.maxFailedSignIns(); i++) {
            HttpResponse<String> r = signInRaw(u, "wrong password " + i);
            assertEquals(401, r.statusCode());
            assertTrue(r.body().contains("Wrong username or password."), r.body());
        }
        HttpResponse<String> locked = signInRaw(u, "wrong password again");
        assertEquals(429, locked.statusCode(), locked.body());
        assertTrue(locked.body().contains("locked until"), locked.body());
        assertEquals(429, signInRaw(u, PASSWORD).statusCode(), "the right password does not open a locked account");
        assertTrue(store.audit().list(null, null, null, null, 500).stream()
                .anyMatch(e -> e.action().equals("staff.locked") && e.actor().endsWith("(" + u + ")")));
        long id = store.staff().byUsername(u).orElseThrow().id();
        ok(200, patch("/api/staff/" + id, adminToken, "{\"unlock\":true}"));
        assertEquals(303, signInRaw(u, PASSWORD).statusCode());
    }

    @Test
    void parallelGuessesGetNoMoreTriesThanTheLimit() throws Exception {
        String u = newStaff("investigator", null);
        int guesses = 16;
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < guesses; i++) {
                int n = i;
                answers.add(pool.submit(() -> signInRaw(u, "parallel guess " + n).statusCode()));
            }
        }
        for (var a : answers) {
            assertTrue(a.get() == 401 || a.get() == 429, "refused");
        }
        long checked = store.audit().list(null, null, null, null, 1000).stream()
                .filter(e -> e.action().equals("staff.sign_in.failed") && e.actor().endsWith("(" + u + ")")).count();
        assertTrue(checked <= ConsoleConfig.DEFAULTS.maxFailedSignIns(),
                "only " + ConsoleConfig.DEFAULTS.maxFailedSignIns() + " of " + guesses + " parallel guesses may be checked, "
                        + checked + " were");
        assertEquals(429, signInRaw(u, PASSWORD).statusCode(), "the account is locked");
    }

    @Test
    void unknownUsernamesAnswerLikeWrongPasswords() {
        HttpResponse<String> r = signInRaw("nobody-here", "whatever it is");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("Wrong username or password."));
    }

    @Test
    void passwordsAreStoredAsArgon2idAndNeverShown() {
        String u = newStaff("customer_service", null);
        assertTrue(store.staff().byUsername(u).orElseThrow().passwordHash().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        String list = get("/api/staff", adminToken).body();
        assertFalse(list.contains("argon2") || list.contains(PASSWORD), list);
        problem(400, "password", post("/api/staff", adminToken,
                "{\"username\":\"shorty\",\"role\":\"admin\",\"password\":\"short\"}"));
        problem(400, "facilities", post("/api/staff", adminToken,
                "{\"username\":\"fs-none\",\"role\":\"facility_staff\",\"password\":\"" + PASSWORD + "\"}"));
        problem(403, null, post("/api/staff", investigatorToken,
                "{\"username\":\"sneaky\",\"role\":\"admin\",\"password\":\"" + PASSWORD + "\"}"));
    }

    @Test
    void facilityStaffNeverReachCallsAndInvestigatorsNeverSeeTheAuditScreen() {
        facility("fsc");
        Signed fs = signIn(newStaff("facility_staff", "fsc"));
        problem(403, null, raw("GET", "/api/cdrs", null, "Cookie", fs.cookie()));
        problem(403, null, raw("GET", "/api/calls", null, "Cookie", fs.cookie()));
        problem(403, null, raw("GET", "/api/recordings/any", null, "Cookie", fs.cookie()));
        ok(200, raw("GET", "/api/inmates?facility=fsc", null, "Cookie", fs.cookie()));
        assertEquals(404, raw("GET", "/console/live", null, "Cookie", fs.cookie()).statusCode());

        Signed inv = signIn(newStaff("investigator", null));
        assertEquals(404, raw("GET", "/console/audit", null, "Cookie", inv.cookie()).statusCode());
        HttpResponse<String> live = raw("GET", "/console/live", null, "Cookie", inv.cookie());
        assertEquals(200, live.statusCode());
        assertTrue(live.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertFalse(live.body().contains("/console/audit"), "no link to a screen the person may not use");
    }

    @Test
    void signOutEndsTheSessionAndPagesNeedOne() {
        Signed s = signIn(newStaff("admin", null));
        HttpResponse<String> bad = raw("POST", "/console/logout", "csrf=wrong", "Cookie", s.cookie(), "Content-Type",
                "application/x-www-form-urlencoded", "Origin", base);
        assertEquals(403, bad.statusCode());
        HttpResponse<String> out = raw("POST", "/console/logout", "csrf=" + s.csrf(), "Cookie", s.cookie(),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", base);
        assertEquals(303, out.statusCode());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        problem(401, null, raw("GET", "/api/session", null, "Cookie", s.cookie()));
        HttpResponse<String> page = raw("GET", "/console/live", null, "Cookie", s.cookie());
        assertEquals(303, page.statusCode());
        assertEquals("/console/login", page.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void disablingAnAccountEndsItsSessions() {
        String u = newStaff("admin", null);
        Signed s = signIn(u);
        long id = store.staff().byUsername(u).orElseThrow().id();
        assertEquals(204, delete("/api/staff/" + id, adminToken).statusCode());
        problem(401, null, raw("GET", "/api/session", null, "Cookie", s.cookie()));
        assertEquals(401, signInRaw(u, PASSWORD).statusCode());
    }
}
