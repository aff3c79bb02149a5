package io.kinline.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.media.interop.NativePeers;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinline's SRTP against libsrtp2 (Debian's libsrtp2, driven by {@code src/test/c/srtp_peer.c}), both
 * ways, over a sequence-number wrap so the rollover counter is exercised, with SRTCP too.
 */
class LibSrtpInteropTest {

    private static final SrtpProfile P = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
    private static final long SSRC = 0xCAFEBABEL;

    @TempDir
    Path dir;

    private final SrtpMasterKey key = SrtpMasterKey.random(P, new SecureRandom());

    /** 400 G.711-sized packets from seq 65300: the ROC goes from 0 to 1 half way. */
    private static List<byte[]> rtpAcrossTheWrap() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            out.add(Packets.rtp((65300 + i) & 0xFFFF, 160L * i, SSRC, i % 3 == 0 ? 88 : 160, 11));
        }
        return out;
    }

    @Test
    void libsrtpUnprotectsWhatKinlineProtectsAndTheBytesAreIdentical() throws IOException {
        NativePeers.srtpPeer();
        List<byte[]> plain = rtpAcrossTheWrap();
        SrtpSender tx = new SrtpSender(key);
        List<String> lines = new ArrayList<>();
        List<byte[]> ours = new ArrayList<>();
        for (byte[] p : plain) {
            ByteBuf b = Packets.direct(p);
            assertEquals(SrtpResult.OK, tx.protectRtp(b));
            ours.add(Packets.bytes(b));
            lines.add("rtp " + Hex.of(Packets.bytes(b)));
            b.release();
        }
        for (int n = 0; n < 4; n++) {
            ByteBuf b = Packets.direct(Packets.rtcp(SSRC, n));
            assertEquals(SrtpResult.OK, tx.protectRtcp(b));
            lines.add("rtcp " + Hex.of(Packets.bytes(b)));
            b.release();
        }
        List<String> back = srtpPeer("unprotect", lines);
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(Hex.of(plain.get(i)), back.get(i), "RTP packet " + i);
        }
        for (int n = 0; n < 4; n++) {
            assertEquals(Hex.of(Packets.rtcp(SSRC, n)), back.get(plain.size() + n), "RTCP packet " + n);
        }
        // Same key, SSRC and index: the two implementations must put the very same bytes on the wire.
        List<String> theirs = srtpPeer("protect", plain.stream().map(p -> "rtp " + Hex.of(p)).toList());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(theirs.get(i), Hex.of(ours.get(i)), "wire bytes of packet " + i);
        }
    }

    @Test
    void kinlineUnprotectsWhatLibsrtpProtectsWithLossAndReorderingAcrossTheWrap() throws IOException {
        NativePeers.srtpPeer();
        List<byte[]> plain = rtpAcrossTheWrap();
        List<String> lines = new ArrayList<>(plain.stream().map(p -> "rtp " + Hex.of(p)).toList());
        for (int n = 0; n < 4; n++) {
            lines.add("rtcp " + Hex.of(Packets.rtcp(SSRC, n)));
        }
        List<String> wire = srtpPeer("protect", lines);
        // Deliver as Wi-Fi would: every 7th packet lost, neighbours swapped in blocks of 5.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            if (i % 7 != 3) {
                order.add(i);
            }
        }
        Random r = new Random(5);
        for (int i = 0; i + 5 <= order.size(); i += 5) {
            Collections.shuffle(order.subList(i, i + 5), r);
        }
        SrtpReceiver rx = new SrtpReceiver(key);
        for (int i : order) {
            ByteBuf b = Packets.heap(Hex.bytes(wire.get(i)));
            assertEquals(SrtpResult.OK, rx.unprotectRtp(b), "packet " + i);
            assertArrayEquals(plain.get(i), Packets.bytes(b));
            b.release();
        }
        for (int n = 0; n < 4; n++) {
            ByteBuf b = Packets.direct(Hex.bytes(wire.get(plain.size() + n)));
            assertEquals(SrtpResult.OK, rx.unprotectRtcp(b), "RTCP " + n);
            assertArrayEquals(Packets.rtcp(SSRC, n), Packets.bytes(b));
            b.release();
        }
        // libsrtp's packets replayed to us are refused, as ours replayed to libsrtp are (next test).
        ByteBuf again = Packets.heap(Hex.bytes(wire.get(order.get(order.size() - 1))));
        assertEquals(SrtpResult.REPLAYED, rx.unprotectRtp(again));
        again.release();
    }

    @Test
    void libsrtpRefusesKinlineReplaysAndForgeries() throws IOException {
        NativePeers.srtpPeer();
        SrtpSender tx = new SrtpSender(key);
        ByteBuf b = Packets.heap(Packets.rtp(10, 0, SSRC, 160, 12));
        tx.protectRtp(b);
        String good = Hex.of(Packets.bytes(b));
        b.release();
        byte[] forged = Hex.bytes(good);
        forged[20] ^= 0x40;
        List<String> out = srtpPeer("unprotect", List.of("rtp " + Hex.of(forged), "rtp " + good, "rtp " + good));
        assertEquals("ERR 7", out.get(0), "srtp_err_status_auth_fail");
        assertEquals(Hex.of(Packets.rtp(10, 0, SSRC, 160, 12)), out.get(1));
        assertEquals("ERR 9", out.get(2), "srtp_err_status_replay_fail");
    }

    private List<String> srtpPeer(String mode, List<String> lines) throws IOException {
        Path in = Files.write(dir.resolve(mode + ".in"), lines);
        NativePeers.Result r = NativePeers.run(
                List.of(NativePeers.srtpPeer().toString(), mode, Hex.of(key.concatenated())), in, 60);
        assertEquals(0, r.exit(), r.output());
        List<String> out = r.output().lines().toList();
        assertEquals(lines.size(), out.size(), r.output());
        return out;
    }
}
