package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinline.store.DemoData;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.SipEvent;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.rtp.RtpPeer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tablet is its credential, tried as an attacker on the facility network would: from an address on the
 * gateway allow-list (loopback here), an INVITE claiming a tablet's station id is challenged rather than
 * admitted; a tablet nobody issued a credential to cannot call at all; another tablet's valid credential,
 * a gateway's, or a wrong password does not make a call from it; a revoked credential stops working.
 * A browser offer without DTLS gets 488. The caller is an independent JAIN-SIP stack ({@link SipPeer}) answering challenges with MD5 digest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TabletAdmissionTest {

    private static final Duration SIP_WAIT = Duration.ofSeconds(20);

    private E2eSwitch sw;
    private SipPeer trunk;

    @BeforeAll
    void start() throws Exception {
        trunk = SipPeer.builder().name("trunk").build();
        sw = E2eSwitch.start(trunk.address(), 10, 35000, f -> f);
    }

    @AfterAll
    void stop() {
        if (sw != null) {
            sw.close();
        }
        trunk.close();
    }

    @Test
    void aTabletIsAdmittedOnlyWithItsOwnCredential() throws Exception {
        String a = tablet();
        String b = tablet();
        String bare = tablet(); // provisioned, never given a credential
        String passwordA = credential(a);
        String passwordB = credential(b);
        String number = sw.newNumber(new BigDecimal("5.00"));
        try (RtpPeer rtp = RtpPeer.open();
                SipPeer noCredentials = SipPeer.builder().name("gw-network").build();
                SipPeer holderOfA = SipPeer.builder().name("tablet-a").credentials(a, passwordA).build();
                SipPeer guesser = SipPeer.builder().name("guesser").credentials(b, passwordB + "x").build()) {
            // From the allow-listed network without credentials: challenged, not admitted.
            assertEquals(401, status(noCredentials.call(sw.sipUri(number), a, rtp.offer())),
                    "a tablet's id from an allow-listed address is challenged");
            // A provisioned tablet with no credential cannot be used from the gateway network.
            SipEvent r = noCredentials.call(sw.sipUri(number), bare, rtp.offer()).awaitFinal(SIP_WAIT);
            assertEquals(403, r.status(), r.toString());
            assertTrue(r.raw().lines().findFirst().orElse("").contains("Tablet Not Authenticated"), r.raw());
            // Tablet A's valid credential, claiming to be tablet B.
            assertEquals(403, status(holderOfA.call(sw.sipUri(number), b, rtp.offer())),
                    "another tablet's credential does not make a call from this one");
            // A wrong password.
            assertEquals(403, status(guesser.call(sw.sipUri(number), b, rtp.offer())));
            // The genuine tablet.
            ClientCall ok = holderOfA.call(sw.sipUri(number), a, rtp.offer());
            assertEquals(200, ok.awaitFinalStatus(SIP_WAIT), "tablet A with its own credential is admitted");
            ok.bye();
            // A browser's offer without DTLS (no fingerprint): 488, not plain RTP.
            String noDtls = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + rtp.port() + " UDP/TLS/RTP/SAVPF 111 0\r\na=rtpmap:111 opus/48000/2\r\n"
                    + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\na=rtcp-mux\r\n";
            assertEquals(488, status(holderOfA.call(sw.sipUri(number), a, noDtls)), "SAVPF without a fingerprint");
            // Revoked: tablet A is a tablet without a credential again.
            HttpResponse<String> revoked = TabletBrowserTest.admin(sw, "DELETE", "/api/stations/" + a + "/credential",
                    Map.of());
            assertEquals(200, revoked.statusCode(), revoked.body());
            assertEquals(403, status(holderOfA.call(sw.sipUri(number), a, rtp.offer())), "a revoked credential");
        }
        sw.awaitIdle(SIP_WAIT);
    }

    @Test
    void onlyTabletsInAHousingUnitGetACredential() throws Exception {
        String unbound = "tab" + E2eSwitch.next();
        assertEquals(201, TabletBrowserTest.admin(sw, "POST", "/api/stations",
                Map.of("id", unbound, "facility", DemoData.FACILITY, "kind", "tablet")).statusCode());
        HttpResponse<String> r = TabletBrowserTest.admin(sw, "POST", "/api/stations/" + unbound + "/credential", Map.of());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("housingUnit"), r.body());
        String handset = sw.newStation();
        r = TabletBrowserTest.admin(sw, "POST", "/api/stations/" + handset + "/credential", Map.of());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"kind\""), r.body());
        String tablet = tablet();
        String password = credential(tablet);
        assertTrue(password.length() >= 22, "128 random bits");
        String stored = sw.store().stationCredentials().ha1(tablet).orElseThrow();
        assertTrue(stored.matches("[0-9a-f]{32}") && !stored.contains(password), "only HA1 is kept");
        HttpResponse<String> view = TabletBrowserTest.admin(sw, "GET", "/api/stations/" + tablet, Map.of());
        assertTrue(!view.body().contains(password) && !view.body().contains(stored), "never shown again: " + view.body());
    }

    private int status(ClientCall c) {
        return c.awaitFinal(SIP_WAIT).status();
    }

    private String tablet() throws Exception {
        String id = "tab" + E2eSwitch.next();
        HttpResponse<String> r = TabletBrowserTest.admin(sw, "POST", "/api/stations",
                Map.of("id", id, "facility", DemoData.FACILITY, "kind", "tablet", "housingUnit", "gen"));
        assertEquals(201, r.statusCode(), r.body());
        return id;
    }

    private String credential(String station) throws Exception {
        HttpResponse<String> r = TabletBrowserTest.admin(sw, "POST", "/api/stations/" + station + "/credential", Map.of());
        assertEquals(201, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body()).get("password").asText();
    }
}
