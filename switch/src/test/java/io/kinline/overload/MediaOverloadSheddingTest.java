package io.kinline.overload;

import static io.kinline.sip.SipTestSupport.SDP_GW;
import static io.kinline.sip.SipTestSupport.WAIT;
import static io.kinline.sip.SipTestSupport.await;
import static io.kinline.sip.SipTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kinline.media.MediaConfig;
import io.kinline.media.prompt.FilePromptLibrary;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.sip.SipServer;
import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import io.netty.channel.EventLoop;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ResponseEvent;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A media event loop really stalled (a task holding it 200 ms at a time): new INVITEs from a JAIN-SIP RI
 * gateway get 503 with Retry-After and the reason; a call already up is unaffected; once the stall ends the
 * switch admits new calls again.
 */
class MediaOverloadSheddingTest {

    private NettyMediaEngine media;
    private SipServer sip;
    private JainUa gw;
    private Thread staller;
    private final AtomicBoolean stalling = new AtomicBoolean();
    private final TestB2bua b2b = new TestB2bua();

    @AfterEach
    void tearDown() throws Exception {
        stalling.set(false);
        if (staller != null) {
            staller.join(5_000);
        }
        if (sip != null) {
            sip.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (media != null) {
            media.close();
        }
    }

    @Test
    void stalledMediaLoopShedsNewCallsWith503UntilItRecovers() throws Exception {
        int base = 21000 + 2 * ThreadLocalRandom.current().nextInt(0, 5000);
        media = NettyMediaEngine.create(MediaConfig.builder().portRange(base, base + 99).eventLoopThreads(1).build(),
                FilePromptLibrary.loadFromClasspath(FilePromptLibrary.CLASSPATH_ROOT, "en"));
        MediaOverloadGuard guard = new MediaOverloadGuard(media.load(), 20, 500, () -> 0, 0, 1, System::nanoTime);
        gw = new JainUa("gw", "udp");
        b2b.direct = true;
        sip = new SipServer(config().retryAfterSeconds(7).build(), b2b);
        b2b.sip = sip;
        sip.admissionGuard(guard);
        sip.start();

        // Healthy: admitted.
        gw.invite(sip.udpAddress(), "100", SDP_GW);
        ResponseEvent up = gw.awaitResponse(200, Request.INVITE, WAIT);
        assertNotNull(up, "admitted while the media path keeps up");
        gw.ack(up);

        // Stall the media loop for real, 200 ms at a time, until told to stop.
        EventLoop loop = media.loopFor("any-call");
        stalling.set(true);
        staller = Thread.ofPlatform().daemon().start(() -> {
            while (stalling.get()) {
                loop.submit(() -> sleep(200)).awaitUninterruptibly();
            }
        });
        await("the probe sees the stall", WAIT, () -> media.load().loopLagMicros() > 20_000);

        gw.invite(sip.udpAddress(), "101", SDP_GW);
        ResponseEvent shed = gw.awaitResponse(503, Request.INVITE, WAIT);
        assertNotNull(shed, "shed while the media loop lags");
        Response r = shed.getResponse();
        assertEquals("Media Overloaded", r.getReasonPhrase());
        assertEquals(7, ((RetryAfterHeader) r.getHeader(RetryAfterHeader.NAME)).getRetryAfter());
        assertEquals(1, guard.rejected());
        assertEquals(1, sip.metrics().serviceUnavailableSent.get(), "counted with every other 503 too");
        assertEquals(1, b2b.calls.size(), "the shed INVITE never reached the call layer");
        assertEquals(1, sip.dialogCount(), "the call in progress is not affected");

        // The stall ends: after the lag window and the hold, new calls are admitted again.
        stalling.set(false);
        staller.join(5_000);
        long deadline = System.nanoTime() + 15_000_000_000L;
        ResponseEvent answer = null;
        for (int i = 0; answer == null && System.nanoTime() < deadline; i++) {
            gw.invite(sip.udpAddress(), "2" + i, SDP_GW);
            ResponseEvent final_ = gw.awaitResponse(x -> x.getStatusCode() >= 200, WAIT);
            assertNotNull(final_, "a final response");
            int status = final_.getResponse().getStatusCode();
            if (status == 200) {
                answer = final_;
            } else {
                assertEquals(503, status, "shed or admitted, nothing else");
                Thread.sleep(250);
            }
        }
        assertNotNull(answer, "admitted again within 15 s of the stall's end");
        gw.ack(answer);
        assertFalse(guard.shedding());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
