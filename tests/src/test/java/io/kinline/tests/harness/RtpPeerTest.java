package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.G711Codec;
import io.kinline.tests.rtp.Goertzel;
import io.kinline.tests.rtp.ReceivedDigit;
import io.kinline.tests.rtp.ReceivedRtp;
import io.kinline.tests.rtp.RtpPeer;
import io.kinline.tests.rtp.RtpStats;
import io.kinline.tests.rtp.Sdp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RtpPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void offerAnswerNegotiatesCodecAndTelephoneEvent() throws Exception {
        try (RtpPeer a = RtpPeer.open(); RtpPeer b = RtpPeer.open()) {
            a.offerCodecs(8, 0);
            String answer = b.answer(a.offer());
            a.acceptAnswer(answer);
            assertEquals(8, a.payloadType());
            assertEquals(8, b.payloadType());
            assertEquals(101, b.telephoneEventPayloadType());
            assertEquals(b.port(), a.remote().getPort());
            assertEquals(a.port(), b.remote().getPort());
            Sdp parsed = Sdp.parse(answer);
            assertEquals(List.of(8, 101), parsed.formats());
            assertEquals(101, parsed.payloadType("telephone-event"));
        }
    }

    @Test
    void rfc4733DigitsArriveAsSeparateEvents() throws Exception {
        try (RtpPeer a = RtpPeer.open(); RtpPeer b = RtpPeer.open()) {
            a.acceptAnswer(b.answer(a.offer()));
            a.sendDigits("1223#", 100, 60).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(b.awaitDigits("1223#", WAIT), "got " + b.receivedDigits());
            assertEquals("1223#", b.receivedDigits());
            List<ReceivedDigit> ev = b.receivedEvents();
            assertEquals(5, ev.size());
            Set<Long> timestamps = new HashSet<>();
            for (ReceivedDigit d : ev) {
                assertTrue(d.ended() && d.startMarker(), d.toString());
                assertEquals(800, d.durationSamples());
                assertEquals(5 + 2, d.packets(), "5 updates incl. first end + 2 more end packets: " + d);
                timestamps.add(d.timestamp());
            }
            assertEquals(5, timestamps.size(), "each digit has its own timestamp");
            // the event packets of one digit: marker only on the first, E bit on the last three
            List<ReceivedRtp> first = b.packets().stream()
                    .filter(p -> p.payloadType() == 101 && p.timestamp() == ev.get(0).timestamp()).toList();
            assertTrue(first.get(0).marker());
            assertFalse(first.get(1).marker());
            assertEquals(3, first.stream().filter(p -> (p.payload()[1] & 0x80) != 0).count());
            assertEquals(0, b.stats().lost());
        }
    }

    @Test
    void toneIsHeardWithItsFrequencyAndLevel() throws Exception {
        try (RtpPeer a = RtpPeer.open(); RtpPeer b = RtpPeer.open()) {
            a.acceptAnswer(b.answer(a.offer()));
            assertFalse(b.heardAudioBetween(0, b.elapsedMs(), -50));
            long t0 = b.elapsedMs();
            a.play(AudioSource.tone(1000, 10000)).startSending();
            assertTrue(b.awaitAudio(-30, WAIT));
            assertTrue(b.awaitPackets(25, WAIT));
            long t1 = b.elapsedMs();
            assertTrue(b.heardAudioBetween(t0, t1, -30));
            assertEquals(1000.0, b.dominantFrequency(t0, t1, 400, 1000, 2500));
            double level = b.levelDbov(t0, t1);
            // 10000 peak sine: 20*log10(10000/32768) - 3 dB = -13.3 dBov
            assertEquals(-13.3, level, 1.0);
            a.play(AudioSource.silence());
            assertTrue(b.awaitSilence(-60, 200, WAIT));
            RtpStats s = b.stats();
            assertEquals(0, s.lost(), s.toString());
            assertEquals(0, s.discontinuities(), s.toString());
        }
    }

    @Test
    void inbandDigitsAreDetectedByGoertzel() throws Exception {
        try (RtpPeer a = RtpPeer.open(); RtpPeer b = RtpPeer.open()) {
            a.acceptAnswer(b.answer(a.offer()));
            a.sendInbandDigits("1234#", 120, 80).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(b.awaitPackets(50, WAIT));
            Thread.sleep(100);
            assertEquals("1234#", b.detectInbandDigits());
            assertEquals("", b.receivedDigits(), "no RFC 4733 events for in-band");
        }
    }

    @Test
    void g711RoundTripIsCloseAndGoertzelClassifiesKeys() {
        for (int v = -32000; v <= 32000; v += 97) {
            int u = G711Codec.ulawToLinear(G711Codec.linearToUlaw(v));
            int a = G711Codec.alawToLinear(G711Codec.linearToAlaw(v));
            int tol = Math.max(16, Math.abs(v) / 16);
            assertTrue(Math.abs(u - v) <= tol, "ulaw " + v + " -> " + u);
            assertTrue(Math.abs(a - v) <= tol, "alaw " + v + " -> " + a);
        }
        assertEquals((byte) 0xFF, G711Codec.linearToUlaw(0));
        assertEquals((byte) 0xD5, G711Codec.linearToAlaw(0));
        for (char k : "0123456789*#ABCD".toCharArray()) {
            short[] pcm = AudioSource.dtmfTones(String.valueOf(k), 60, 0, 6000);
            assertEquals(k, Goertzel.dtmf(pcm, 0, 205, 8000));
        }
        short[] single = new short[205];
        AudioSource.tone(697, 8000).next(single);
        assertEquals(0, Goertzel.dtmf(single, 0, 205, 8000), "a single tone is not a key");
    }

    @Test
    void lossAndDuplicatesAreCounted() throws Exception {
        try (RtpPeer b = RtpPeer.open(); java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            int[] seqs = {65533, 65534, 65535, 0, 2, 2, 3}; // wrap, one lost (1), one duplicate (2)
            for (int i = 0; i < seqs.length; i++) {
                byte[] pkt = ReceivedRtp.build(0, false, seqs[i], 160L * i, 42, new byte[160]);
                s.send(new java.net.DatagramPacket(pkt, pkt.length, b.localAddress()));
            }
            assertTrue(b.awaitPackets(seqs.length, WAIT));
            RtpStats st = b.stats();
            assertEquals(7, st.received());
            assertEquals(7, st.expected()); // 65533..3 extended
            assertEquals(1, st.lost());
            assertEquals(1, st.duplicates());
            assertEquals(2, st.discontinuities());
        }
    }
}
