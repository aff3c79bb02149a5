package io.kinline.sip;

import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Gateway admission (allow-list, digest) and overload control (concurrency cap, CPS token bucket). */
class AdmissionOverloadTest {
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

    private void start(SipConfig.Builder cfg) throws Exception {
        gw = new JainUa("gw", "udp");
        b2b.direct = true;
        sip = new SipServer(cfg.build(), b2b);
        b2b.sip = sip;
        sip.start();
    }

    @Test
    void unknownSourceIsForbidden() throws Exception {
        start(config().gatewayAllowList(List.of("10.0.0.0/8", "192.168.1.7")));
        gw.invite(sip.udpAddress(), "100", SDP_GW);
        assertNotNull(gw.awaitResponse(403, Request.INVITE, WAIT));
        assertEquals(1, sip.metrics().forbiddenSent.get());
        assertTrue(b2b.calls.isEmpty());
        // OPTIONS is always answered
        gw.send(gw.newRequest(Request.OPTIONS, sip.udpAddress(), "ping", null));
        assertNotNull(gw.awaitResponse(200, Request.OPTIONS, WAIT));
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void digestAdmittedGateway() throws Exception {
        start(config().gatewayAllowList(List.of("10.0.0.0/8")).gatewayRealm("jail")
                .gatewayUsers(Map.of("gw1", "pa55")));
        Request invite = gw.newInvite(sip.udpAddress(), "100", SDP_GW);
        gw.send(invite);
        ResponseEvent challenge = gw.awaitResponse(401, Request.INVITE, WAIT);
        assertNotNull(challenge, "401 challenge");
        WWWAuthenticateHeader www = (WWWAuthenticateHeader) challenge.getResponse()
                .getHeader(WWWAuthenticateHeader.NAME);
        assertEquals("jail", www.getRealm());
        assertEquals("auth", www.getQop());

        // wrong password → 403
        Request bad = authorized(invite, www, "gw1", "nope", 2);
        gw.send(bad);
        assertNotNull(gw.awaitResponse(403, Request.INVITE, WAIT));

        Request good = authorized(invite, www, "gw1", "pa55", 3);
        gw.send(good);
        ResponseEvent ok = gw.awaitResponse(200, Request.INVITE, WAIT);
        assertNotNull(ok, "admitted by digest");
        gw.ack(ok);
        assertEquals("gw1", b2b.calls.get(0).authenticatedUser());
        assertEquals(1, b2b.calls.size());
    }

    private Request authorized(Request invite, WWWAuthenticateHeader www, String user, String password, long cseq)
            throws Exception {
        Request r = (Request) invite.clone();
        ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).setSeqNumber(cseq);
        ((ViaHeader) r.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK" + System.nanoTime());
        String uri = r.getRequestURI().toString();
        String cnonce = "0a4f113b";
        String nc = "00000001";
        String response = md5(md5(user + ":" + www.getRealm() + ":" + password) + ":" + www.getNonce() + ":" + nc
                + ":" + cnonce + ":auth:" + md5("INVITE:" + uri));
        r.setHeader(gw.headerFactory.createHeader("Authorization", "Digest username=\"" + user + "\", realm=\""
                + www.getRealm() + "\", nonce=\"" + www.getNonce() + "\", uri=\"" + uri + "\", response=\""
                + response + "\", algorithm=MD5, cnonce=\"" + cnonce + "\", nc=" + nc + ", qop=auth"));
        return r;
    }

    @Test
    void concurrentCallCapGives503() throws Exception {
        b2b.answerDirect = false; // calls stay ringing and hold their slot
        start(config().maxConcurrentCalls(1).retryAfterSeconds(7));
        ClientTransaction first = gw.invite(sip.udpAddress(), "100", SDP_GW);
        assertNotNull(gw.awaitResponse(180, Request.INVITE, WAIT));
        gw.invite(sip.udpAddress(), "101", SDP_GW);
        ResponseEvent busy = gw.awaitResponse(503, Request.INVITE, WAIT);
        assertNotNull(busy, "second call rejected");
        assertEquals(7, ((RetryAfterHeader) busy.getResponse().getHeader(RetryAfterHeader.NAME)).getRetryAfter());
        assertEquals(1, sip.metrics().serviceUnavailableSent.get());
        // OPTIONS still answered under overload
        gw.send(gw.newRequest(Request.OPTIONS, sip.udpAddress(), "ping", null));
        assertNotNull(gw.awaitResponse(200, Request.OPTIONS, WAIT));
        // cancelling the first frees the slot
        gw.send(first.createCancel());
        assertNotNull(gw.awaitResponse(487, Request.INVITE, WAIT));
        await("slot released", WAIT, () -> sip.metrics().activeInboundCalls.get() == 0);
        gw.invite(sip.udpAddress(), "102", SDP_GW);
        assertNotNull(gw.awaitResponse(180, Request.INVITE, WAIT), "admitted again");
    }

    @Test
    void callRateCapGives503() throws Exception {
        start(config().maxCallsPerSecond(0.001)); // a burst of one, then nothing for ~1000 s
        gw.invite(sip.udpAddress(), "100", SDP_GW);
        ResponseEvent ok = gw.awaitResponse(200, Request.INVITE, WAIT);
        assertNotNull(ok);
        gw.ack(ok);
        gw.invite(sip.udpAddress(), "101", SDP_GW);
        ResponseEvent busy = gw.awaitResponse(503, Request.INVITE, WAIT);
        assertNotNull(busy);
        assertNotNull(busy.getResponse().getHeader(RetryAfterHeader.NAME));
        assertEquals(1, b2b.calls.size());
    }
}
