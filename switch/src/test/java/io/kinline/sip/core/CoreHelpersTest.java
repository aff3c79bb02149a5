package io.kinline.sip.core;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CoreHelpersTest {

    @Test
    void dtmfRelayAndDtmf() {
        assertEquals(new DtmfInfo.Digit('5', 160), DtmfInfo.parse("application/dtmf-relay", "Signal=5\r\nDuration=160"));
        assertEquals(new DtmfInfo.Digit('#', 250), DtmfInfo.parse("application/dtmf-relay", "Signal= #\nDuration= 250\n"));
        assertEquals(new DtmfInfo.Digit('*', 100), DtmfInfo.parse("application/dtmf-relay", "Signal=10\r\nDuration=100"));
        assertEquals(new DtmfInfo.Digit('7', DtmfInfo.DEFAULT_DURATION), DtmfInfo.parse("application/dtmf", "7"));
        assertNull(DtmfInfo.parse("application/dtmf-relay", "Signal=X\r\n"));
        assertNull(DtmfInfo.parse("text/plain", "5"));
        assertEquals("Signal=9\r\nDuration=120\r\n", DtmfInfo.relayBody('9', 120));
    }

    @Test
    void cidr() throws Exception {
        List<Cidr> l = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.1.7"), Cidr.parse("::1/128"),
                Cidr.parse("172.16.0.0/12"));
        assertTrue(Cidr.anyContains(l, InetAddress.getByName("10.200.3.4")));
        assertTrue(Cidr.anyContains(l, InetAddress.getByName("192.168.1.7")));
        assertFalse(Cidr.anyContains(l, InetAddress.getByName("192.168.1.8")));
        assertTrue(Cidr.anyContains(l, InetAddress.getByName("172.31.255.255")));
        assertFalse(Cidr.anyContains(l, InetAddress.getByName("172.32.0.1")));
        assertTrue(Cidr.anyContains(l, InetAddress.getByName("::1")));
        assertFalse(Cidr.anyContains(l, InetAddress.getByName("127.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("gateway.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }

    @Test
    void digestRfc2617Example() {
        // RFC 2617 §3.5 example
        assertEquals("6629fae49393a05397450978507c4ef1", Digest.response("Mufasa", "testrealm@host.com",
                "Circle Of Life", "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001",
                "0a4f113b", "auth"));
        Map<String, String> p = Digest.params("Digest realm=\"a, b\", nonce=\"n\", qop=\"auth,auth-int\", stale=true");
        assertEquals("a, b", p.get("realm"));
        assertEquals("auth,auth-int", p.get("qop"));
        assertEquals("true", p.get("stale"));
    }

    @Test
    void nonces() {
        Digest d = new Digest();
        long now = 1_000_000_000L;
        String n = d.newNonce(now);
        assertEquals(0, d.checkNonce(n, now + 1000, 60_000));
        assertEquals(1, d.checkNonce(n, now + 120_000, 60_000), "stale");
        assertEquals(-1, d.checkNonce(n.substring(0, n.length() - 1) + "x", now, 60_000), "forged");
        assertEquals(-1, new Digest().checkNonce(n, now, 60_000), "another server's secret");
    }

    @Test
    void tokenBucket() {
        TokenBucket b = new TokenBucket(0.001);
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire());
    }

    private static Map<String, String> creds(Digest d, String nonce, String nc, String password) {
        String response = Digest.response("gw", "r", password, "INVITE", "sip:1@x", nonce, nc, "cn", "auth");
        return Digest.params("Digest username=\"gw\", realm=\"r\", nonce=\"" + nonce + "\", uri=\"sip:1@x\", "
                + "response=\"" + response.toUpperCase() + "\", cnonce=\"cn\", nc=" + nc + ", qop=auth");
    }

    @Test
    void nonceCountsStopReplaysAndForgetExpiredNonces() {
        Digest d = new Digest();
        Map<String, String> users = Map.of("gw", "pw");
        long now = System.currentTimeMillis();
        String nonce = d.newNonce(now);
        assertEquals(Digest.Verdict.ACCEPT, d.verify(creds(d, nonce, "00000001", "pw"), "INVITE", "r", users, now, 60_000),
                "hex compared case-insensitively");
        assertEquals(Digest.Verdict.REPLAY, d.verify(creds(d, nonce, "00000001", "pw"), "INVITE", "r", users, now, 60_000));
        assertEquals(Digest.Verdict.ACCEPT, d.verify(creds(d, nonce, "00000003", "pw"), "INVITE", "r", users, now, 60_000));
        assertEquals(Digest.Verdict.REPLAY, d.verify(creds(d, nonce, "00000002", "pw"), "INVITE", "r", users, now, 60_000),
                "a lower count is a replay too");
        assertEquals(Digest.Verdict.FORBIDDEN, d.verify(creds(d, nonce, "00000004", "no"), "INVITE", "r", users, now, 60_000));
        assertEquals(Digest.Verdict.FORBIDDEN, d.verify(creds(d, nonce, "4", "pw"), "INVITE", "r", users, now, 60_000),
                "nc is 8 hex digits");
        assertEquals(1, d.trackedNonces());
        // Expired: the right password is told "stale", and the count entry is forgotten on the next new nonce.
        long later = now + 120_000;
        assertEquals(Digest.Verdict.STALE, d.verify(creds(d, nonce, "00000009", "pw"), "INVITE", "r", users, later, 60_000));
        String fresh = d.newNonce(later);
        assertEquals(Digest.Verdict.ACCEPT, d.verify(creds(d, fresh, "00000001", "pw"), "INVITE", "r", users, later, 60_000));
        assertEquals(1, d.trackedNonces(), "the expired nonce's entry was dropped");
    }

    @Test
    void aFullNonceTableRefusesRatherThanForgets() {
        Digest d = new Digest();
        Map<String, String> users = Map.of("gw", "pw");
        long now = System.currentTimeMillis();
        for (int i = 0; i < Digest.MAX_TRACKED_NONCES; i++) {
            // one nonce a millisecond, all still valid (10 minutes)
            assertEquals(Digest.Verdict.ACCEPT, d.verify(creds(d, d.newNonce(now - i), "00000001", "pw"), "INVITE",
                    "r", users, now, 600_000));
        }
        assertEquals(Digest.Verdict.BUSY, d.verify(creds(d, d.newNonce(now + 1), "00000001", "pw"), "INVITE", "r",
                users, now, 600_000));
    }
}
