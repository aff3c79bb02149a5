package io.kinline.media.dtls;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * A UDP socket on loopback for one handshake: what arrives goes to the handshake, what the handshake
 * sends goes to {@code peer} (or, for a server, back to whoever spoke last). Stands in for the leg's
 * Netty channel, which the integration will use.
 */
final class UdpPump implements DatagramSink, AutoCloseable {

    private final DatagramSocket socket;
    private volatile InetSocketAddress peer;
    private volatile DtlsSrtpHandshake handshake;
    private final Thread reader;

    UdpPump(InetSocketAddress peer) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.peer = peer;
        this.reader = Thread.ofPlatform().daemon().name("udp-pump").start(this::read);
    }

    int port() {
        return socket.getLocalPort();
    }

    void attach(DtlsSrtpHandshake h) {
        this.handshake = h;
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException closed) {
                return;
            }
            if (peer == null) {
                peer = (InetSocketAddress) p.getSocketAddress();
            }
            DtlsSrtpHandshake h = handshake;
            if (h != null) {
                h.onDatagram(Unpooled.wrappedBuffer(p.getData(), 0, p.getLength()));
            }
        }
    }

    @Override
    public void send(byte[] data, int offset, int length) {
        InetSocketAddress to = peer;
        if (to == null) {
            return;
        }
        try {
            socket.send(new DatagramPacket(data, offset, length, to));
        } catch (IOException e) {
            // as a lost datagram: the handshake retransmits
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
