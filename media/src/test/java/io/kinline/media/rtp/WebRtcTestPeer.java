package io.kinline.media.rtp;

import io.kinline.media.dtls.DtlsCertificate;
import io.kinline.media.dtls.DtlsRole;
import io.kinline.media.dtls.DtlsSrtpHandshake;
import io.kinline.media.dtls.DtlsSrtpKeys;
import io.kinline.media.dtls.Fingerprint;
import io.kinline.media.ice.IceCredentials;
import io.kinline.media.ice.PacketKind;
import io.kinline.media.ice.Stun;
import io.kinline.media.ice.StunEncoder;
import io.kinline.media.ice.StunMessage;
import io.kinline.media.opus.OpusCodec;
import io.kinline.media.sdp.SecureMediaAttributes;
import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpResult;
import io.kinline.media.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A browser stand-in built from the same blocks as the switch, but on the other side of each: an ICE
 * controlling agent that sends one nominating check, a DTLS client, SRTP, Opus (or PCMU) at 48 kHz
 * RTP clock. Plain blocking sockets on its own threads, nothing shared with the engine.
 */
final class WebRtcTestPeer implements AutoCloseable {

    record Received(int pt, int seq, long ts, byte[] payload) {
    }

    final IceCredentials ice = IceCredentials.random(new SecureRandom());
    final DtlsCertificate certificate = DtlsCertificate.generate();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger stunSuccesses = new AtomicInteger();
    private final DatagramSocket socket;
    private final Thread reader;
    private volatile InetSocketAddress switchAddress;
    private volatile DtlsSrtpHandshake dtls;
    private volatile SrtpReceiver rx;
    private SrtpSender tx;
    private int seq = 1000;
    private long ts = 48_000;
    private final long ssrc = 0x12345678L;

    WebRtcTestPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = Thread.ofPlatform().daemon().name("webrtc-peer").start(this::read);
    }

    /** The fingerprint the offer carries: ours, unless a test swaps in another certificate's (a man in the middle). */
    String offeredFingerprint;

    /** A browser-like offer: Opus 111 and PCMU 0 (in {@code formats} order), both telephone-events, BUNDLE. */
    String offer(String formats, boolean withFingerprint, String setup) {
        StringBuilder sb = new StringBuilder();
        sb.append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        sb.append("a=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n");
        sb.append("m=audio ").append(socket.getLocalPort()).append(" UDP/TLS/RTP/SAVPF ").append(formats)
                .append(" 110 126\r\n");
        sb.append("c=IN IP4 127.0.0.1\r\n");
        sb.append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
        sb.append("a=candidate:1 1 udp 2113937151 127.0.0.1 ").append(socket.getLocalPort()).append(" typ host\r\n");
        sb.append(ice.sdpLines());
        sb.append("a=ice-options:trickle\r\n");
        if (withFingerprint) {
            sb.append("a=fingerprint:").append(offeredFingerprint != null ? offeredFingerprint
                    : certificate.fingerprint().sdpValue()).append("\r\n");
        }
        sb.append("a=setup:").append(setup).append("\r\n");
        sb.append("a=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n");
        sb.append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
        sb.append("a=rtpmap:0 PCMU/8000\r\n");
        sb.append("a=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\n");
        return sb.toString();
    }

    /** ICE check with USE-CANDIDATE to the answer's candidate, then the DTLS handshake (we are active). */
    DtlsSrtpKeys connect(String answer) throws Exception {
        SecureMediaAttributes a = SecureMediaAttributes.parse(answer);
        String[] c = a.candidates().get(0).split(" ");
        switchAddress = new InetSocketAddress(c[4], Integer.parseInt(c[5]));
        byte[] tid = new byte[12];
        new SecureRandom().nextBytes(tid);
        byte[] check = new StunEncoder(Stun.BINDING_REQUEST, tid).username(a.iceUfrag() + ":" + ice.ufrag())
                .priority(1845501695L).tieBreaker(Stun.ICE_CONTROLLING, 42).useCandidate()
                .encode(new IceCredentials(a.iceUfrag(), a.icePwd()).key(), true);
        for (int i = 0; i < 250 && stunSuccesses.get() == 0; i++) { // up to 5 s: the machine may be busy
            send(check);
            Thread.sleep(20);
        }
        if (stunSuccesses.get() == 0) {
            throw new IllegalStateException("no STUN success response");
        }
        DtlsSrtpHandshake h = new DtlsSrtpHandshake(DtlsRole.CLIENT, certificate,
                List.of(Fingerprint.parse(a.fingerprints().get(0))), this::send, Duration.ofSeconds(10));
        dtls = h;
        h.start("peer-dtls");
        DtlsSrtpKeys keys = h.keys().get(12, TimeUnit.SECONDS);
        tx = keys.sender();
        rx = keys.receiver();
        return keys;
    }

    /** RTP packets sent so far. */
    int sent() {
        return seq - 1000;
    }

    /** Sends one check (consent freshness) again. */
    void sendRaw(byte[] data) {
        send(data, 0, data.length);
    }

    /** Sends {@code frames} of 20 ms: Opus (pt 111, 960 per frame) or PCMU (pt 0, 160), paced in real time. */
    void sendTone(int hz, int frames, boolean asOpus) throws Exception {
        byte[][] tone = asOpus ? opusTone(hz) : null;
        long next = System.nanoTime();
        for (int f = 0; f < frames; f++) {
            if (asOpus) {
                byte[] p = tone[(toneFrame++) % tone.length];
                sendRtp(111, p, p.length, 960);
            } else {
                byte[] payload = new byte[160];
                io.kinline.media.codec.Codec.PCMU.encode(TestPrompts.sine(hz, 20, 8000), 0, payload, 0, 160);
                sendRtp(0, payload, 160, 160);
            }
            next += 20_000_000L; // absolute deadlines: 50 packets a second however long a send took
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    /**
     * One second of a tone as a browser's Opus (SILK speech; the switch's own encoder sends CELT), encoded once per frequency and replayed: a
     * load generator that encoded every frame for 100 tablets would spend as much CPU as the switch it
     * measures. A 1 s loop of a whole number of periods joins without a click for the usual test tones.
     */
    private static byte[][] opusTone(int hz) {
        return OPUS_TONES.computeIfAbsent(hz, h -> {
            OpusCodec enc = new OpusCodec(OpusCodec.Resampling.OPUS_INTERNAL, OpusCodec.Encoding.SPEECH);
            byte[][] frames = new byte[50][];
            short[] pcm = new short[160];
            for (int f = 0; f < frames.length; f++) {
                for (int i = 0; i < 160; i++) {
                    pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * h * (f * 160 + i) / 8000.0));
                }
                byte[] out = new byte[400];
                frames[f] = java.util.Arrays.copyOf(out, enc.encode(pcm, 0, 160, out, 0, out.length));
            }
            return frames;
        });
    }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, byte[][]> OPUS_TONES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private int toneFrame;

    /**
     * From now on only count what arrives ({@link #receivedCount()}), keeping no payloads: for load runs,
     * where a list growing by copy-on-write for every packet would be the generator's main cost.
     */
    void countOnly() {
        countOnly = true;
    }

    /** RTP packets received and unprotected. */
    int receivedCount() {
        return receivedCount.get();
    }

    private volatile boolean countOnly;
    private final AtomicInteger receivedCount = new AtomicInteger();

    /** An RFC 4733 digit, at 48 kHz (pt 110) or 8 kHz (pt 126): 5 updates and 3 ends. */
    void sendDigit(int event, boolean at48k) throws Exception {
        int unit = at48k ? 960 : 160;
        int pt = at48k ? 110 : 126;
        long start = ts;
        for (int i = 1; i <= 8; i++) {
            boolean end = i > 5;
            int duration = Math.min(i, 5) * unit;
            byte[] p = {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
            seq++;
            ByteBuf b = Unpooled.buffer(40);
            RtpPacket.writeHeader(b, i == 1, pt, seq & 0xFFFF, start, ssrc);
            b.writeBytes(p);
            protectAndSend(b);
            Thread.sleep(20);
        }
        ts += 6 * unit;
    }

    private void sendRtp(int pt, byte[] payload, int n, int tsStep) {
        seq++;
        ts += tsStep;
        ByteBuf b = Unpooled.buffer(RtpPacket.HEADER + n + 14);
        RtpPacket.writeHeader(b, false, pt, seq & 0xFFFF, ts, ssrc);
        b.writeBytes(payload, 0, n);
        protectAndSend(b);
    }

    private void protectAndSend(ByteBuf b) {
        if (tx.protectRtp(b) != SrtpResult.OK) {
            throw new IllegalStateException("protect failed");
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        send(out);
    }

    /** Decoded audio (8 kHz) of everything received with payload type 111 (Opus) or 0 (PCMU), in order. */
    short[] receivedAudio() {
        OpusCodec dec = new OpusCodec();
        short[] all = new short[received.size() * 960];
        int n = 0;
        short[] frame = new short[960];
        for (Received r : received) {
            if (r.pt() == 111) {
                int s = dec.decode(r.payload(), 0, r.payload().length, frame, 0);
                if (s > 0) {
                    System.arraycopy(frame, 0, all, n, s);
                    n += s;
                }
            } else if (r.pt() == 0) {
                io.kinline.media.codec.Codec.PCMU.decode(r.payload(), 0, all, n, r.payload().length);
                n += r.payload().length;
            }
        }
        return java.util.Arrays.copyOf(all, n);
    }

    private void send(byte[] data) {
        send(data, 0, data.length);
    }

    private void send(byte[] data, int off, int len) {
        try {
            socket.send(new DatagramPacket(data, off, len, switchAddress));
        } catch (IOException e) {
            // as a lost datagram
        }
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
            ByteBuf b = Unpooled.copiedBuffer(p.getData(), 0, p.getLength());
            switch (PacketKind.of(b)) {
                case STUN -> {
                    try {
                        if (StunMessage.decode(b).type() == Stun.BINDING_SUCCESS) {
                            stunSuccesses.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // not ours to judge here
                    }
                }
                case DTLS -> {
                    DtlsSrtpHandshake h = dtls;
                    if (h != null) {
                        h.onDatagram(b);
                    }
                }
                case RTP -> {
                    SrtpReceiver r = rx;
                    RtpPacket view = new RtpPacket();
                    if (r != null && r.unprotectRtp(b) == SrtpResult.OK && view.wrap(b)) {
                        receivedCount.incrementAndGet();
                        if (countOnly) {
                            continue;
                        }
                        byte[] payload = new byte[view.payloadLength()];
                        b.getBytes(view.payloadIndex(), payload);
                        received.add(new Received(view.payloadType(), view.sequenceNumber(), view.timestamp(), payload));
                    }
                }
                default -> {
                }
            }
        }
    }

    @Override
    public void close() {
        DtlsSrtpHandshake h = dtls;
        if (h != null) {
            h.close();
        }
        socket.close();
    }
}
