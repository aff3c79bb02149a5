package io.kinline.sip;

import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import org.junit.jupiter.api.Test;

import javax.sip.ResponseEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Many calls at once through the B2BUA over UDP; afterwards nothing is left behind. */
class ConcurrentCallsTest {

    @Test
    void fortyParallelCallsLeaveNoState() throws Exception {
        int n = 40;
        try (JainUa gw = new JainUa("gw", "udp"); JainUa trunk = new JainUa("trunk", "udp")) {
            TestB2bua b2b = new TestB2bua();
            SipServer sip = new SipServer(config(trunk.address(), "udp").maxCallsPerSecond(1000).build(), b2b);
            b2b.sip = sip;
            try {
                sip.start();
                for (int i = 0; i < n; i++) {
                    gw.invite(sip.udpAddress(), "1555000" + (1000 + i), SDP_GW);
                }
                for (int i = 0; i < n; i++) {
                    JainUa.Incoming in = trunk.awaitRequest(Request.INVITE, 3 * WAIT);
                    assertNotNull(in, "B-leg " + i);
                    trunk.respond(in, 200, SDP_TRUNK);
                }
                List<ResponseEvent> oks = new ArrayList<>();
                Set<String> callIds = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    ResponseEvent ok = gw.awaitResponse(200, Request.INVITE, 3 * WAIT);
                    assertNotNull(ok, "A-leg " + i + " answered");
                    if (callIds.add(((CallIdHeader) ok.getResponse().getHeader(CallIdHeader.NAME)).getCallId())) {
                        gw.ack(ok);
                        oks.add(ok);
                    } else {
                        i--; // a retransmitted 200 (our ACK crossed it); already ACKed
                    }
                }
                await("all dialogs up", 3 * WAIT, () -> sip.dialogCount() == 2 * n);
                assertEquals(n, sip.metrics().activeInboundCalls.get());
                for (ResponseEvent ok : oks) {
                    gw.bye(ok.getDialog());
                }
                for (int i = 0; i < n; i++) {
                    assertNotNull(trunk.awaitRequest(Request.BYE, 3 * WAIT), "BYE " + i);
                }
                await("dialogs gone", 3 * WAIT, () -> sip.dialogCount() == 0);
                await("calls released", 3 * WAIT, () -> sip.metrics().activeInboundCalls.get() == 0);
                await("transactions gone", 6 * WAIT, () -> sip.transactionCount() == 0);
                assertEquals(0, sip.metrics().activeTransactions.get());
                assertEquals(0, sip.metrics().activeDialogs.get());
            } finally {
                sip.close();
            }
        }
    }
}
