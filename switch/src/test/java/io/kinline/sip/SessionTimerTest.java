package io.kinline.sip;

import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.ResponseEvent;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.TimeUnit;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** RFC 4028 session timers with a small Min-SE. */
class SessionTimerTest {
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

    private void start() throws Exception {
        gw = new JainUa("gw", "udp");
        b2b.direct = true;
        sip = new SipServer(config().minSessionExpires(1).build(), b2b);
        b2b.sip = sip;
        sip.start();
    }

    private static String value(Response r, String name) {
        Header h = r.getHeader(name);
        if (h == null) {
            return null;
        }
        String s = h.toString();
        return s.substring(s.indexOf(':') + 1).trim();
    }

    private ResponseEvent call(String sessionExpires) throws Exception {
        Request invite = gw.newInvite(sip.udpAddress(), "100", SDP_GW);
        invite.addHeader(gw.headerFactory.createHeader("Supported", "timer"));
        invite.addHeader(gw.headerFactory.createHeader("Session-Expires", sessionExpires));
        gw.send(invite);
        return gw.awaitResponse(r -> r.getStatusCode() >= 200, WAIT);
    }

    @Test
    void peerThatStopsRefreshingIsHungUp() throws Exception {
        start();
        ResponseEvent ok = call("2;refresher=uac");
        assertEquals(200, ok.getResponse().getStatusCode());
        assertEquals("2;refresher=uac", value(ok.getResponse(), "Session-Expires"));
        assertEquals("timer", value(ok.getResponse(), "Require"));
        gw.ack(ok);
        // the gateway never refreshes: Kinline sends BYE after 2 - 2/3 s and reports why
        assertNotNull(gw.awaitRequest(Request.BYE, WAIT), "BYE from Kinline");
        assertEquals(TerminationReason.SESSION_TIMER_EXPIRED, b2b.aTerminated.get(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("session timer expired", TerminationReason.SESSION_TIMER_EXPIRED.description());
        await("dialog gone", WAIT, () -> sip.dialogCount() == 0);
    }

    @Test
    void weRefreshWhenRefresherIsUas() throws Exception {
        start();
        ResponseEvent ok = call("2;refresher=uas");
        assertEquals("2;refresher=uas", value(ok.getResponse(), "Session-Expires"));
        gw.ack(ok);
        for (int i = 0; i < 2; i++) {
            JainUa.Incoming refresh = gw.awaitRequest(Request.INVITE, WAIT);
            assertNotNull(refresh, "refresh re-INVITE at half the interval");
            assertEquals(TestB2bua.SDP_B, refresh.body(), "refresh re-offers the current SDP");
            assertTrue(refresh.request().getHeader("Session-Expires").toString().contains("refresher=uac"));
            // RFC 4028: a 2xx without Session-Expires would switch the timer off, so echo it
            gw.respond(refresh, 200, SDP_GW, gw.headerFactory.createHeader("Session-Expires", "2;refresher=uac"));
        }
        Dialog d = b2b.aDialog.get(WAIT, TimeUnit.MILLISECONDS);
        assertEquals(DialogState.CONFIRMED, d.state());
        assertFalse(b2b.aTerminated.isDone());
        d.bye();
        assertNotNull(gw.awaitRequest(Request.BYE, WAIT));
        assertEquals(TerminationReason.LOCAL_BYE, b2b.aTerminated.get(WAIT, TimeUnit.MILLISECONDS));
    }

    @Test
    void outboundLegExpiresWhenTrunkStopsRefreshing() throws Exception {
        JainUa trunk = new JainUa("trunk", "udp");
        try {
            sip = new SipServer(config(trunk.address(), "udp").minSessionExpires(1).sessionExpires(2).build(), null);
            sip.start();
            java.util.concurrent.CompletableFuture<TerminationReason> ended = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CompletableFuture<Dialog> answered = new java.util.concurrent.CompletableFuture<>();
            sip.placeCall(OutboundCallRequest.of("555", SDP_GW), new OutboundCallListener() {
                @Override
                public void onAnswered(OutboundCall call, Dialog dialog, String sdp) {
                    answered.complete(dialog);
                }

                @Override
                public void onFailed(OutboundCall call, int status, String reason) {
                    answered.completeExceptionally(new SipFailure(status, reason));
                }
            }, new DialogListener() {
                @Override
                public void onTerminated(Dialog dialog, TerminationReason reason) {
                    ended.complete(reason);
                }
            });
            JainUa.Incoming in = trunk.awaitRequest(Request.INVITE, WAIT);
            assertNotNull(in);
            assertTrue(in.request().getHeader("Session-Expires").toString().contains("2"));
            assertTrue(in.request().getHeader("Supported").toString().contains("timer"));
            trunk.respond(in, 200, SDP_TRUNK, trunk.headerFactory.createHeader("Session-Expires", "2;refresher=uas"),
                    trunk.headerFactory.createHeader("Require", "timer"));
            assertNotNull(answered.get(WAIT, TimeUnit.MILLISECONDS));
            assertNotNull(trunk.awaitRequest(Request.BYE, WAIT), "BYE when the trunk does not refresh");
            assertEquals(TerminationReason.SESSION_TIMER_EXPIRED, ended.get(WAIT, TimeUnit.MILLISECONDS));
        } finally {
            trunk.close();
        }
    }

    @Test
    void tooSmallIntervalGets422() throws Exception {
        gw = new JainUa("gw", "udp");
        b2b.direct = true;
        sip = new SipServer(config().minSessionExpires(5).sessionExpires(10).build(), b2b);
        sip.start();
        ResponseEvent r = call("2");
        assertEquals(422, r.getResponse().getStatusCode());
        assertEquals("5", value(r.getResponse(), "Min-SE"));
        assertTrue(b2b.calls.isEmpty());
    }
}
