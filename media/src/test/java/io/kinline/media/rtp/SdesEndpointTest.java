package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.SdpException;
import io.kinline.media.srtp.SdesCrypto;
import io.kinline.media.srtp.SdesPolicy;
import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpResult;
import io.kinline.media.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SDES-SRTP on a real endpoint over UDP: the answer is RTP/SAVP with our key under the offer's tag; what the peer
 * protects with its offered key reaches the endpoint, a forged packet does not; what the endpoint sends verifies
 * under the key of our answer; the policy decides plain offers (optional: plain RTP, mandatory: refused).
 */
class SdesEndpointTest {
    private static NettyMediaEngine engine;
    private static final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1));
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void start() {
        engine = NettyMediaEngine.withClock(EndpointTest.testConfig(), new TestPrompts(), clock::get);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static String savpOffer(RtpTestPeer peer, SdesCrypto crypto) {
        return peer.offerG711().replace(" RTP/AVP ", " RTP/SAVP ") + "a=crypto:" + crypto.format() + "\r\n";
    }

    private static void advance(int millis) {
        for (int t = 0; t < millis; t += 10) {
            engine.settle();
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            engine.tick();
        }
    }

    @Test
    void srtpBothWaysWithTheNegotiatedKeys() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-sdes", "inmate", ev)) {
            SdesCrypto mine = SdesCrypto.random(7, RANDOM);
            ep.sdesPolicy(SdesPolicy.OPTIONAL);
            String answer = ep.answer(savpOffer(peer, mine));
            assertTrue(answer.contains("m=audio " + ep.localAddress().getPort() + " RTP/SAVP 0 101"), answer);
            Matcher m = Pattern.compile("a=crypto:(7 AES_CM_128_HMAC_SHA1_80 inline:\\S+)").matcher(answer);
            assertTrue(m.find(), answer);
            SdesCrypto theirs = SdesCrypto.parse(m.group(1));

            SrtpSender tx = mine.sender();
            for (int i = 0; i < 5; i++) {
                byte[] rtp = RtpTestPeer.build(false, 0, peer.seq++, peer.ts += 160, peer.ssrc, new byte[160]);
                ByteBuf b = Unpooled.buffer(rtp.length + 16).writeBytes(rtp);
                assertEquals(SrtpResult.OK, tx.protectRtp(b));
                byte[] wire = ByteBufUtil.getBytes(b);
                b.release();
                if (i == 4) {
                    wire[wire.length - 1] ^= 1; // a forged tag
                }
                peer.sendRaw(wire, ep.localAddress());
            }
            Events.await(() -> ep.secureMedia() != null && ep.secureMedia().contains("AUTH_FAILED=1"),
                    "the forged packet is counted: " + ep.secureMedia());
            assertTrue(ep.secureMedia().startsWith("SRTP in 4 ok, 1 dropped"), ep.secureMedia());
            advance(20);
            assertEquals(4, ep.statistics().packetsReceived(), "only authentic packets reach the endpoint");

            ep.play(EndpointTest.tone(1000, 100), false);
            advance(100);
            Events.await(() -> peer.received().size() >= 5, "no SRTP from the endpoint");
            SrtpReceiver rx = theirs.receiver();
            for (RtpTestPeer.Rx p : peer.received()) {
                ByteBuf b = Unpooled.wrappedBuffer(RtpTestPeer.build(p.marker(), p.pt(), p.seq(), p.ts(), p.ssrc(),
                        p.payload()));
                assertEquals(SrtpResult.OK, rx.unprotectRtp(b), "our SRTP verifies under our answer's key");
                assertEquals(12 + 160, b.readableBytes());
                b.release();
            }
        }
    }

    @Test
    void mandatoryRefusesAPlainOfferAndOptionalTakesIt() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-sdes2", "inmate", ev)) {
            ep.sdesPolicy(SdesPolicy.MANDATORY);
            SdpException e = assertThrows(SdpException.class, () -> ep.answer(peer.offerG711()));
            assertTrue(e.noCommonCodec() && e.getMessage().startsWith("SRTP"), e.getMessage());
            ep.sdesPolicy(SdesPolicy.OPTIONAL);
            String answer = ep.answer(peer.offerG711());
            assertTrue(answer.contains("RTP/AVP") && !answer.contains("a=crypto"), answer);
            assertNull(ep.secureMedia());
        }
    }

    @Test
    void anUnusableCryptoLineIsRefused() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-sdes3", "inmate", ev)) {
            ep.sdesPolicy(SdesPolicy.OPTIONAL);
            String offer = peer.offerG711().replace(" RTP/AVP ", " RTP/SAVP ")
                    + "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" + "A".repeat(40) + "\r\n";
            SdpException e = assertThrows(SdpException.class, () -> ep.answer(offer));
            assertTrue(e.getMessage().startsWith("SRTP"), e.getMessage());
            ep.sdesPolicy(SdesPolicy.OFF);
            assertThrows(SdpException.class, () -> ep.answer(savpOffer(peer, SdesCrypto.random(1, RANDOM))),
                    "with SDES off an RTP/SAVP offer has no common transport");
        }
    }
}
