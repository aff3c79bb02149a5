package io.kinline.media.rtp;

import io.kinline.media.codec.Codec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * An independent RTP peer for tests: plain {@link DatagramSocket}s and its own packet building and
 * parsing (deliberately not {@link RtpPacket}), so that the engine is checked against a second
 * implementation of RFC 3550 rather than against itself.
 */
public final class RtpTestPeer implements AutoCloseable {

    /** A received datagram, parsed by this peer. */
    public record Rx(int version, boolean marker, int pt, int seq, long ts, long ssrc, byte[] payload,
            long arrivalNanos, InetSocketAddress from) {

        public short[] decode(Codec c) {
            short[] out = new short[payload.length];
            c.decode(payload, 0, out, 0, payload.length);
            return out;
        }
    }

    private final DatagramSocket socket;
    private final DatagramSocket rtcpSocket;
    private final List<Rx> received = new CopyOnWriteArrayList<>();
    private final List<byte[]> rtcpReceived = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Thread rtcpReader;
    private volatile boolean closed;

    public final long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    public int seq = ThreadLocalRandom.current().nextInt(0, 60000);
    public long ts = ThreadLocalRandom.current().nextLong(0, 1L << 31);

    public RtpTestPeer() throws SocketException {
        // Even RTP port with RTCP on the next one, like a real phone.
        DatagramSocket s = null;
        DatagramSocket r = null;
        for (int i = 0; i < 50 && r == null; i++) {
            s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            int p = s.getLocalPort();
            if ((p & 1) == 0 && p < 65535) {
                try {
                    r = new DatagramSocket(new InetSocketAddress("127.0.0.1", p + 1));
                    break;
                } catch (SocketException e) {
                    // taken, try again
                }
            }
            s.close();
            s = null;
        }
        if (s == null || r == null) {
            throw new SocketException("no even port pair for the test peer");
        }
        socket = s;
        rtcpSocket = r;
        reader = Thread.ofPlatform().daemon().name("peer-rtp-" + port()).start(this::readLoop);
        rtcpReader = Thread.ofPlatform().daemon().name("peer-rtcp-" + port()).start(this::rtcpLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /** An SDP offer from this peer. */
    public String offer(String formatsLine, String extraAttrs) {
        return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + "m=audio " + port()
                + " RTP/AVP " + formatsLine + "\r\n" + extraAttrs;
    }

    /** PCMU + PCMA + telephone-event/101, sendrecv. */
    public String offerG711() {
        return offer("0 8 101", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n");
    }

    /** Builds a datagram with this peer's own RFC 3550 header writer. */
    public static byte[] build(boolean marker, int pt, int seq, long ts, long ssrc, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, 12, payload.length);
        return b;
    }

    public void sendRaw(byte[] data, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** Sends one 20 ms audio frame and advances seq/ts. */
    public void sendAudio(Codec codec, short[] pcm, InetSocketAddress to) throws IOException {
        byte[] payload = new byte[pcm.length];
        codec.encode(pcm, 0, payload, 0, pcm.length);
        sendRaw(build(false, codec.staticPayloadType(), seq, ts, ssrc, payload), to);
        seq = (seq + 1) & 0xFFFF;
        ts = (ts + pcm.length) & 0xFFFFFFFFL;
    }

    /** Skips a frame (a lost packet): advances seq and ts without sending. */
    public void skip(int samples) {
        seq = (seq + 1) & 0xFFFF;
        ts = (ts + samples) & 0xFFFFFFFFL;
    }

    /**
     * Sends one RFC 4733 event the way a phone does: start (marker), updates 20 ms apart, three end
     * packets; all with the same timestamp. Advances ts by the duration afterwards.
     */
    public void sendEvent(int pt, int event, int durationMillis, InetSocketAddress to) throws IOException, InterruptedException {
        sendEvent(pt, event, durationMillis, to, () -> Thread.sleep(20));
    }

    /** What happens between two event packets: real time passing, or a test's clock advancing. */
    @FunctionalInterface
    public interface Pause {
        void next() throws InterruptedException;
    }

    /** {@link #sendEvent(int, int, int, InetSocketAddress)}, with {@code pause} between the updates. */
    public void sendEvent(int pt, int event, int durationMillis, InetSocketAddress to, Pause pause)
            throws IOException, InterruptedException {
        long start = ts;
        int total = durationMillis * 8;
        for (int d = 160; d < total; d += 160) {
            sendRaw(build(d == 160, pt, seq, start, ssrc, event(event, false, d)), to);
            seq = (seq + 1) & 0xFFFF;
            pause.next();
        }
        for (int i = 0; i < 3; i++) {
            sendRaw(build(false, pt, seq, start, ssrc, event(event, true, total)), to);
            seq = (seq + 1) & 0xFFFF;
        }
        ts = (ts + total) & 0xFFFFFFFFL;
    }

    static byte[] event(int event, boolean end, int duration) {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    public void sendRtcpRaw(byte[] data, InetSocketAddress to) throws IOException {
        rtcpSocket.send(new DatagramPacket(data, data.length, to));
    }

    public List<Rx> received() {
        return received;
    }

    public List<Rx> received(Predicate<Rx> filter) {
        List<Rx> out = new ArrayList<>();
        for (Rx r : received) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    public List<byte[]> rtcpReceived() {
        return rtcpReceived;
    }

    public void clear() {
        received.clear();
    }

    private void readLoop() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            long now = System.nanoTime();
            byte[] d = p.getData();
            int len = p.getLength();
            if (len < 12) {
                continue;
            }
            int cc = d[0] & 0x0F;
            int hdr = 12 + 4 * cc;
            if ((d[0] & 0x10) != 0) {
                hdr += 4 + 4 * (((d[hdr + 2] & 0xFF) << 8) | (d[hdr + 3] & 0xFF));
            }
            int end = len;
            if ((d[0] & 0x20) != 0) {
                end -= d[len - 1] & 0xFF;
            }
            byte[] payload = java.util.Arrays.copyOfRange(d, hdr, end);
            int seqv = ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
            long tsv = ((d[4] & 0xFFL) << 24) | ((d[5] & 0xFFL) << 16) | ((d[6] & 0xFFL) << 8) | (d[7] & 0xFFL);
            long ss = ((d[8] & 0xFFL) << 24) | ((d[9] & 0xFFL) << 16) | ((d[10] & 0xFFL) << 8) | (d[11] & 0xFFL);
            received.add(new Rx((d[0] & 0xFF) >>> 6, (d[1] & 0x80) != 0, d[1] & 0x7F, seqv, tsv, ss, payload, now,
                    (InetSocketAddress) p.getSocketAddress()));
        }
    }

    private void rtcpLoop() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                rtcpSocket.receive(p);
            } catch (IOException e) {
                return;
            }
            rtcpReceived.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        rtcpSocket.close();
    }
}
