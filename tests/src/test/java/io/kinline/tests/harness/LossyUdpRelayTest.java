package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.net.LossyUdpRelay;
import io.kinline.tests.net.LossyUdpRelay.Direction;
import io.kinline.tests.net.LossyUdpRelay.DropPolicy;
import io.kinline.tests.rtp.RtpPeer;
import io.kinline.tests.rtp.RtpStats;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LossyUdpRelayTest {

    @Test
    void patternDropsExactlyThoseIndexesAndRepliesFlowBack() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0));
             LossyUdpRelay relay = LossyUdpRelay.start((InetSocketAddress) server.getLocalSocketAddress(),
                     DropPolicy.pattern("..x"))) {
            server.setSoTimeout(100);
            client.setSoTimeout(100);
            for (int i = 0; i < 9; i++) {
                byte[] b = {(byte) i};
                client.send(new DatagramPacket(b, 1, relay.listenAddress()));
            }
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[16];
            // read until the relay has handled all 9 (bounded), then drain what is left
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline
                    && (relay.received(Direction.CLIENT_TO_SERVER) < 9 || got.length() < relay.forwarded(Direction.CLIENT_TO_SERVER))) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    server.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                got.append(buf[0]);
                server.send(new DatagramPacket(buf, 1, p.getSocketAddress())); // echo via the relay
            }
            assertEquals("013467", got.toString());
            assertEquals(9, relay.received(Direction.CLIENT_TO_SERVER));
            assertEquals(3, relay.dropped(Direction.CLIENT_TO_SERVER));
            assertEquals(6, relay.forwarded(Direction.CLIENT_TO_SERVER));
            // 6 echoes back, the pattern drops indexes 2 and 5 of that direction
            int back = 0;
            deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && (relay.received(Direction.SERVER_TO_CLIENT) < 6
                    || back < relay.forwarded(Direction.SERVER_TO_CLIENT))) {
                try {
                    client.receive(new DatagramPacket(buf, buf.length));
                    back++;
                } catch (SocketTimeoutException e) {
                    // keep polling until the relay has seen all echoes
                }
            }
            assertEquals(4, back);
            assertEquals(2, relay.dropped(Direction.SERVER_TO_CLIENT));
        }
    }

    @Test
    void seededRandomLossShowsUpInRtpStatistics() throws Exception {
        try (RtpPeer receiver = RtpPeer.open(); RtpPeer sender = RtpPeer.open();
             LossyUdpRelay relay = LossyUdpRelay.start(receiver.localAddress(),
                     DropPolicy.random(0.2, 42, Direction.CLIENT_TO_SERVER))) {
            sender.remote(relay.listenAddress(), 0, 101).startSending();
            assertTrue(receiver.awaitPackets(40, Duration.ofSeconds(15)));
            sender.stopSending();
            Thread.sleep(200);
            RtpStats s = receiver.stats();
            long dropped = relay.dropped(Direction.CLIENT_TO_SERVER);
            assertTrue(dropped > 0, "some packets dropped");
            // loss the receiver sees = drops between its first and last packet
            assertTrue(s.lost() > 0 && s.lost() <= dropped, s + " dropped=" + dropped);
            assertEquals(relay.forwarded(Direction.CLIENT_TO_SERVER), s.received());
        }
    }
}
