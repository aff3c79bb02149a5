package io.kinline.sip;

import static io.kinline.sip.SipTestSupport.SDP_GW;
import static io.kinline.sip.SipTestSupport.WAIT;
import static io.kinline.sip.SipTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Digest admission tried as an attacker on the gateway network would: a response captured off the wire and
 * replayed in a new INVITE (digest covers only method and URI, so the attacker is free to pick another
 * Call-ID and station) is refused by nonce-count tracking (RFC 7616 §3.3, RFC 2617 §3.2.2); the RFC 2069
 * form, which has no nonce count, is refused; a correct response on an expired nonce gets a fresh challenge
 * with {@code stale=true}. The gateway is an independent JAIN-SIP stack ({@link JainUa}).
 */
class DigestReplayTest {

    private static final String USER = "gw1";
    private static final String PASSWORD = "pa55";

    private JainUa gw;
    private SipServer sip;
    private final TestB2bua b2b = new TestB2bua();

    @AfterEach
    void tearDown() {
        if (sip != null) {
            sip.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    private void start(Duration nonceValidity) throws Exception {
        gw = new JainUa("gw", "udp");
        b2b.direct = true;
        // Loopback is not on the allow-list: the gateway must authenticate.
        sip = new SipServer(config().gatewayAllowList(List.of("10.0.0.0/8")).gatewayRealm("jail")
                .gatewayUsers(Map.of(USER, PASSWORD)).nonceValidity(nonceValidity).build(), b2b);
        b2b.sip = sip;
        sip.start();
    }

    private WWWAuthenticateHeader challenge(Request invite) throws Exception {
        gw.send(invite);
        ResponseEvent c = gw.awaitResponse(401, Request.INVITE, WAIT);
        assertNotNull(c, "401 challenge");
        return (WWWAuthenticateHeader) c.getResponse().getHeader(WWWAuthenticateHeader.NAME);
    }

    @Test
    void aCapturedResponseReplayedInANewInviteIsRefused() throws Exception {
        start(Duration.ofMinutes(5));
        Request invite = gw.newInvite(sip.udpAddress(), "100", SDP_GW);
        WWWAuthenticateHeader www = challenge(invite);

        Request genuine = authorized(invite, www, PASSWORD, 2, "00000001", "auth");
        gw.send(genuine);
        ResponseEvent ok = gw.awaitResponse(200, Request.INVITE, WAIT);
        assertNotNull(ok, "the gateway's own request is admitted");
        gw.ack(ok);
        assertEquals(1, b2b.calls.size());

        // The attacker copies the Authorization header into an INVITE of their own: another call, another
        // station, the same nonce count. The response still matches (method and URI are the same).
        Request replay = (Request) genuine.clone();
        ((ViaHeader) replay.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK" + System.nanoTime());
        ((CallIdHeader) replay.getHeader(CallIdHeader.NAME)).setCallId("replayed-" + System.nanoTime());
        ((FromHeader) replay.getHeader(FromHeader.NAME)).setTag("forged");
        gw.send(replay);
        ResponseEvent refused = gw.awaitResponse(r -> r.getStatusCode() >= 200
                && r.getHeader(CallIdHeader.NAME).toString().contains("replayed-"), WAIT);
        assertNotNull(refused, "the replay is answered");
        assertNotEquals(200, refused.getResponse().getStatusCode(), "a replayed response must not admit a call");
        assertEquals(401, refused.getResponse().getStatusCode(), "answered with a fresh challenge");
        WWWAuthenticateHeader fresh = (WWWAuthenticateHeader) refused.getResponse().getHeader(WWWAuthenticateHeader.NAME);
        assertNotEquals(www.getNonce(), fresh.getNonce(), "a new nonce");
        assertEquals(1, b2b.calls.size(), "no second call");
        assertEquals(1, sip.metrics().digestReplays.get());

        // The genuine gateway counting on (nc=2) with the same nonce is still admitted.
        Request next = authorized(invite, www, PASSWORD, 3, "00000002", "auth");
        ((CallIdHeader) next.getHeader(CallIdHeader.NAME)).setCallId("second-" + System.nanoTime());
        gw.send(next);
        ResponseEvent ok2 = gw.awaitResponse(r -> r.getStatusCode() == 200
                && r.getHeader(CallIdHeader.NAME).toString().contains("second-"), WAIT);
        assertNotNull(ok2, "the next nonce count is admitted");
        gw.ack(ok2);
        assertEquals(2, b2b.calls.size());
    }

    @Test
    void theRfc2069FormWithoutNonceCountIsRefused() throws Exception {
        start(Duration.ofMinutes(5));
        Request invite = gw.newInvite(sip.udpAddress(), "100", SDP_GW);
        WWWAuthenticateHeader www = challenge(invite);
        // Correct password, but no qop, nc or cnonce: nothing would stop its replay.
        gw.send(authorized(invite, www, PASSWORD, 2, null, null));
        ResponseEvent r = gw.awaitResponse(x -> x.getStatusCode() >= 300, WAIT);
        assertNotNull(r);
        assertEquals(403, r.getResponse().getStatusCode(), r.getResponse().toString());
        assertTrue(b2b.calls.isEmpty());
    }

    @Test
    void aCorrectResponseOnAnExpiredNonceGetsStaleTrue() throws Exception {
        start(Duration.ofMillis(300));
        Request invite = gw.newInvite(sip.udpAddress(), "100", SDP_GW);
        WWWAuthenticateHeader www = challenge(invite);
        Thread.sleep(600);
        gw.send(authorized(invite, www, PASSWORD, 2, "00000001", "auth"));
        ResponseEvent stale = gw.awaitResponse(x -> x.getStatusCode() == 401
                && ((CSeqHeader) x.getHeader(CSeqHeader.NAME)).getSeqNumber() == 2, WAIT);
        assertNotNull(stale, "re-challenged");
        String value = stale.getResponse().getHeader(WWWAuthenticateHeader.NAME).toString();
        assertTrue(value.toLowerCase().contains("stale=true"), value);
        // A wrong password on an expired nonce is not told "stale": that would invite guessing.
        Request wrong = authorized(invite, www, "guess", 3, "00000001", "auth");
        gw.send(wrong);
        ResponseEvent forbidden = gw.awaitResponse(x -> ((CSeqHeader) x.getHeader(CSeqHeader.NAME)).getSeqNumber() == 3
                && x.getStatusCode() >= 300, WAIT);
        assertNotNull(forbidden);
        assertEquals(403, forbidden.getResponse().getStatusCode());
        assertTrue(b2b.calls.isEmpty());
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The INVITE again with credentials; {@code qop} null gives the RFC 2069 form. */
    private Request authorized(Request invite, WWWAuthenticateHeader www, String password, long cseq, String nc,
            String qop) throws Exception {
        Request r = (Request) invite.clone();
        ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).setSeqNumber(cseq);
        ((ViaHeader) r.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK" + System.nanoTime());
        String uri = r.getRequestURI().toString();
        String cnonce = "0a4f113b";
        String ha1 = md5(USER + ":" + www.getRealm() + ":" + password);
        String ha2 = md5("INVITE:" + uri);
        String response = qop == null ? md5(ha1 + ":" + www.getNonce() + ":" + ha2)
                : md5(ha1 + ":" + www.getNonce() + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
        String value = "Digest username=\"" + USER + "\", realm=\"" + www.getRealm() + "\", nonce=\""
                + www.getNonce() + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=MD5"
                + (qop == null ? "" : ", cnonce=\"" + cnonce + "\", nc=" + nc + ", qop=" + qop);
        r.setHeader(gw.headerFactory.createHeader("Authorization", value));
        return r;
    }
}
