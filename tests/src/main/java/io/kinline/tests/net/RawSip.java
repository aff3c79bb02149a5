package io.kinline.tests.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends raw bytes as SIP over UDP or TCP and collects whatever comes back, for malformed-message
 * and robustness tests. No parsing beyond TCP framing (by Content-Length).
 *
 * <pre>{@code
 * try (RawSip raw = RawSip.udp()) {
 *     raw.send(switchAddr, "INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + raw.localPort() + ...);
 *     String resp = raw.await(Duration.ofSeconds(2));
 * }
 * }</pre>
 */
public final class RawSip implements AutoCloseable {

    private final DatagramSocket udp;
    private final Socket tcp;
    private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private volatile boolean closed;

    private RawSip(DatagramSocket udp, Socket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        this.reader = Thread.ofPlatform().daemon().name("raw-sip-" + localPort())
                .start(udp != null ? this::udpLoop : this::tcpLoop);
    }

    /** A UDP socket on 127.0.0.1 (ephemeral port). */
    public static RawSip udp() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(100);
        return new RawSip(s, null);
    }

    /** A TCP connection from 127.0.0.1 to {@code target}. */
    public static RawSip tcp(InetSocketAddress target) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.connect(target, 3000);
        s.setSoTimeout(100);
        return new RawSip(null, s);
    }

    /** One-shot: send over UDP and collect every datagram that arrives within {@code wait}. */
    public static List<String> exchangeUdp(InetSocketAddress target, byte[] message, Duration wait) throws IOException {
        try (RawSip r = udp()) {
            r.send(target, message);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            String m;
            while ((m = r.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null) {
                out.add(m);
            }
            return out;
        }
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    /** "SIP/2.0/UDP 127.0.0.1:port" style sent-by for building Via headers. */
    public String sentBy() {
        return "127.0.0.1:" + localPort();
    }

    public String transport() {
        return udp != null ? "UDP" : "TCP";
    }

    public void send(InetSocketAddress target, String message) throws IOException {
        send(target, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes (for TCP the target is ignored: the connection's peer is used). */
    public void send(InetSocketAddress target, byte[] message) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(message, message.length, target));
        } else {
            OutputStream o = tcp.getOutputStream();
            o.write(message);
            o.flush();
        }
    }

    /** Takes the next message received (datagram, or framed TCP message); null on timeout. */
    public String await(Duration timeout) {
        try {
            return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Takes messages until one whose status line starts with "SIP/2.0 " + a code ≥ {@code minCode}. */
    public String awaitStatusAtLeast(int minCode, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String m;
        while ((m = await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null) {
            if (status(m) >= minCode) {
                return m;
            }
        }
        return null;
    }

    /** Every message received so far. */
    public List<String> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Whether the TCP peer closed the connection (always false for UDP). */
    public boolean remoteClosed() {
        return tcpEof;
    }

    /** Status code of a response text, or -1. */
    public static int status(String message) {
        if (message != null && message.startsWith("SIP/2.0 ") && message.length() >= 11) {
            try {
                return Integer.parseInt(message.substring(8, 11));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private volatile boolean tcpEof;

    private void udpLoop() {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setLength(buf.length);
                udp.receive(p);
                deliver(new String(buf, 0, p.getLength(), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                // poll closed flag
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tcpLoop() {
        byte[] buf = new byte[8192];
        java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();
        try {
            InputStream in = tcp.getInputStream();
            while (!closed) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (n < 0) {
                    tcpEof = true;
                    return;
                }
                acc.write(buf, 0, n);
                byte[] data = acc.toByteArray();
                int consumed = frame(data);
                if (consumed > 0) {
                    acc.reset();
                    acc.write(data, consumed, data.length - consumed);
                }
            }
        } catch (IOException e) {
            tcpEof = true;
        }
    }

    /** Extracts every complete message at the head of {@code data}; returns bytes consumed. */
    private int frame(byte[] data) {
        int pos = 0;
        while (true) {
            // skip keep-alive CRLFs
            while (pos < data.length && (data[pos] == '\r' || data[pos] == '\n')) {
                pos++;
            }
            String s = new String(data, pos, data.length - pos, StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            if (end < 0) {
                return pos;
            }
            int len = 0;
            for (String line : s.substring(0, end).split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0) {
                    String n = line.substring(0, c).trim();
                    if (n.equalsIgnoreCase("Content-Length") || n.equals("l")) {
                        len = Integer.parseInt(line.substring(c + 1).trim());
                    }
                }
            }
            int total = end + 4 + len;
            if (s.length() < total) {
                return pos;
            }
            deliver(new String(data, pos, total, StandardCharsets.UTF_8));
            pos += total;
        }
    }

    private void deliver(String m) {
        all.add(m);
        inbox.add(m);
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (udp != null) {
                udp.close();
            } else {
                tcp.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
