package io.kinline.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.admin.AdminTestBase;
import io.kinline.admin.ListenApiTest;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live listening from a console session: the WebSocket carries the session cookie, which must come with
 * this server's Origin (CORS does not guard upgrades); facility staff never listen; sign-out ends it.
 */
class ConsoleListenTest extends AdminTestBase {

    private static final ListenApiTest.FakeMonitoring CALLS = new ListenApiTest.FakeMonitoring();

    @BeforeAll
    static void monitoring() {
        server.callMonitoring(CALLS);
    }

    private static WebSocket listen(String callId, String cookie, String origin, ListenApiTest.Client c) {
        return client.newWebSocketBuilder().header("Cookie", cookie).header("Origin", origin)
                .buildAsync(URI.create(base.replace("http://", "ws://") + "/api/calls/" + callId + "/listen"), c)
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static int refused(String callId, String cookie, String origin) {
        try {
            listen(callId, cookie, origin, new ListenApiTest.Client()).abort();
        } catch (CompletionException e) {
            return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse().statusCode();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aSignedInInvestigatorListensUntilSigningOutAndItIsAuditedUnderTheirName() throws Exception {
        String u = ConsoleSignInTest.newStaff("investigator", null);
        ConsoleSignInTest.Signed s = ConsoleSignInTest.signIn(u);
        ListenApiTest.Client c = new ListenApiTest.Client();
        listen("live-c1", s.cookie(), base, c);
        ListenApiTest.await(() -> c.binaries.size() >= 5, "audio frames");
        assertTrue(ListenApiTest.audit("live-c1").stream().anyMatch(a -> a.action().equals("call.listen.start")
                && a.actor().endsWith("(" + u + ")") && a.actor().startsWith("staff:")));
        ConsoleSignInTest.raw("POST", "/console/logout", "csrf=" + s.csrf(), "Cookie", s.cookie(), "Content-Type",
                "application/x-www-form-urlencoded", "Origin", base);
        assertEquals("signed out", c.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anotherSitesPageCannotListenThroughASignedInBrowser() {
        ConsoleSignInTest.Signed s = ConsoleSignInTest.signIn(ConsoleSignInTest.newStaff("admin", null));
        assertEquals(403, refused("live-c2", s.cookie(), "http://evil.example"));
        assertTrue(!CALLS.feeds.containsKey("live-c2"));
    }

    @Test
    void facilityStaffNeverListen() {
        facility("cl-f");
        ConsoleSignInTest.Signed s = ConsoleSignInTest.signIn(ConsoleSignInTest.newStaff("facility_staff", "cl-f"));
        assertEquals(403, refused("live-c3", s.cookie(), base));
        assertTrue(!CALLS.feeds.containsKey("live-c3"));
    }
}
