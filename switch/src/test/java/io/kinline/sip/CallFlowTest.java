package io.kinline.sip;

import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sip.ResponseEvent;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** End-to-end call flows through a test B2BUA: JAIN-SIP gateway → Kinline → JAIN-SIP trunk. */
class CallFlowTest {
    private JainUa gw;
    private JainUa trunk;
    private SipServer sip;
    private final TestB2bua b2b = new TestB2bua();
    private JainUa.Incoming trunkInvite;

    private void setUp(String transport) throws Exception {
        gw = new JainUa("gw", transport);
        trunk = new JainUa("trunk", transport);
        sip = new SipServer(config(trunk.address(), transport).build(), b2b);
        b2b.sip = sip;
        sip.start();
    }

    @AfterEach
    void tearDown() {
        if (sip != null) {
            sip.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    private static String body(Response r) {
        byte[] b = r.getRawContent();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Sets up an answered call and returns the gateway's 200 OK event (already ACKed). */
    private ResponseEvent connect(String transport) throws Exception {
        gw.invite(target(sip, transport), "15551234567", SDP_GW);
        JainUa.Incoming tin = trunk.awaitRequest(Request.INVITE, WAIT);
        assertNotNull(tin, "trunk got the B-leg INVITE");
        trunkInvite = tin;
        assertEquals("15551234567", ((SipURI) tin.request().getRequestURI()).getUser());
        assertEquals(TestB2bua.SDP_A, tin.body());
        trunk.respond(tin, 180, null);
        // (the JAIN-SIP RI does not pass 100 Trying up to its listener; RawSocketTest checks it)
        assertNotNull(gw.awaitResponse(180, Request.INVITE, WAIT), "180 Ringing relayed");
        trunk.respond(tin, 200, SDP_TRUNK);
        assertNotNull(trunk.awaitRequest(Request.ACK, WAIT), "Kinline ACKs the trunk's 200");
        ResponseEvent ok = gw.awaitResponse(200, Request.INVITE, WAIT);
        assertNotNull(ok, "200 OK relayed to the gateway");
        assertEquals(SDP_TRUNK, body(ok.getResponse()));
        gw.ack(ok);
        Dialog a = b2b.aDialog.get(WAIT, TimeUnit.MILLISECONDS);
        assertEquals(DialogState.CONFIRMED, a.state());
        assertEquals(SDP_GW, a.remoteSdp());
        return ok;
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void basicCallByeFromCaller(String transport) throws Exception {
        setUp(transport);
        ResponseEvent ok = connect(transport);
        assertEquals(2, sip.dialogCount());
        gw.bye(ok.getDialog());
        assertNotNull(gw.awaitResponse(200, Request.BYE, WAIT), "200 for BYE");
        assertNotNull(trunk.awaitRequest(Request.BYE, WAIT), "BYE relayed to the trunk");
        assertEquals(TerminationReason.REMOTE_BYE, b2b.aTerminated.get(WAIT, TimeUnit.MILLISECONDS));
        assertEquals(TerminationReason.LOCAL_BYE, b2b.bTerminated.get(WAIT, TimeUnit.MILLISECONDS));
        await("dialogs gone", WAIT, () -> sip.dialogCount() == 0);
        assertEquals(0, sip.metrics().activeInboundCalls.get());
        await("transactions gone", WAIT, () -> sip.transactionCount() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void byeFromCallee(String transport) throws Exception {
        setUp(transport);
        connect(transport);
        trunk.bye(trunkInvite.st().getDialog());
        assertNotNull(trunk.awaitResponse(200, Request.BYE, WAIT));
        assertNotNull(gw.awaitRequest(Request.BYE, WAIT), "BYE relayed to the caller");
        assertEquals(TerminationReason.REMOTE_BYE, b2b.bTerminated.get(WAIT, TimeUnit.MILLISECONDS));
        await("dialogs gone", WAIT, () -> sip.dialogCount() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void reInviteHold(String transport) throws Exception {
        setUp(transport);
        ResponseEvent ok = connect(transport);
        String hold = SDP_GW.replace("a=sendrecv", "a=sendonly").replace("1 1 IN", "1 2 IN");
        gw.inDialog(ok.getDialog(), Request.INVITE, "application/sdp", hold);
        JainUa.Incoming re = trunk.awaitRequest(Request.INVITE, WAIT);
        assertNotNull(re, "re-INVITE relayed to the trunk");
        assertTrue(re.body().contains("a=sendonly"));
        String answer = SDP_TRUNK.replace("a=sendrecv", "a=recvonly");
        trunk.respond(re, 200, answer);
        ResponseEvent reOk = gw.awaitResponse(200, Request.INVITE, WAIT);
        assertNotNull(reOk, "answer came back");
        assertTrue(body(reOk.getResponse()).contains("a=recvonly"));
        gw.ack(reOk);
        assertNotNull(trunk.awaitRequest(Request.ACK, WAIT));
        Dialog a = b2b.aDialog.get();
        await("hold SDP stored", WAIT, () -> a.remoteSdp() != null && a.remoteSdp().contains("a=sendonly"));
        // DTMF by INFO from the gateway
        gw.inDialog(ok.getDialog(), Request.INFO, "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
        assertNotNull(gw.awaitResponse(200, Request.INFO, WAIT));
        assertEquals("5/160", b2b.dtmf.get(WAIT, TimeUnit.MILLISECONDS));
        gw.bye(ok.getDialog());
        assertNotNull(trunk.awaitRequest(Request.BYE, WAIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void inDialogInfoUpdateOptions(String transport) throws Exception {
        setUp(transport);
        ResponseEvent ok = connect(transport);
        Dialog a = b2b.aDialog.get();
        // outgoing DTMF INFO
        a.sendInfoDtmf('7', 200).toCompletableFuture().get(WAIT, TimeUnit.MILLISECONDS);
        JainUa.Incoming info = gw.awaitRequest(Request.INFO, WAIT);
        assertNotNull(info);
        assertEquals("Signal=7\r\nDuration=200\r\n", info.body());
        assertEquals("application", info.request().getHeader("Content-Type").toString().split(":")[1].trim()
                .split("/")[0]);
        // outgoing UPDATE (target refresh without SDP); the JAIN-SIP UA answers 200 without a body
        assertNull(a.update(null).toCompletableFuture().get(WAIT, TimeUnit.MILLISECONDS));
        assertNotNull(gw.awaitRequest(Request.UPDATE, WAIT));
        // incoming UPDATE with an offer: the default listener answers with the current local SDP
        gw.inDialog(ok.getDialog(), Request.UPDATE, "application/sdp", SDP_GW.replace("30000", "30010"));
        ResponseEvent upd = gw.awaitResponse(200, Request.UPDATE, WAIT);
        assertNotNull(upd);
        assertEquals(a.localSdp(), body(upd.getResponse()));
        await("offer stored", WAIT, () -> a.remoteSdp().contains("30010"));
        // in-dialog OPTIONS both ways
        assertEquals(200, a.options().toCompletableFuture().get(WAIT, TimeUnit.MILLISECONDS));
        gw.inDialog(ok.getDialog(), Request.OPTIONS, null, null);
        assertNotNull(gw.awaitResponse(200, Request.OPTIONS, WAIT));
        // unknown INFO payloads are refused
        gw.inDialog(ok.getDialog(), Request.INFO, "text/plain", "hello");
        assertNotNull(gw.awaitResponse(415, Request.INFO, WAIT));
        a.bye().toCompletableFuture().get(WAIT, TimeUnit.MILLISECONDS);
        assertNotNull(gw.awaitRequest(Request.BYE, WAIT));
        assertNotNull(trunk.awaitRequest(Request.BYE, WAIT), "the B-leg follows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void cancelBeforeAnswer(String transport) throws Exception {
        setUp(transport);
        var ct = gw.invite(target(sip, transport), "15550001111", SDP_GW);
        JainUa.Incoming tin = trunk.awaitRequest(Request.INVITE, WAIT);
        assertNotNull(tin);
        trunk.respond(tin, 180, null);
        assertNotNull(gw.awaitResponse(180, Request.INVITE, WAIT));
        gw.send(ct.createCancel());
        assertNotNull(gw.awaitResponse(200, Request.CANCEL, WAIT), "200 for CANCEL");
        assertNotNull(gw.awaitResponse(487, Request.INVITE, WAIT), "487 for the INVITE");
        assertNotNull(trunk.awaitRequest(Request.CANCEL, WAIT), "B-leg cancelled too");
        assertEquals(487, b2b.bFailed.get(WAIT, TimeUnit.MILLISECONDS));
        await("call slot released", WAIT, () -> sip.metrics().activeInboundCalls.get() == 0);
        await("transactions gone", WAIT, () -> sip.transactionCount() == 0);
        assertEquals(0, sip.dialogCount());
    }
}
