package io.kinline.tests.rtp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An independent G.711 RTP endpoint for wire-level tests: a plain {@link DatagramSocket} on
 * 127.0.0.1, its own SDP strings, its own μ-law/A-law coder, a 20 ms sender thread and a
 * receiver thread that keeps everything it gets.
 *
 * <p>Sending: a background {@link AudioSource} (silence by default) is sent every 20 ms once
 * {@link #startSending()} is called; {@link #sendDigits} and {@link #sendInbandDigits} queue work
 * that pre-empts the background. RFC 4733 events: first packet with the marker bit, an update every
 * 20 ms with growing duration, three end packets with the final duration, each digit with the RTP
 * timestamp current when it starts (so a new digit always has a new timestamp). Audio is
 * suppressed while an event is being sent, as gateways do.
 *
 * <p>Receiving: every packet is kept ({@link #packets()}); G.711 payloads are decoded into a PCM
 * timeline with arrival times; telephone-events are grouped by (ssrc, timestamp) into
 * {@link ReceivedDigit}s. Times are milliseconds since the peer was opened ({@link #elapsedMs()}).
 */
public final class RtpPeer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtpPeer.class);
    public static final int FRAME_SAMPLES = 160;
    public static final int DEFAULT_TELEPHONE_EVENT = 101;

    private final DatagramSocket socket;
    private final String host;
    private final long openedNanos = System.nanoTime();
    private final Object lock = new Object();
    private final Thread receiver;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);

    // negotiated / configured
    private volatile InetSocketAddress remote;
    private volatile int payloadType = G711Codec.PCMU;
    private volatile int telephoneEvent = DEFAULT_TELEPHONE_EVENT;
    private volatile boolean latchRemote = true;
    private volatile List<Integer> offeredPts = List.of(G711Codec.PCMU, G711Codec.PCMA);
    private long sdpVersion = 1;

    // sender state (sender thread only, except the queue and the source reference)
    private volatile AudioSource background = AudioSource.silence();
    private final ConcurrentLinkedQueue<Segment> segments = new ConcurrentLinkedQueue<>();
    private volatile Thread sender;
    private volatile boolean sending;
    private int seq = ThreadLocalRandom.current().nextInt(0, 0x10000);
    private long timestamp = ThreadLocalRandom.current().nextLong(0, 0x100000000L);
    private volatile long packetsSent;
    /** Packets still to be lost on the way out (a network hole): sequence and timestamp advance, nothing is sent. */
    private final java.util.concurrent.atomic.AtomicInteger toLose = new java.util.concurrent.atomic.AtomicInteger();

    // receiver state, guarded by lock
    private final List<ReceivedRtp> packets = new ArrayList<>();
    private final List<Frame> frames = new ArrayList<>();
    private final Map<String, MutableDigit> digits = new LinkedHashMap<>();
    private final StringBuilder digitString = new StringBuilder();
    private volatile boolean closed;

    private record Frame(long arrivalMs, short[] pcm) {
    }

    private static final class MutableDigit {
        int event;
        long ssrc;
        long ts;
        long first;
        int duration;
        boolean ended;
        int packets;
        boolean marker;
    }

    private RtpPeer(DatagramSocket socket, String host) {
        this.socket = socket;
        this.host = host;
        this.receiver = Thread.ofPlatform().daemon().name("rtp-peer-rx-" + socket.getLocalPort())
                .start(this::receiveLoop);
    }

    /** Opens a peer on 127.0.0.1 with an ephemeral port. */
    public static RtpPeer open() throws SocketException {
        return open(0);
    }

    /** Opens a peer on 127.0.0.1:{@code port} (0 = ephemeral). */
    public static RtpPeer open(int port) throws SocketException {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout(100);
        s.setReceiveBufferSize(1 << 20);
        return new RtpPeer(s, "127.0.0.1");
    }

    public int port() {
        return socket.getLocalPort();
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(host, port());
    }

    public long ssrc() {
        return ssrc;
    }

    /** Milliseconds since this peer was opened: the time base of everything received. */
    public long elapsedMs() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    // ------------------------------------------------------------------ SDP

    /** Which audio payload types (0 and/or 8) to offer, in order of preference. */
    public RtpPeer offerCodecs(int... pts) {
        List<Integer> l = new ArrayList<>();
        for (int pt : pts) {
            l.add(pt);
        }
        offeredPts = List.copyOf(l);
        return this;
    }

    /** SDP offer: offered G.711 codecs + telephone-event (101), sendrecv, this peer's address. */
    public String offer() {
        synchronized (lock) {
            return Sdp.build(host, port(), offeredPts, telephoneEvent, "sendrecv", sdpVersion++);
        }
    }

    /** Answers a remote offer: picks the first offered G.711 codec we support, sets the remote. */
    public String answer(String offerSdp) {
        Sdp offer = Sdp.parse(offerSdp);
        int chosen = -1;
        for (int f : offer.formats()) {
            if ((f == 0 || f == 8) && offeredPts.contains(f)) {
                chosen = f;
                break;
            }
        }
        if (chosen < 0) {
            throw new IllegalArgumentException("no common G.711 codec in offer: " + offer.formats());
        }
        int te = offer.payloadType("telephone-event");
        payloadType = chosen;
        telephoneEvent = te >= 0 ? te : DEFAULT_TELEPHONE_EVENT;
        remote = offer.socketAddress();
        synchronized (lock) {
            return Sdp.build(host, port(), List.of(chosen), te, "sendrecv", sdpVersion++);
        }
    }

    /** Applies the remote answer to our offer: first listed G.711 codec, telephone-event PT, remote. */
    public void acceptAnswer(String answerSdp) {
        Sdp a = Sdp.parse(answerSdp);
        for (int f : a.formats()) {
            if (f == 0 || f == 8) {
                payloadType = f;
                break;
            }
        }
        int te = a.payloadType("telephone-event");
        if (te >= 0) {
            telephoneEvent = te;
        }
        remote = a.socketAddress();
    }

    /** Sets the remote explicitly (no SDP). */
    public RtpPeer remote(InetSocketAddress address, int audioPayloadType, int telephoneEventPt) {
        this.remote = address;
        this.payloadType = audioPayloadType;
        this.telephoneEvent = telephoneEventPt;
        return this;
    }

    /** If true (default) and no remote is known, the source of the first packet becomes the remote. */
    public RtpPeer latchRemote(boolean latch) {
        this.latchRemote = latch;
        return this;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public int payloadType() {
        return payloadType;
    }

    public int telephoneEventPayloadType() {
        return telephoneEvent;
    }

    // ------------------------------------------------------------------ sending

    /** Replaces the background audio sent when nothing else is queued. */
    public RtpPeer play(AudioSource source) {
        this.background = source;
        return this;
    }

    /** Starts the 20 ms sender (idempotent). Needs a remote. */
    public synchronized RtpPeer startSending() {
        if (sender == null) {
            sending = true;
            sender = Thread.ofPlatform().daemon().name("rtp-peer-tx-" + port()).start(this::sendLoop);
        }
        return this;
    }

    /** Stops the sender; queued work is dropped. */
    public synchronized void stopSending() {
        sending = false;
        Thread t = sender;
        sender = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Segment s;
        while ((s = segments.poll()) != null) {
            s.done.complete(null);
        }
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** Queues RFC 4733 digits ({@code durationMs} each, {@code gapMs} of audio between). */
    public CompletableFuture<Void> sendDigits(String keys, int durationMs, int gapMs) {
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (char k : keys.toCharArray()) {
            int ev = "0123456789*#ABCD".indexOf(Character.toUpperCase(k));
            if (ev < 0) {
                throw new IllegalArgumentException("not a DTMF key: " + k);
            }
            Segment e = Segment.event(ev, Math.max(1, durationMs / 20));
            segments.add(e);
            last = e.done;
            if (gapMs > 0) {
                Segment g = Segment.pcm(new short[Math.max(1, gapMs / 20) * FRAME_SAMPLES], true);
                segments.add(g);
                last = g.done;
            }
        }
        startSending();
        return last;
    }

    /** Default RFC 4733 digits: 120 ms each, 80 ms apart. */
    public CompletableFuture<Void> sendDigits(String keys) {
        return sendDigits(keys, 120, 80);
    }

    /** Queues in-band DTMF tones in the audio codec ({@code toneMs} each, {@code gapMs} silence). */
    public CompletableFuture<Void> sendInbandDigits(String keys, int toneMs, int gapMs) {
        short[] pcm = AudioSource.dtmfTones(keys, toneMs, gapMs, 7000);
        int frames = (pcm.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
        Segment s = Segment.pcm(java.util.Arrays.copyOf(pcm, frames * FRAME_SAMPLES), false);
        segments.add(s);
        startSending();
        return s.done;
    }

    /** Queues raw PCM (played once, pre-empting the background). */
    public CompletableFuture<Void> sendPcm(short[] pcm) {
        int frames = (pcm.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
        Segment s = Segment.pcm(java.util.Arrays.copyOf(pcm, frames * FRAME_SAMPLES), false);
        segments.add(s);
        startSending();
        return s.done;
    }

    private static final class Segment {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final int event; // -1 for PCM
        final int ticks; // event: ticks before the end packets
        final short[] pcm;
        final boolean background; // PCM segment that just means "let background run"
        int pos;
        long eventTs;

        private Segment(int event, int ticks, short[] pcm, boolean background) {
            this.event = event;
            this.ticks = ticks;
            this.pcm = pcm;
            this.background = background;
        }

        static Segment event(int ev, int ticks) {
            return new Segment(ev, ticks, null, false);
        }

        static Segment pcm(short[] pcm, boolean background) {
            return new Segment(-1, 0, pcm, background);
        }
    }

    private void sendLoop() {
        short[] frame = new short[FRAME_SAMPLES];
        long next = System.nanoTime();
        Segment current = null;
        while (sending && !closed) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted() || !sending) {
                    break;
                }
                continue;
            }
            next += 20_000_000L;
            InetSocketAddress to = remote;
            if (current == null) {
                current = segments.poll();
            }
            try {
                if (current != null && current.event >= 0) {
                    // RFC 4733: tick k (0-based) of an event sends duration (k+1)*160; the
                    // last three ticks repeat the final duration with the E bit.
                    int k = current.pos++;
                    if (k == 0) {
                        current.eventTs = timestamp;
                    }
                    boolean end = k >= current.ticks - 1;
                    int duration = Math.min(current.ticks, k + 1) * FRAME_SAMPLES;
                    byte[] payload = {(byte) current.event, (byte) ((end ? 0x80 : 0) | 10),
                            (byte) (duration >>> 8), (byte) duration};
                    send(to, ReceivedRtp.build(telephoneEvent, k == 0, seq, current.eventTs, ssrc, payload));
                    if (k >= current.ticks + 1) { // third end packet sent
                        current.done.complete(null);
                        current = null;
                    }
                } else {
                    if (current != null && !current.background) {
                        System.arraycopy(current.pcm, current.pos, frame, 0, FRAME_SAMPLES);
                    } else {
                        background.next(frame);
                    }
                    if (current != null) {
                        current.pos += FRAME_SAMPLES;
                        if (current.pos >= current.pcm.length) {
                            current.done.complete(null);
                            current = null;
                        }
                    }
                    int pt = payloadType;
                    send(to, ReceivedRtp.build(pt, false, seq, timestamp, ssrc,
                            G711Codec.encode(pt, frame, 0, FRAME_SAMPLES)));
                }
            } catch (IOException e) {
                if (!closed) {
                    log.debug("rtp send failed on {}", port(), e);
                }
            }
            seq = (seq + 1) & 0xFFFF;
            timestamp = (timestamp + FRAME_SAMPLES) & 0xFFFFFFFFL;
        }
        if (current != null) {
            current.done.complete(null);
        }
    }

    /**
     * Loses the next {@code packets} packets, as a network would: the clock, sequence numbers and timestamps run on,
     * nothing reaches the peer (a hole of {@code packets} x 20 ms).
     */
    public void lose(int packets) {
        toLose.addAndGet(packets);
    }

    private void send(InetSocketAddress to, byte[] packet) throws IOException {
        if (to == null) {
            return; // no remote yet: the clock still runs
        }
        if (toLose.get() > 0 && toLose.getAndDecrement() > 0) {
            return;
        }
        socket.send(new DatagramPacket(packet, packet.length, to));
        packetsSent++;
    }

    /** Sends one raw datagram to the remote (for malformed/odd packet tests). */
    public void sendRaw(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, remote));
    }

    // ------------------------------------------------------------------ receiving

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    log.debug("rtp receive failed on {}", port(), e);
                }
                break;
            }
            long now = elapsedMs();
            InetSocketAddress src = (InetSocketAddress) p.getSocketAddress();
            ReceivedRtp pkt = ReceivedRtp.parse(now, src, buf, p.getLength());
            if (pkt == null) {
                continue;
            }
            if (remote == null && latchRemote) {
                remote = src;
            }
            synchronized (lock) {
                packets.add(pkt);
                if (pkt.payloadType() == telephoneEvent && pkt.payload().length >= 4) {
                    onEvent(pkt);
                } else if (pkt.payloadType() == 0 || pkt.payloadType() == 8) {
                    frames.add(new Frame(now, G711Codec.decode(pkt.payloadType(), pkt.payload(), 0,
                            pkt.payload().length)));
                }
                lock.notifyAll();
            }
        }
    }

    private void onEvent(ReceivedRtp pkt) {
        byte[] b = pkt.payload();
        String key = pkt.ssrc() + "/" + pkt.timestamp();
        MutableDigit d = digits.get(key);
        if (d == null) {
            d = new MutableDigit();
            d.event = b[0] & 0xFF;
            d.ssrc = pkt.ssrc();
            d.ts = pkt.timestamp();
            d.first = pkt.arrivalMs();
            d.marker = pkt.marker();
            digits.put(key, d);
            if (d.event < 16) {
                digitString.append("0123456789*#ABCD".charAt(d.event));
            }
        }
        d.packets++;
        d.duration = Math.max(d.duration, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
        d.ended |= (b[1] & 0x80) != 0;
    }

    /** All packets received so far (a copy). */
    public List<ReceivedRtp> packets() {
        synchronized (lock) {
            return List.copyOf(packets);
        }
    }

    /** Received telephone-event keys in order of arrival, one per event (retransmissions folded). */
    public String receivedDigits() {
        synchronized (lock) {
            return digitString.toString();
        }
    }

    public List<ReceivedDigit> receivedEvents() {
        synchronized (lock) {
            List<ReceivedDigit> l = new ArrayList<>();
            for (MutableDigit d : digits.values()) {
                char c = d.event < 16 ? "0123456789*#ABCD".charAt(d.event) : '?';
                l.add(new ReceivedDigit(c, d.event, d.ssrc, d.ts, d.first, d.duration, d.ended, d.packets, d.marker));
            }
            return l;
        }
    }

    /** Waits until the received digit string contains {@code expected}; returns whether it did. */
    public boolean awaitDigits(String expected, Duration timeout) {
        return await(() -> digitString.indexOf(expected) >= 0, timeout);
    }

    /** Waits until at least {@code n} packets have been received. */
    public boolean awaitPackets(int n, Duration timeout) {
        return await(() -> packets.size() >= n, timeout);
    }

    /** Waits until some 20 ms frame received after now is louder than {@code thresholdDbov}. */
    public boolean awaitAudio(double thresholdDbov, Duration timeout) {
        long from = elapsedMs();
        return await(() -> {
            for (int i = frames.size() - 1; i >= 0 && frames.get(i).arrivalMs >= from; i--) {
                short[] f = frames.get(i).pcm;
                if (Goertzel.levelDbov(f, 0, f.length) > thresholdDbov) {
                    return true;
                }
            }
            return false;
        }, timeout);
    }

    /** Waits until the audio (arrived from now on) has been quieter than the threshold for {@code quietMs}. */
    public boolean awaitSilence(double thresholdDbov, long quietMs, Duration timeout) {
        long from = elapsedMs();
        return await(() -> {
            long lastLoud = from;
            for (Frame f : frames) {
                if (f.arrivalMs >= from && Goertzel.levelDbov(f.pcm, 0, f.pcm.length) > thresholdDbov) {
                    lastLoud = f.arrivalMs;
                }
            }
            return !frames.isEmpty() && frames.get(frames.size() - 1).arrivalMs - lastLoud >= quietMs;
        }, timeout);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether any 20 ms frame that arrived in [fromMs, toMs] was louder than {@code thresholdDbov}. */
    public boolean heardAudioBetween(long fromMs, long toMs, double thresholdDbov) {
        synchronized (lock) {
            for (Frame f : frames) {
                if (f.arrivalMs >= fromMs && f.arrivalMs <= toMs
                        && Goertzel.levelDbov(f.pcm, 0, f.pcm.length) > thresholdDbov) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Mean level (dBov) of all audio that arrived in [fromMs, toMs]; -120 if none. */
    public double levelDbov(long fromMs, long toMs) {
        short[] pcm = pcmBetween(fromMs, toMs);
        return Goertzel.levelDbov(pcm, 0, pcm.length);
    }

    /** Arrival time (ms) of the first frame louder than the threshold, or -1. */
    public long firstAudioAtMs(double thresholdDbov) {
        synchronized (lock) {
            for (Frame f : frames) {
                if (Goertzel.levelDbov(f.pcm, 0, f.pcm.length) > thresholdDbov) {
                    return f.arrivalMs;
                }
            }
            return -1;
        }
    }

    /** All decoded audio, concatenated in arrival order. */
    public short[] receivedPcm() {
        return pcmBetween(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Decoded audio of the frames that arrived in [fromMs, toMs], concatenated. */
    public short[] pcmBetween(long fromMs, long toMs) {
        synchronized (lock) {
            int n = 0;
            for (Frame f : frames) {
                if (f.arrivalMs >= fromMs && f.arrivalMs <= toMs) {
                    n += f.pcm.length;
                }
            }
            short[] out = new short[n];
            int pos = 0;
            for (Frame f : frames) {
                if (f.arrivalMs >= fromMs && f.arrivalMs <= toMs) {
                    System.arraycopy(f.pcm, 0, out, pos, f.pcm.length);
                    pos += f.pcm.length;
                }
            }
            return out;
        }
    }

    /** DTMF keys found in the received audio (in-band), by Goertzel. */
    public String detectInbandDigits() {
        return Goertzel.detectDigits(receivedPcm(), AudioSource.RATE);
    }

    /** The dominant frequency among {@code candidates} in the audio that arrived in [fromMs, toMs]. */
    public double dominantFrequency(long fromMs, long toMs, double... candidates) {
        short[] pcm = pcmBetween(fromMs, toMs);
        return Goertzel.strongest(pcm, 0, pcm.length, AudioSource.RATE, candidates);
    }

    /** Loss / continuity statistics over everything received. */
    public RtpStats stats() {
        synchronized (lock) {
            Map<Long, long[]> perSsrc = new HashMap<>(); // ssrc -> {lastExt, minExt, maxExt, cycles}
            Set<String> seen = new HashSet<>();
            long dups = 0;
            long disc = 0;
            for (ReceivedRtp p : packets) {
                long[] s = perSsrc.get(p.ssrc());
                long ext;
                if (s == null) {
                    ext = p.sequence();
                    s = new long[] {ext, ext, ext};
                    perSsrc.put(p.ssrc(), s);
                } else {
                    long last = s[0];
                    long cand = (last & ~0xFFFFL) | p.sequence();
                    // pick the candidate closest to the last extended seq (handles wrap both ways)
                    if (cand - last > 0x8000) {
                        cand -= 0x10000;
                    } else if (last - cand > 0x8000) {
                        cand += 0x10000;
                    }
                    ext = cand;
                    if (ext != last + 1) {
                        disc++;
                    }
                    s[0] = ext;
                    s[1] = Math.min(s[1], ext);
                    s[2] = Math.max(s[2], ext);
                }
                if (!seen.add(p.ssrc() + "/" + ext)) {
                    dups++;
                }
            }
            long expected = 0;
            for (long[] s : perSsrc.values()) {
                expected += s[2] - s[1] + 1;
            }
            long distinct = packets.size() - dups;
            return new RtpStats(packets.size(), expected, Math.max(0, expected - distinct), dups, disc,
                    perSsrc.size());
        }
    }

    /** Forgets everything received so far (not the negotiated state). */
    public void clearReceived() {
        synchronized (lock) {
            packets.clear();
            frames.clear();
            digits.clear();
            digitString.setLength(0);
        }
    }

    @Override
    public void close() {
        closed = true;
        stopSending();
        socket.close();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
