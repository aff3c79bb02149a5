package io.kinline.media.rtp;

import io.kinline.log.CallMdc;
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
import io.kinline.media.sdp.SecureMediaAttributes;
import io.kinline.media.sdp.SessionDescriptions;
import io.kinline.media.sdp.WebRtcSessions;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import io.kinline.media.srtp.SdesPolicy;
import io.kinline.media.threeway.ThreeWayMonitor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg's RTP session on a Netty event loop: its public API, SDP, and the 10 ms tick. The pieces are
 * rooms of their own, each loop-confined: {@link Incoming} (what we receive: latching, statistics,
 * DTMF, decoded audio to whoever listens, relay to the bridged partner), {@link Outgoing} (what we send:
 * {@link Playback}, {@link Announcement}, {@link DtmfSender}, relayed packets, all through one
 * {@link SendStream}, our SSRC and sequence/timestamp space), {@link Capture}, {@link RtcpSession},
 * {@link SilenceWatch} (the media timeout) and {@link SdpNegotiation}.
 *
 * <p><b>Seams.</b> Packets leave and arrive only through a {@link PacketTransport} (plain UDP today;
 * SRTP/DTLS-SRTP/ICE-lite is another transport). Audio is turned into 8 kHz PCM at one place on the
 * way in ({@code Incoming.onAudio}) and out of it at the few places that make our own frames
 * ({@code Outgoing}, {@code DtmfSender}): G.711 there today, a per-leg
 * {@link io.kinline.media.codec.FrameCodec} (Opus) next.
 *
 * <p><b>Threading.</b> Everything after construction that touches packets, playback, relay or
 * statistics runs on {@link #eventLoop()}; public methods hand work over with {@code loop.execute}. The
 * negotiated session is an immutable {@link Negotiated} published through a volatile field so that SDP
 * work can run on the caller's thread and answer synchronously.
 */
public final class RtpEndpoint implements MediaEndpoint {

    private static final Logger log = LoggerFactory.getLogger(RtpEndpoint.class);

    private final NettyMediaEngine engine;
    private final String callId;
    private final String leg;
    private final MediaListener listener;
    private final EventLoop loop;
    private final LongSupplier clock;
    private final int port;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SdpNegotiation sdp; // guarded by "this"
    private volatile Negotiated session;

    // ---- loop-confined below ----
    private final Outgoing out;
    private final RtcpSession rtcp;
    private final SilenceWatch silence;
    private final Capture capture;
    private final RtpReceiverStats rxStats = new RtpReceiverStats(Codec.SAMPLE_RATE);
    private final Incoming in;
    private PacketTransport transport;
    private PacketTransport plainTransport; // the UDP pair under an SRTP transport
    // This endpoint, or the SRTP transport in front of it (SDES or WebRTC); set on the loop.
    private volatile PacketReceiver inbound;
    private volatile SdesPacketTransport sdes; // set on the loop; read by secureMedia()
    private volatile SdesPolicy sdesPolicy = SdesPolicy.OFF;
    private WebRtcLeg webrtc; // guarded by "this": set by the first WebRTC answer
    private int tickCount;
    private volatile RtpStatistics lastStats = RtpStatistics.EMPTY;

    RtpEndpoint(NettyMediaEngine engine, String callId, String leg, MediaListener listener, EventLoop loop, int port,
            InetSocketAddress localAddress) {
        this.engine = engine;
        this.callId = callId;
        this.leg = leg;
        this.listener = listener;
        this.loop = loop;
        this.clock = engine.clock();
        this.port = port;
        this.localAddress = localAddress;
        this.sdp = new SdpNegotiation(engine.config(), port);
        long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
        this.out = new Outgoing(new SendStream(ssrc, engine.counters()), this::emit);
        this.rtcp = new RtcpSession(out.stream(), rxStats, leg + "-" + Long.toHexString(ssrc) + "@kinline",
                engine.config().rtcpInterval());
        this.silence = new SilenceWatch(engine.config().mediaTimeout().toNanos());
        this.capture = new Capture(callId, engine.blockingIo(), event -> execute0(() -> emit(event)));
        DtmfReceiver dtmf = new DtmfReceiver(new DtmfReceiver.Listener() {
            @Override
            public void onDigit(char digit, DigitSource source, long rtpTimestamp) {
                ThreeWayMonitor tw = in.threeWay;
                if (tw != null) {
                    tw.digit(digit, source == DigitSource.RFC4733);
                }
                onDigitReceived(digit, source);
            }

            @Override
            public void onHookFlash(long rtpTimestamp) {
                ThreeWayMonitor tw = in.threeWay;
                if (tw != null) {
                    tw.hookFlash();
                }
                emit(new MediaEvent.HookFlash(System.currentTimeMillis()));
            }
        }, true);
        this.in = new Incoming(this, rxStats, dtmf, capture, silence, rtcp);
        this.inbound = plainReceiver();
        in.inbandDtmf = engine.config().inbandDtmf();
    }

    /** Where this endpoint's packets go and come from; set once, before the first packet. */
    void transport(PacketTransport t) {
        if (plainTransport == null) {
            plainTransport = t;
        }
        this.transport = t;
        out.stream().transport(t);
    }

    /** What the transport hands received packets to: a WebRTC transport, once one sits in front. */
    PacketReceiver receiver() {
        return new PacketReceiver() {
            @Override
            public void onRtp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
                inbound.onRtp(packet, from, nowNanos);
            }

            @Override
            public void onRtcp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
                inbound.onRtcp(packet, from, nowNanos);
            }
        };
    }

    /** This endpoint's own plain-RTP receiver: what an SRTP transport hands unprotected packets to. */
    private PacketReceiver plainReceiver() {
        return new PacketReceiver() {
            @Override
            public void onRtp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
                RtpEndpoint.this.onRtp(packet, from, nowNanos);
            }

            @Override
            public void onRtcp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
                RtpEndpoint.this.onRtcp(packet, from, nowNanos);
            }
        };
    }

    /** Puts SRTP with these keys under the endpoint (again on a re-key), before the answer leaves. */
    private void installSdes(io.kinline.media.srtp.SdesCrypto.Answer keys) {
        execute0(() -> {
            SdesPacketTransport s = new SdesPacketTransport(plainTransport, plainReceiver(), keys.local().sender(),
                    keys.remote().receiver());
            sdes = s;
            inbound = s;
            transport = s;
            out.stream().transport(s);
        });
    }

    @Override
    public void sdesPolicy(SdesPolicy policy) {
        this.sdesPolicy = policy == null ? SdesPolicy.OFF : policy;
    }

    @Override
    public String secureMedia() {
        SdesPacketTransport s = sdes;
        return s == null ? null : s.toString();
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
        return out.stream().ssrc();
    }

    /** {@inheritDoc} The default is {@link io.kinline.media.MediaConfig#inbandDtmf()}. */
    @Override
    public void inbandDtmf(boolean on) {
        in.inbandDtmf = on;
    }

    /** {@inheritDoc} */
    @Override
    public void threeWayDetection(boolean on) {
        execute(() -> {
            if (on && in.threeWay == null) {
                in.threeWay = new ThreeWayMonitor(this::emit, System::currentTimeMillis);
            } else if (!on && in.threeWay != null) {
                ThreeWayMonitor m = in.threeWay;
                in.threeWay = null;
                m.stop();
            }
        });
    }

    /** Whether a prompt or an announcement is going out to this leg now; event loop only. */
    boolean speaking() {
        return out.speaking();
    }

    @Override
    public synchronized String createOffer() {
        return sdp.offer();
    }

    @Override
    public synchronized String answer(String remoteOffer) throws SdpException {
        SecureMediaAttributes secure = secureAttributes(remoteOffer);
        if (secure != null && secure.dtls()) {
            return answerWebRtc(remoteOffer, secure);
        }
        if (webrtc != null) {
            throw SdpException.noCommonCodec("a WebRTC leg cannot fall back to plain RTP or SDES");
        }
        SdesNegotiation.Secured secured = SdesNegotiation.of(remoteOffer, sdesPolicy);
        SessionDescriptions.Answer a = sdp.answer(secured == null ? remoteOffer : secured.plainOffer());
        publish(a.negotiated());
        if (secured == null) {
            return a.sdp();
        }
        installSdes(secured.keys());
        return secured.answer(a.sdp());
    }

    private static SecureMediaAttributes secureAttributes(String offer) {
        try {
            return SecureMediaAttributes.parse(offer);
        } catch (SdpException e) {
            return null; // the plain path says what is wrong with it
        }
    }

    /**
     * Answers a WebRTC offer (ICE-lite, DTLS-SRTP, RTCP-mux; Opus or G.711): the first answer puts a
     * {@link WebRtcTransport} in front of this endpoint and starts the DTLS handshake; later ones
     * (hold, resume) keep both.
     */
    private String answerWebRtc(String remoteOffer, SecureMediaAttributes secure) throws SdpException {
        WebRtcLeg leg = webrtc;
        if (leg == null) {
            leg = WebRtcLeg.fromOffer(secure, engine.dtlsCertificate(), localAddress);
        } else {
            leg.checkReoffer(secure);
        }
        WebRtcSessions.Answer a = sdp.answerWebRtc(remoteOffer, leg.secure);
        if (leg.wire != null && !leg.wire.equals(a.wire())) {
            throw SdpException.noCommonCodec("a codec change on a WebRTC leg in progress is not supported");
        }
        if (webrtc == null) {
            WebRtcLeg first = leg;
            first.wire = a.wire();
            UdpPacketTransport udp = (UdpPacketTransport) plainTransport;
            first.transport = new WebRtcTransport(udp, plainReceiver(), first.ice, WebRtcLeg.translation(a.wire()), clock,
                    callId);
            webrtc = first;
            // Before the negotiated session is published: from now on no plain packet reaches the rooms (a
            // stranger spraying RTP at the port before the handshake must not be heard). The transport is
            // complete here; it is used only on the loop.
            inbound = first.transport;
            execute(() -> {
                transport(first.transport);
                first.transport.startDtls(first.setup.role(), engine.dtlsCertificate(), first.peerFingerprints, loop,
                        err -> {
                            CallMdc.run(callId, () -> log.warn("{}: DTLS-SRTP failed, no media: {}", this, err.toString()));
                            emit(new MediaEvent.MediaTimeout(0));
                        });
            });
        }
        publish(a.negotiated());
        return a.sdp();
    }

    @Override
    public synchronized void applyAnswer(String remoteAnswer) throws SdpException {
        publish(sdp.applyAnswer(remoteAnswer));
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
        execute(() -> {
            if (!closed.get()) {
                out.play(p, bargeIn);
            }
        });
    }

    @Override
    public void stopPlayback() {
        execute(out::stopPlayback);
    }

    @Override
    public void sendDtmf(char digit, int durationMillis) {
        int event = Rfc4733.eventFor(digit);
        if (event < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        int ms = Math.max(40, Math.min(durationMillis, 5000));
        execute(() -> {
            Negotiated s = session;
            if (!closed.get() && s != null) {
                out.sendDtmf(digit, event, ms, s.sendTelephoneEventPt() >= 0);
            }
        });
    }

    @Override
    public void startCapture(Path wavFile, int maxMillis) {
        int ms = Math.max(1, Math.min(maxMillis, Capture.MAX_MILLIS));
        execute(() -> capture.start(wavFile, ms, clock.getAsLong()));
    }

    @Override
    public void stopCapture() {
        execute(capture::finish);
    }

    /**
     * Hands every decoded frame this leg receives to {@code listener} (null stops), apart from what a
     * bridge records or monitors: the ears of a built-in phone, or a detector that watches one leg.
     * Called on the event loop; it must not block and must copy what it keeps.
     */
    public void listen(AudioTap listener) {
        in.ears = listener;
    }

    @Override
    public RtpStatistics statistics() {
        if (loop.inEventLoop()) {
            return computeStatistics();
        }
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
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
        return in.droppedForeign();
    }

    /** The peer's last report block about our stream, or null. */
    public Rtcp.ReportBlock remoteReport() {
        return rtcp.remoteReport();
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
            RtpEndpoint p = in.partner;
            if (p != null) {
                p.in.partner = null;
            }
            in.partner = null;
            in.tap = null;
            in.ears = null;
            in.threeWay = null;
            out.clear();
            capture.finish();
            engine.counters().legEnded(rxStats);
            engine.unregister(this);
            if (transport != null) {
                transport.close();
            }
            if (sdes != null) {
                CallMdc.run(callId, () -> log.info("{} {}: {}", callId, leg, sdes));
            }
            engine.released(this, port);
        });
    }

    @Override
    public String toString() {
        return "RtpEndpoint[" + callId + "/" + leg + " " + localAddress + "]";
    }

    // ---- for the bridge, beside us in this package ----

    /** Relays what this endpoint receives to {@code to} (null stops), tapping decoded audio into {@code audioTap}. */
    void relayTo(RtpEndpoint to, AudioTap audioTap) {
        execute(() -> {
            in.partner = to;
            in.tap = audioTap;
        });
    }

    /** Sets or clears only the audio tap (recording or monitoring start/stop on a live bridge). */
    void tap(AudioTap audioTap) {
        execute(() -> in.tap = audioTap);
    }

    /** Mixes {@code overlayPcm} into what this endpoint sends; {@code notify}: raise PlaybackDone when it ends. */
    void announce(short[] overlayPcm, boolean notify) {
        execute(() -> out.announce(overlayPcm, notify));
    }

    /** Stops an announcement (bridge closed). */
    void stopAnnouncement() {
        execute(out::stopAnnouncement);
    }

    // =====================================================================================
    // Negotiation applied on the loop
    // =====================================================================================

    private void publish(Negotiated n) {
        Negotiated old = session;
        session = n;
        execute(() -> applySession(old, n));
    }

    private void applySession(Negotiated old, Negotiated n) {
        long now = clock.getAsLong();
        boolean addressChanged = old == null || n.remoteRtp() == null || !n.remoteRtp().equals(old.remoteRtp());
        if (addressChanged) {
            in.remote(n.remoteRtp());
            rtcp.remote(n.remoteRtcp());
        }
        if (n.receiving() && (old == null || !old.receiving() || old.localDirection() != n.localDirection())) {
            silence.activeFrom(now);
        }
        if (old == null) {
            rtcp.start(now);
        }
        if (old != null && old.codec() != n.codec()) {
            out.stream().newTalkSpurt(); // the next packet starts a new talk spurt in the new codec
        }
    }

    // =====================================================================================
    // Packets, on the loop
    // =====================================================================================

    private void onRtp(ByteBuf buf, InetSocketAddress from, long now) {
        if (!closed.get()) {
            in.onRtp(session, buf, from, now);
        }
    }

    private void onRtcp(ByteBuf buf, InetSocketAddress from, long now) {
        if (!closed.get()) {
            in.onRtcp(buf, from, now);
        }
    }

    /** The engine's totals (packets, loss, jitter), bumped on this endpoint's loop. */
    MediaCounters counters() {
        return engine.counters();
    }

    /** The engine's clock, for a packet handed over from another loop. */
    long now() {
        return clock.getAsLong();
    }

    /** Relays a packet received by the partner endpoint out of this one, rewriting it in place. */
    void relayOut(RtpPacket p, boolean event, Codec inCodec, long now) {
        Negotiated s = session;
        InetSocketAddress to = in.sendTo();
        if (!closed.get() && s != null && s.sending() && to != null) {
            out.relay(s, p, event, inCodec, now, to);
        }
    }

    private void onDigitReceived(char digit, DigitSource source) {
        emit(new MediaEvent.Digit(digit, source, System.currentTimeMillis()));
        out.onDigit();
    }

    // =====================================================================================
    // The tick (every 10 ms from the loop's shared ticker): what this leg sends
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
        long silentMillis = silence.check(s, now);
        if (silentMillis >= 0) {
            emit(new MediaEvent.MediaTimeout(silentMillis));
        }
        capture.expire(now);
        if (rtcp.due(now)) {
            emit(new MediaEvent.Statistics(computeStatistics()));
            rtcp.report(s, now);
        }
        int frameMs = s.sendPtimeMillis();
        if (tickCount % (frameMs / 10) == 0) {
            out.frame(s, frameMs * 8, now, in.sendTo());
        }
    }

    private RtpStatistics computeStatistics() {
        RtpStatistics st = new RtpStatistics(rxStats.received(), out.stream().packetsSent(), Math.max(0, rxStats.lost()),
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
                CallMdc.run(callId, () -> log.warn("{}: {}", this, e.toString(), e));
            }
        };
        if (loop.inEventLoop()) {
            guarded.run();
        } else {
            try {
                loop.execute(guarded);
            } catch (RejectedExecutionException e) {
                log.debug("{}: event loop shut down", this);
            }
        }
    }

    void emit(MediaEvent event) {
        CallMdc.run(callId, () -> {
            try {
                listener.onEvent(this, event);
            } catch (RuntimeException e) {
                log.warn("{}: listener failed on {}: {}", this, event, e.toString(), e);
            }
        });
    }
}
