package io.kinline.media.rtp;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.MediaListener;
import io.kinline.media.RtpStatistics;
import io.kinline.media.SdpException;
import io.kinline.media.codec.Codec;
import io.kinline.media.dtmf.DigitSource;
import io.kinline.media.dtmf.DtmfReceiver;
import io.kinline.media.dtmf.Rfc4733;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.prompt.Prompt;
import io.kinline.media.sdp.Direction;
import io.kinline.media.sdp.SessionDescriptions;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import io.kinline.media.threeway.ThreeWayMonitor;
import io.kinline.media.wav.WavWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One leg's RTP session on a Netty event loop.
 *
 * <p><b>Threading.</b> Everything after construction that touches sockets, playback, relay or
 * statistics runs on {@link #eventLoop()}; public methods hand work over with
 * {@code loop.execute}. The negotiated session is an immutable {@link Negotiated} published through
 * a volatile field so that SDP work can run on the caller's thread and answer synchronously.
 *
 * <p><b>Continuity.</b> The endpoint owns one SSRC and one sequence/timestamp space. Whatever feeds
 * it (prompt frames, relayed packets, announcement frames, DTMF events) is a "source"; on each change
 * of source the next packet gets the marker bit and a timestamp advanced by the wall-clock time since
 * the last packet, and relayed packets are mapped into our space with a per-source offset so the
 * peer sees one continuous stream (gaps upstream stay gaps: loss is visible downstream).
 */
public final class RtpEndpoint implements MediaEndpoint {

    private static final Logger log = LoggerFactory.getLogger(RtpEndpoint.class);

    static final int SRC_NONE = 0;
    static final int SRC_PLAYBACK = 1;
    static final int SRC_DTMF = 2;
    static final int SRC_OVERLAY = 3;
    static final int SRC_RELAY = 4;

    /** When relaying with an announcement, a tick with no relayed packet for this long sends a prompt frame. */
    private static final long RELAY_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Longest capture we buffer in memory (10 minutes of 8 kHz PCM, 9.6 MB). */
    private static final int MAX_CAPTURE_MILLIS = 600_000;

    private final NettyMediaEngine engine;
    private final String callId;
    private final String leg;
    private final MediaListener listener;
    private final EventLoop loop;
    private final int port;
    private final InetSocketAddress localAddress;
    private final long ssrc;
    private final String cname;
    private final DtmfReceiver dtmf;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Channel rtpChannel;
    private Channel rtcpChannel;

    // ---- SDP state: guarded by "this", published via the volatile session ----
    private final long sdpSessionId = ThreadLocalRandom.current().nextLong(1, 1L << 40);
    private long sdpVersion = 1;
    private String lastLocalSdp;
    private volatile Negotiated session;

    // ---- loop-confined state below ----
    private final RtpPacket rx = new RtpPacket();
    private final RtpReceiverStats rxStats = new RtpReceiverStats(Codec.SAMPLE_RATE);
    private InetSocketAddress sendTo;
    private InetSocketAddress latchedFrom;
    private InetSocketAddress rtcpSendTo;
    private InetSocketAddress rtcpLatchedFrom;
    private long droppedForeign;
    private long droppedInvalid;
    private long droppedUnknownPt;

    private int outSeq = ThreadLocalRandom.current().nextInt(0, 1 << 16);
    private long lastOutTs = ThreadLocalRandom.current().nextLong(0, 1L << 32);
    private long lastOutNanos;
    private boolean anySent;
    private int currentSource = SRC_NONE;
    private long relayInSsrc = -1;
    private int seqDelta;
    private long tsDelta;
    private long packetsSent;
    private long octetsSent;
    private long lastRelaySentNanos;

    private List<Prompt> playing;
    private int playIndex;
    private int playPos;
    private boolean bargeIn;

    private short[] overlay;
    private int overlayPos;
    private boolean overlayNotify;

    private int dtmfEvent = -1;
    private long dtmfTs;
    private int dtmfTotal;
    private int dtmfElapsed;
    private int dtmfEndsLeft;
    private boolean dtmfStarted;
    private short[] inbandTone;
    private int inbandPos;

    private short[] capture;
    private int captureLen;
    private long captureBaseTs = -1;
    private long captureDeadlineNanos;
    private Path captureFile;

    private volatile boolean inbandDtmf;
    private ThreeWayMonitor threeWay; // event loop only
    private volatile RtpEndpoint partner;
    private volatile AudioTap tap;

    private long lastRxNanos;
    private long activeSinceNanos;
    private boolean timeoutRaised;
    private long nextRtcpNanos;
    private long lastSrMiddle = -1;
    private long lastSrArrivalNanos;
    private Rtcp.ReportBlock remoteReport;
    private int tickCount;
    private RtpStatistics lastStats = RtpStatistics.EMPTY;

    private final byte[] scratch = new byte[RtpPacket.MAX_LENGTH];
    private final short[] pcm = new short[RtpPacket.MAX_LENGTH];
    private final byte[] eventScratch = new byte[Rfc4733.LENGTH];

    RtpEndpoint(NettyMediaEngine engine, String callId, String leg, MediaListener listener, EventLoop loop, int port,
            InetSocketAddress localAddress) {
        this.engine = engine;
        this.callId = callId;
        this.leg = leg;
        this.listener = listener;
        this.loop = loop;
        this.port = port;
        this.localAddress = localAddress;
        this.ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
        this.cname = leg + "-" + Long.toHexString(ssrc) + "@kinline";
        this.dtmf = new DtmfReceiver(new DtmfReceiver.Listener() {
            @Override
            public void onDigit(char digit, DigitSource source, long rtpTimestamp) {
                if (threeWay != null) {
                    threeWay.digit(digit, source == DigitSource.RFC4733);
                }
                onDigitReceived(digit, source);
            }

            @Override
            public void onHookFlash(long rtpTimestamp) {
                if (threeWay != null) {
                    threeWay.hookFlash();
                }
                emit(new MediaEvent.HookFlash(System.currentTimeMillis()));
            }
        }, true);
        this.inbandDtmf = engine.config().inbandDtmf();
    }

    /** {@inheritDoc} The default is {@link io.kinline.media.MediaConfig#inbandDtmf()}. */
    @Override
    public void inbandDtmf(boolean on) {
        this.inbandDtmf = on;
    }

    /** {@inheritDoc} */
    @Override
    public void threeWayDetection(boolean on) {
        execute(() -> {
            if (on && threeWay == null) {
                threeWay = new ThreeWayMonitor(this::emit, System::currentTimeMillis);
            } else if (!on && threeWay != null) {
                ThreeWayMonitor m = threeWay;
                threeWay = null;
                m.stop();
            }
        });
    }

    void channels(Channel rtp, Channel rtcp) {
        this.rtpChannel = rtp;
        this.rtcpChannel = rtcp;
    }

    /** The RTP socket's inbound handler. */
    SimpleChannelInboundHandler<DatagramPacket> rtpHandler() {
        return new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                onRtp(msg.content(), msg.sender(), System.nanoTime());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                log.debug("RTP socket {} error: {}", port, cause.toString());
            }
        };
    }

    SimpleChannelInboundHandler<DatagramPacket> rtcpHandler() {
        return new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                onRtcp(msg.content(), msg.sender(), System.nanoTime());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                log.debug("RTCP socket {} error: {}", port + 1, cause.toString());
            }
        };
    }

    // =====================================================================================
    // Public API
    // =====================================================================================

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String leg() {
        return leg;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** Our SSRC. */
    public long ssrc() {
        return ssrc;
    }

    @Override
    public synchronized String createOffer() {
        return withVersion(v -> SessionDescriptions.offer(local(v), Direction.SENDRECV));
    }

    @Override
    public synchronized String answer(String remoteOffer) throws SdpException {
        SessionDescriptions.Answer a = SessionDescriptions.answer(remoteOffer, local(sdpVersion));
        String body = a.sdp();
        if (lastLocalSdp != null && !stripOrigin(body).equals(stripOrigin(lastLocalSdp))) {
            sdpVersion++;
            body = SessionDescriptions.answer(remoteOffer, local(sdpVersion)).sdp();
        }
        lastLocalSdp = body;
        publish(a.negotiated());
        return body;
    }

    @Override
    public synchronized void applyAnswer(String remoteAnswer) throws SdpException {
        publish(SessionDescriptions.applyAnswer(remoteAnswer, local(sdpVersion)));
    }

    @Override
    public Codec codec() {
        Negotiated s = session;
        return s == null ? null : s.codec();
    }

    /** The negotiated session, or null. */
    public Negotiated session() {
        return session;
    }

    @Override
    public void play(Playlist playlist, boolean bargeIn) {
        List<Prompt> prompts;
        try {
            prompts = engine.prompts().resolve(playlist);
        } catch (RuntimeException e) {
            log.warn("[{}] cannot resolve playlist {}: {}", callId, playlist, e.toString());
            prompts = List.of();
        }
        List<Prompt> p = prompts;
        execute(() -> startPlayback(p, bargeIn));
    }

    @Override
    public void stopPlayback() {
        execute(() -> stopPlaybackNow(true));
    }

    @Override
    public void sendDtmf(char digit, int durationMillis) {
        int event = Rfc4733.eventFor(digit);
        if (event < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        int ms = Math.max(40, Math.min(durationMillis, 5000));
        execute(() -> startDtmf(digit, event, ms));
    }

    @Override
    public void startCapture(Path wavFile, int maxMillis) {
        int ms = Math.max(1, Math.min(maxMillis, MAX_CAPTURE_MILLIS));
        execute(() -> {
            if (capture != null) {
                finishCapture();
            }
            capture = new short[ms * 8];
            captureLen = 0;
            captureBaseTs = -1;
            captureFile = wavFile;
            captureDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        });
    }

    @Override
    public void stopCapture() {
        execute(this::finishCapture);
    }

    @Override
    public RtpStatistics statistics() {
        if (loop.inEventLoop()) {
            return computeStatistics();
        }
        if (Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread) {
            return lastStats; // another event loop: never block it waiting for ours
        }
        try {
            return loop.submit(this::computeStatistics).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return lastStats;
        }
    }

    /** Packets dropped because they came from another address than the latched one. */
    public long droppedForeign() {
        return droppedForeign;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        execute0(() -> {
            RtpEndpoint p = partner;
            if (p != null) {
                p.partner = null;
            }
            partner = null;
            tap = null;
            threeWay = null;
            playing = null;
            overlay = null;
            if (capture != null) {
                finishCapture();
            }
            engine.unregister(this);
            Channel a = rtpChannel;
            Channel b = rtcpChannel;
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            engine.released(this, port);
        });
    }

    @Override
    public String toString() {
        return "RtpEndpoint[" + callId + "/" + leg + " " + localAddress + "]";
    }

    // ---- used by the bridge ----

    /**
     * Relays what this endpoint receives to {@code to} (null stops), tapping decoded audio into
     * {@code tap} (null for none). Called by the bridge for both directions.
     */
    public void relayTo(RtpEndpoint to, AudioTap audioTap) {
        execute(() -> {
            this.partner = to;
            this.tap = audioTap;
        });
    }

    /** Sets or clears only the audio tap (recording start/stop on a live bridge). */
    public void tap(AudioTap audioTap) {
        execute(() -> this.tap = audioTap);
    }

    /**
     * Mixes {@code pcm} into what this endpoint sends (relayed audio, or alone when nothing is
     * relayed). {@code notify}: raise PlaybackDone on this endpoint when it ends or is replaced.
     */
    public void announce(short[] overlayPcm, boolean notify) {
        execute(() -> {
            if (overlay != null && overlayNotify) {
                emit(new MediaEvent.PlaybackDone(true));
            }
            overlay = overlayPcm.length == 0 ? null : overlayPcm;
            overlayPos = 0;
            overlayNotify = notify;
            if (overlay == null && notify) {
                emit(new MediaEvent.PlaybackDone(false));
            }
        });
    }

    /** Stops an announcement overlay (bridge closed). */
    public void stopAnnouncement() {
        execute(() -> {
            if (overlay != null && overlayNotify) {
                emit(new MediaEvent.PlaybackDone(true));
            }
            overlay = null;
        });
    }

    // =====================================================================================
    // SDP helpers
    // =====================================================================================

    private interface VersionedSdp {
        String make(long version);
    }

    private String withVersion(VersionedSdp f) {
        String body = f.make(sdpVersion);
        if (lastLocalSdp != null && !stripOrigin(body).equals(stripOrigin(lastLocalSdp))) {
            sdpVersion++;
            body = f.make(sdpVersion);
        }
        lastLocalSdp = body;
        return body;
    }

    private static String stripOrigin(String sdp) {
        int o = sdp.indexOf("o=");
        int e = sdp.indexOf('\n', o);
        return o < 0 || e < 0 ? sdp : sdp.substring(0, o) + sdp.substring(e + 1);
    }

    private SessionDescriptions.Local local(long version) {
        var c = engine.config();
        return new SessionDescriptions.Local(c.advertisedAddress(), port, sdpSessionId, version, c.telephoneEventPt(),
                c.ptimeMillis());
    }

    private void publish(Negotiated n) {
        Negotiated old = session;
        session = n;
        execute(() -> applySession(old, n));
    }

    private void applySession(Negotiated old, Negotiated n) {
        long now = System.nanoTime();
        boolean addressChanged = old == null || n.remoteRtp() == null || !n.remoteRtp().equals(old.remoteRtp());
        if (addressChanged) {
            // A new remote address (or the first one): send there until its first packet re-latches us.
            sendTo = n.remoteRtp();
            latchedFrom = null;
            rtcpSendTo = n.remoteRtcp();
            rtcpLatchedFrom = null;
        }
        if (n.receiving() && (old == null || !old.receiving() || old.localDirection() != n.localDirection())) {
            activeSinceNanos = now;
            timeoutRaised = false;
        }
        if (old == null) {
            nextRtcpNanos = now + rtcpInterval();
        }
        if (old != null && old.codec() != n.codec()) {
            currentSource = SRC_NONE; // the next packet starts a new talk spurt in the new codec
        }
    }

    // =====================================================================================
    // Receive path
    // =====================================================================================

    void onRtp(ByteBuf buf, InetSocketAddress from, long now) {
        if (closed.get()) {
            return;
        }
        Negotiated s = session;
        if (s == null || !rx.wrap(buf)) {
            int len = buf.readableBytes();
            int pt = len >= 2 ? buf.getUnsignedByte(buf.readerIndex() + 1) : 0;
            if (s != null && pt >= Rtcp.SR && pt <= Rtcp.APP) {
                onRtcp(buf, from, now); // RTCP multiplexed on the RTP port (RFC 5761) from a peer that assumes it
            } else {
                droppedInvalid++;
            }
            return;
        }
        if (latchedFrom == null) {
            latchedFrom = from;
            if (s.remoteRtp() != null) {
                sendTo = from; // symmetric RTP: answer where the peer really sends from (NAT)
            }
            if (log.isDebugEnabled()) {
                withMdc(() -> log.debug("{} latched to {}", this, from));
            }
        } else if (!latchedFrom.equals(from)) {
            droppedForeign++;
            return;
        }
        int pt = rx.payloadType();
        boolean event = pt == s.receiveTelephoneEventPt() && pt >= 0 || pt == s.sendTelephoneEventPt() && pt >= 0;
        Codec inCodec = null;
        if (!event) {
            inCodec = pt == s.sendPayloadType() ? s.codec() : Codec.forPayloadType(pt);
            if (inCodec == null) {
                droppedUnknownPt++; // comfort noise, video, or garbage payload types
                return;
            }
        }
        if (!rxStats.onPacket(rx.ssrc(), rx.sequenceNumber(), rx.timestamp(), now)) {
            return;
        }
        lastRxNanos = now;
        timeoutRaised = false;
        long ts = rx.timestamp();
        if (event) {
            if (rx.payloadLength() >= Rfc4733.LENGTH) {
                buf.getBytes(rx.payloadIndex(), eventScratch, 0, Rfc4733.LENGTH);
                dtmf.onTelephoneEvent(eventScratch, 0, Rfc4733.LENGTH, ts, rx.marker(), rx.ssrc());
            }
        } else {
            int n = rx.payloadLength();
            AudioTap t = tap;
            boolean inband = inbandDtmf;
            ThreeWayMonitor tw = threeWay;
            boolean needPcm = t != null || capture != null || inband || tw != null;
            if (needPcm && n > 0) {
                buf.getBytes(rx.payloadIndex(), scratch, 0, n);
                inCodec.decode(scratch, 0, pcm, 0, n);
                if (capture != null) {
                    captureAudio(ts, n);
                }
                if (inband) {
                    dtmf.onAudio(pcm, 0, n, ts, rx.ssrc());
                }
                if (tw != null) {
                    // Our own prompt or announcement to this party comes back as echo: not the party's line.
                    tw.announcing(overlay != null || playing != null);
                    tw.onAudio(ts, pcm, 0, n);
                }
                if (t != null) {
                    t.onAudio(this, ts, pcm, 0, n);
                }
            }
        }
        RtpEndpoint p = partner;
        if (p != null && !closed.get()) {
            if (p.loop.inEventLoop()) {
                p.relayOut(rx, event, inCodec, now);
            } else {
                // Endpoints of one call share a loop; this hop only happens for odd pairings.
                ByteBuf copy = buf.retainedDuplicate();
                boolean ev = event;
                Codec c = inCodec;
                p.loop.execute(() -> {
                    try {
                        RtpPacket view = new RtpPacket();
                        if (view.wrap(copy)) {
                            p.relayOut(view, ev, c, System.nanoTime());
                        }
                    } finally {
                        copy.release();
                    }
                });
            }
        }
    }

    private void onDigitReceived(char digit, DigitSource source) {
        emit(new MediaEvent.Digit(digit, source, System.currentTimeMillis()));
        if (playing != null && bargeIn) {
            stopPlaybackNow(true);
        }
    }

    void onRtcp(ByteBuf buf, InetSocketAddress from, long now) {
        if (closed.get()) {
            return;
        }
        Rtcp.Parsed p = Rtcp.parse(buf, ssrc);
        if (!p.valid) {
            droppedInvalid++;
            return;
        }
        if (rtcpLatchedFrom == null) {
            rtcpLatchedFrom = from;
            rtcpSendTo = from;
        } else if (!rtcpLatchedFrom.equals(from)) {
            return;
        }
        if (p.srNtpMiddle >= 0) {
            lastSrMiddle = p.srNtpMiddle;
            lastSrArrivalNanos = now;
        }
        if (p.aboutUs != null) {
            remoteReport = p.aboutUs;
        }
    }

    /** The peer's last report block about our stream, or null. */
    public Rtcp.ReportBlock remoteReport() {
        return remoteReport;
    }

    private void captureAudio(long ts, int n) {
        if (captureBaseTs < 0) {
            captureBaseTs = ts;
        }
        long pos = (int) (ts - captureBaseTs); // signed 32-bit distance
        if (pos < 0 || pos >= capture.length) {
            return;
        }
        int len = (int) Math.min(n, capture.length - pos);
        System.arraycopy(pcm, 0, capture, (int) pos, len); // gaps stay zero: silence for lost packets
        captureLen = (int) Math.max(captureLen, pos + len);
        if (captureLen >= capture.length) {
            finishCapture();
        }
    }

    private void finishCapture() {
        if (capture == null) {
            return;
        }
        short[] data = java.util.Arrays.copyOf(capture, captureLen);
        Path file = captureFile;
        capture = null;
        captureFile = null;
        long millis = data.length / 8L;
        engine.blockingIo().execute(() -> {
            try {
                WavWriter.write(file, 1, data);
            } catch (Exception e) {
                log.warn("[{}] cannot write capture {}: {}", callId, file, e.toString());
            }
            execute0(() -> emit(new MediaEvent.CaptureDone(millis)));
        });
    }

    // =====================================================================================
    // Send path
    // =====================================================================================

    /** Timestamp for the first packet of a new source: wall-clock continuation of our stream. */
    private long tsForNewSource(long now, int frameSamples) {
        if (!anySent) {
            return lastOutTs;
        }
        long elapsed = (now - lastOutNanos) * Codec.SAMPLE_RATE / 1_000_000_000L;
        return (lastOutTs + Math.max(frameSamples, elapsed)) & 0xFFFFFFFFL;
    }

    /** Relays a packet received by the partner endpoint out of this one, rewriting it in place. */
    void relayOut(RtpPacket p, boolean event, Codec inCodec, long now) {
        Negotiated s = session;
        InetSocketAddress to = sendTo;
        if (closed.get() || s == null || !s.sending() || to == null) {
            return;
        }
        if (playing != null || dtmfEvent >= 0 || inbandTone != null) {
            return; // our own audio has the line: prompts to this party, or a DTMF we are sending
        }
        ByteBuf buf = p.buffer();
        int n = p.payloadLength();
        if (event) {
            if (s.sendTelephoneEventPt() < 0) {
                return;
            }
            p.setPayloadType(s.sendTelephoneEventPt());
        } else {
            Codec out = s.codec();
            if (overlay != null && n > 0) {
                buf.getBytes(p.payloadIndex(), scratch, 0, n);
                inCodec.decode(scratch, 0, pcm, 0, n);
                mixOverlay(pcm, n);
                out.encode(pcm, 0, scratch, 0, n);
                buf.setBytes(p.payloadIndex(), scratch, 0, n);
            } else if (inCodec != out && n > 0) {
                Transcoder.transcode(buf, p.payloadIndex(), n, inCodec, out, scratch);
            }
            p.setPayloadType(s.sendPayloadType());
        }
        long inSsrc = p.ssrc();
        boolean marker = p.marker();
        if (currentSource != SRC_RELAY || inSsrc != relayInSsrc) {
            long ts = tsForNewSource(now, n > 0 && !event ? n : 160);
            seqDelta = (outSeq + 1 - p.sequenceNumber()) & 0xFFFF;
            tsDelta = ts - p.timestamp();
            currentSource = SRC_RELAY;
            relayInSsrc = inSsrc;
            marker = true;
        }
        int seq = (p.sequenceNumber() + seqDelta) & 0xFFFF;
        long ts = (p.timestamp() + tsDelta) & 0xFFFFFFFFL;
        p.setSequenceNumber(seq);
        p.setTimestamp(ts);
        p.setSsrc(ssrc);
        p.setMarker(marker);
        if (((seq - outSeq) & 0xFFFF) < 0x8000) {
            outSeq = seq; // keep the highest we sent, so our own packets continue after it
        }
        if (((int) (ts - lastOutTs)) > 0 || !anySent) {
            lastOutTs = ts;
        }
        lastOutNanos = now;
        anySent = true;
        lastRelaySentNanos = now;
        packetsSent++;
        octetsSent += n;
        rtpChannel.writeAndFlush(new DatagramPacket(buf.retainedSlice(p.offset(), p.length()), to), rtpChannel.voidPromise());
    }

    private void mixOverlay(short[] frame, int n) {
        short[] o = overlay;
        int avail = Math.min(n, o.length - overlayPos);
        for (int i = 0; i < avail; i++) {
            int v = frame[i] + o[overlayPos + i];
            frame[i] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
        }
        overlayPos += avail;
        if (overlayPos >= o.length) {
            overlay = null;
            if (overlayNotify) {
                emit(new MediaEvent.PlaybackDone(false));
            }
        }
    }

    /** Sends one of our own packets (prompt frame, announcement frame, DTMF event). */
    private void sendOwn(int source, int pt, byte[] payload, int len, long ts, boolean marker, long now) {
        InetSocketAddress to = sendTo;
        if (to == null) {
            return;
        }
        outSeq = (outSeq + 1) & 0xFFFF;
        ByteBuf out = rtpChannel.alloc().ioBuffer(RtpPacket.HEADER + len);
        RtpPacket.writeHeader(out, marker, pt, outSeq, ts, ssrc);
        out.writeBytes(payload, 0, len);
        currentSource = source;
        relayInSsrc = -1;
        anySent = true;
        packetsSent++;
        octetsSent += len;
        rtpChannel.writeAndFlush(new DatagramPacket(out, to), rtpChannel.voidPromise());
    }

    /** Sends an audio frame of our own, continuing the timestamp of the previous own frame. */
    private void sendOwnAudio(int source, Negotiated s, byte[] payload, int len, long now) {
        boolean marker = currentSource != source;
        long ts = marker ? tsForNewSource(now, len) : (lastOutTs + len) & 0xFFFFFFFFL;
        sendOwn(source, s.sendPayloadType(), payload, len, ts, marker, now);
        lastOutTs = ts;
        lastOutNanos = now;
    }

    // ---- playback ----

    private void startPlayback(List<Prompt> prompts, boolean barge) {
        if (closed.get()) {
            return;
        }
        if (playing != null) {
            stopPlaybackNow(true);
        }
        playing = prompts;
        currentSource = SRC_NONE; // a new playlist is a new talk spurt: marker bit
        playIndex = 0;
        playPos = 0;
        bargeIn = barge;
        if (prompts.isEmpty()) {
            playing = null;
            emit(new MediaEvent.PlaybackDone(false));
        }
    }

    private void stopPlaybackNow(boolean interrupted) {
        if (playing == null) {
            return;
        }
        playing = null;
        emit(new MediaEvent.PlaybackDone(interrupted));
    }

    /** Fills one frame from the playlist; returns false (and ends playback) when it was already done. */
    private boolean nextPlaybackFrame(Codec codec, byte[] dst, int len) {
        List<Prompt> list = playing;
        int filled = 0;
        while (filled < len && playIndex < list.size()) {
            byte[] src = list.get(playIndex).encoded(codec);
            int take = Math.min(len - filled, src.length - playPos);
            if (take > 0) {
                System.arraycopy(src, playPos, dst, filled, take);
                filled += take;
                playPos += take;
            }
            if (playPos >= src.length) {
                playIndex++;
                playPos = 0;
            }
        }
        if (filled == 0) {
            return false;
        }
        byte silence = codec == Codec.PCMU ? io.kinline.media.codec.G711.ULAW_SILENCE : io.kinline.media.codec.G711.ALAW_SILENCE;
        java.util.Arrays.fill(dst, filled, len, silence);
        return true;
    }

    // ---- DTMF sending ----

    private void startDtmf(char digit, int event, int ms) {
        Negotiated s = session;
        if (closed.get() || s == null) {
            return;
        }
        if (s.sendTelephoneEventPt() >= 0) {
            dtmfEvent = event;
            dtmfTotal = ms * 8;
            dtmfElapsed = 0;
            dtmfEndsLeft = 3;
            dtmfStarted = false;
        } else {
            inbandTone = Tones.dtmf(digit, ms, 50);
            inbandPos = 0;
        }
    }

    private void dtmfTick(Negotiated s, int frameSamples, long now) {
        if (!dtmfStarted) {
            dtmfTs = tsForNewSource(now, frameSamples);
            dtmfStarted = true;
            dtmfElapsed = Math.min(frameSamples, dtmfTotal);
            Rfc4733.write(scratch, 0, dtmfEvent, false, 10, dtmfElapsed);
            sendOwn(SRC_DTMF, s.sendTelephoneEventPt(), scratch, Rfc4733.LENGTH, dtmfTs, true, now);
        } else if (dtmfElapsed < dtmfTotal) {
            dtmfElapsed = Math.min(dtmfElapsed + frameSamples, dtmfTotal);
            Rfc4733.write(scratch, 0, dtmfEvent, false, 10, dtmfElapsed);
            sendOwn(SRC_DTMF, s.sendTelephoneEventPt(), scratch, Rfc4733.LENGTH, dtmfTs, false, now);
        } else {
            // RFC 4733 2.5.1.4: the final packet is sent three times (same timestamp, new seqs).
            Rfc4733.write(scratch, 0, dtmfEvent, true, 10, dtmfTotal);
            sendOwn(SRC_DTMF, s.sendTelephoneEventPt(), scratch, Rfc4733.LENGTH, dtmfTs, false, now);
            if (--dtmfEndsLeft == 0) {
                dtmfEvent = -1;
            }
        }
        lastOutTs = (dtmfTs + dtmfElapsed) & 0xFFFFFFFFL;
        lastOutNanos = now;
    }

    // =====================================================================================
    // The tick (every 10 ms from the loop's shared ticker)
    // =====================================================================================

    void tick(long now) {
        if (closed.get()) {
            return;
        }
        tickCount++;
        Negotiated s = session;
        if (s == null) {
            return;
        }
        checkTimeout(s, now);
        if (capture != null && now - captureDeadlineNanos >= 0) {
            finishCapture();
        }
        if (now - nextRtcpNanos >= 0) {
            sendRtcp(s, now);
            nextRtcpNanos = now + rtcpInterval();
        }
        int frameMs = s.sendPtimeMillis();
        if (tickCount % (frameMs / 10) != 0) {
            return;
        }
        int frameSamples = frameMs * 8;
        boolean send = s.sending() && sendTo != null;
        Codec codec = s.codec();
        if (dtmfEvent >= 0) {
            if (send) {
                dtmfTick(s, frameSamples, now);
            } else {
                dtmfEvent = -1;
            }
            return;
        }
        if (inbandTone != null) {
            int n = Math.min(frameSamples, inbandTone.length - inbandPos);
            java.util.Arrays.fill(pcm, 0, frameSamples, (short) 0);
            System.arraycopy(inbandTone, inbandPos, pcm, 0, n);
            inbandPos += n;
            if (inbandPos >= inbandTone.length) {
                inbandTone = null;
            }
            if (send) {
                codec.encode(pcm, 0, scratch, 0, frameSamples);
                sendOwnAudio(SRC_DTMF, s, scratch, frameSamples, now);
            }
            return;
        }
        if (playing != null) {
            if (nextPlaybackFrame(codec, scratch, frameSamples)) {
                if (send) {
                    sendOwnAudio(SRC_PLAYBACK, s, scratch, frameSamples, now);
                }
            }
            if (playing != null && playIndex >= playing.size()) {
                stopPlaybackNow(false);
            }
            return;
        }
        if (overlay != null && now - lastRelaySentNanos > RELAY_IDLE_NANOS) {
            // Nothing relayed lately (the other party is silent or suppresses silence): the
            // announcement still has to be heard, so send it alone.
            java.util.Arrays.fill(pcm, 0, frameSamples, (short) 0);
            mixOverlay(pcm, frameSamples);
            if (send) {
                codec.encode(pcm, 0, scratch, 0, frameSamples);
                sendOwnAudio(SRC_OVERLAY, s, scratch, frameSamples, now);
            }
        }
    }

    private void checkTimeout(Negotiated s, long now) {
        long timeout = engine.config().mediaTimeout().toNanos();
        // Only a leg in full sendrecv times out: a phone that holds us (sendonly) often sends
        // nothing at all, and a held call must not be torn down for it.
        if (timeout <= 0 || timeoutRaised || !s.receiving() || s.localDirection() != Direction.SENDRECV) {
            return;
        }
        long since = Math.max(lastRxNanos, activeSinceNanos);
        if (since != 0 && now - since >= timeout) {
            timeoutRaised = true;
            emit(new MediaEvent.MediaTimeout(TimeUnit.NANOSECONDS.toMillis(now - since)));
        }
    }

    private long rtcpInterval() {
        long mean = engine.config().rtcpInterval().toNanos();
        // RFC 3550 6.3.1: randomise over [0.5, 1.5] x interval so that endpoints do not synchronise.
        return (long) (mean * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private void sendRtcp(Negotiated s, long now) {
        RtpStatistics st = computeStatistics();
        emit(new MediaEvent.Statistics(st));
        InetSocketAddress to = rtcpSendTo;
        if (to == null || !s.sending() && !s.receiving()) {
            return;
        }
        Rtcp.ReportBlock block = null;
        if (rxStats.ssrc() >= 0 && rxStats.received() > 0) {
            long dlsr = 0;
            long lsr = 0;
            if (lastSrMiddle >= 0) {
                lsr = lastSrMiddle;
                dlsr = (now - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
            }
            block = new Rtcp.ReportBlock(rxStats.ssrc(), rxStats.fractionLostForReport(), rxStats.lost(),
                    rxStats.extendedMax(), rxStats.jitterUnits(), lsr, dlsr);
        }
        boolean sender = packetsSent > 0;
        long rtpTsNow = anySent ? tsForNewSource(now, 0) : lastOutTs;
        ByteBuf out = rtcpChannel.alloc().ioBuffer(128);
        Rtcp.writeReport(out, ssrc, sender, Rtcp.ntp(System.currentTimeMillis()), rtpTsNow, packetsSent, octetsSent,
                block, cname);
        rtcpChannel.writeAndFlush(new DatagramPacket(out, to), rtcpChannel.voidPromise());
    }

    private RtpStatistics computeStatistics() {
        RtpStatistics st = new RtpStatistics(rxStats.received(), packetsSent, Math.max(0, rxStats.lost()),
                rxStats.lossFraction(), rxStats.jitterMillis());
        lastStats = st;
        return st;
    }

    // =====================================================================================
    // Plumbing
    // =====================================================================================

    private void execute(Runnable r) {
        if (closed.get()) {
            return;
        }
        execute0(r);
    }

    private void execute0(Runnable r) {
        Runnable guarded = () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                withMdc(() -> log.warn("{}: {}", this, e.toString(), e));
            }
        };
        if (loop.inEventLoop()) {
            guarded.run();
        } else {
            try {
                loop.execute(guarded);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("{}: event loop shut down", this);
            }
        }
    }

    void emit(MediaEvent event) {
        withMdc(() -> {
            try {
                listener.onEvent(this, event);
            } catch (RuntimeException e) {
                log.warn("{}: listener failed on {}: {}", this, event, e.toString(), e);
            }
        });
    }

    private void withMdc(Runnable r) {
        String old = MDC.get("callId");
        MDC.put("callId", callId);
        try {
            r.run();
        } finally {
            if (old == null) {
                MDC.remove("callId");
            } else {
                MDC.put("callId", old);
            }
        }
    }
}
