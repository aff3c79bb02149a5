package io.kinline.media.rtp;

import io.kinline.media.Bridge;
import io.kinline.media.MediaConfig;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEngine;
import io.kinline.media.MediaException;
import io.kinline.media.MediaListener;
import io.kinline.media.MediaLoad;
import io.kinline.media.dtls.DtlsCertificate;
import io.kinline.media.prompt.PromptLibrary;
import io.kinline.media.record.RecordingFormat;
import io.kinline.media.record.RecordingWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MediaEngine} on Netty UDP: epoll when available, else NIO.
 *
 * <p>Both endpoints of a call are pinned to the same event loop (chosen by the call ID's hash), so
 * relaying between them is a method call on the loop that received the packet, with no thread hop
 * and no queue. Each loop has one {@link Ticker} (every 10 ms) that drives playback, DTMF sending,
 * announcements, RTCP and media timeouts of all its endpoints: one timer for hundreds of calls.
 */
public final class NettyMediaEngine implements MediaEngine {

    private volatile DtlsCertificate dtlsCertificate;

    private static final Logger log = LoggerFactory.getLogger(NettyMediaEngine.class);
    static final long TICK_MILLIS = 10;

    private final MediaConfig config;
    private final PromptLibrary prompts;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Class<? extends DatagramChannel> channelClass;
    private final EventLoop[] loops;
    private final PortAllocator ports;
    private final RecordingWriter recordingWriter;
    private final MediaCounters counters = new MediaCounters();
    private volatile RecordingFormat recordingFormat = RecordingFormat.WAV;
    private final ExecutorService blockingIo;
    private final Set<RtpEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final Map<EventLoop, Ticker> tickers = new IdentityHashMap<>();
    private final LoopLagProbe[] probes;
    private final MediaLoad load;
    private final AtomicInteger open = new AtomicInteger();
    private final LongSupplier clock;
    private final boolean ticking;
    private volatile boolean closed;

    private NettyMediaEngine(MediaConfig config, PromptLibrary prompts, EventLoopGroup shared, LongSupplier clock,
            boolean ticking) {
        this.config = Objects.requireNonNull(config, "config");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticking = ticking;
        if (shared == null) {
            int threads = config.eventLoopThreads() > 0 ? config.eventLoopThreads()
                    : Runtime.getRuntime().availableProcessors();
            boolean epoll = Epoll.isAvailable();
            this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("kinline-rtp", true),
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            this.ownGroup = true;
        } else {
            this.group = shared;
            this.ownGroup = false;
        }
        List<EventLoop> l = new ArrayList<>();
        for (EventExecutor e : group) {
            l.add((EventLoop) e);
        }
        this.loops = l.toArray(new EventLoop[0]);
        boolean epollLoop = loops[0] instanceof IoEventLoop iel && iel.isIoType(EpollIoHandler.class);
        this.channelClass = epollLoop ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.ports = PortAllocator.startingAnywhere(config.portMin(), config.portMax());
        this.recordingWriter = new RecordingWriter(config.recordingThreads());
        this.blockingIo = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kinline-media-io-", 0).factory());
        for (EventLoop loop : loops) {
            tickers.put(loop, new Ticker(loop));
        }
        this.probes = new LoopLagProbe[loops.length];
        for (int i = 0; i < loops.length; i++) {
            probes[i] = LoopLagProbe.start(loops[i]);
        }
        this.load = LoopLagProbe.load(probes, recordingWriter);
        log.info("media engine: {} event loops ({}), ports {}-{}, advertised {}", loops.length,
                epollLoop ? "epoll" : "nio", config.portMin(), config.portMax(), config.advertisedAddress());
    }

    /** An engine with its own event loop group (one thread per core unless configured). */
    public static NettyMediaEngine create(MediaConfig config, PromptLibrary prompts) {
        return new NettyMediaEngine(config, prompts, null, System::nanoTime, true);
    }

    /** An engine on the caller's event loop group (epoll or NIO; the engine matches the channel type). */
    public static NettyMediaEngine create(MediaConfig config, PromptLibrary prompts, EventLoopGroup group) {
        return new NettyMediaEngine(config, prompts, Objects.requireNonNull(group, "group"), System::nanoTime, true);
    }

    /**
     * An engine whose time is {@code clock} (nanoseconds) and whose endpoints tick only when
     * {@link #tick()} is called: tests drive playback, DTMF, RTCP and media timeouts with it instead of
     * sleeping.
     */
    static NettyMediaEngine withClock(MediaConfig config, PromptLibrary prompts, LongSupplier clock) {
        return new NettyMediaEngine(config, prompts, null, clock, false);
    }

    /** The engine's time in nanoseconds: what packets are stamped with and endpoints tick at. */
    LongSupplier clock() {
        return clock;
    }

    /** Waits until every loop has run the tasks handed to it so far (at the clock's current time). */
    void settle() {
        for (EventLoop loop : loops) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
    }

    /** Ticks every endpoint once at the clock's time, on its own loop, and waits until all have ticked. */
    void tick() {
        for (Ticker t : tickers.values()) {
            t.loop.submit(t).syncUninterruptibly();
        }
    }

    public MediaConfig config() {
        return config;
    }

    /** Packets, loss and jitter across all endpoints (for metrics). */
    public MediaCounters counters() {
        return counters;
    }

    public RecordingWriter recordingWriter() {
        return recordingWriter;
    }

    /** How far behind real time the event loops and the recording writer are (overload control reads it). */
    public MediaLoad load() {
        return load;
    }

    /** How call recordings are stored (plain WAV unless the switch configured encryption at rest). */
    public RecordingFormat recordingFormat() {
        return recordingFormat;
    }

    /** Sets how new call recordings are stored; recordings already open keep their format. */
    public void recordingFormat(RecordingFormat format) {
        this.recordingFormat = Objects.requireNonNull(format, "format");
    }

    ExecutorService blockingIo() {
        return blockingIo;
    }

    /**
     * The DTLS certificate of every WebRTC leg (RFC 8827 §6.5 allows one per endpoint; browsers make
     * one per connection, a server need not): generated at the first WebRTC call, a few milliseconds.
     */
    DtlsCertificate dtlsCertificate() {
        DtlsCertificate c = dtlsCertificate;
        if (c == null) {
            synchronized (this) {
                c = dtlsCertificate;
                if (c == null) {
                    c = DtlsCertificate.generate();
                    dtlsCertificate = c;
                }
            }
        }
        return c;
    }

    /** The event loop a call's endpoints live on. */
    public EventLoop loopFor(String callId) {
        return loops[Math.floorMod(callId.hashCode(), loops.length)];
    }

    /**
     * {@inheritDoc}
     *
     * <p>Binds sockets synchronously: call from a call thread, never from an event loop.
     */
    @Override
    public MediaEndpoint createEndpoint(String callId, String leg, MediaListener listener) throws MediaException {
        if (closed) {
            throw new MediaException("media engine closed");
        }
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(listener, "listener");
        EventLoop loop = loopFor(callId);
        int attempts = ports.capacity();
        for (int i = 0; i < attempts; i++) {
            int port = ports.allocate();
            if (port < 0) {
                break;
            }
            InetSocketAddress local = new InetSocketAddress(config.bindAddress(), port);
            RtpEndpoint ep = new RtpEndpoint(this, callId, leg, listener, loop,
                    port, new InetSocketAddress(config.advertisedAddress(), port));
            PacketReceiver receiver = ep.receiver();
            Channel rtp = bind(loop, local, UdpPacketTransport.handler(receiver, clock, true, port));
            if (rtp == null) {
                ports.release(port);
                continue;
            }
            Channel rtcp = bind(loop, new InetSocketAddress(config.bindAddress(), port + 1),
                    UdpPacketTransport.handler(receiver, clock, false, port + 1));
            if (rtcp == null) {
                rtp.close().syncUninterruptibly();
                ports.release(port);
                continue;
            }
            ep.transport(new UdpPacketTransport(rtp, rtcp));
            endpoints.add(ep);
            open.incrementAndGet();
            Ticker t = tickers.get(loop);
            loop.execute(() -> t.add(ep));
            return ep;
        }
        throw new MediaException("no free RTP port pair in " + config.portMin() + "-" + config.portMax());
    }

    private Channel bind(EventLoop loop, InetSocketAddress addr, ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048))
                .option(ChannelOption.SO_RCVBUF, 256 * 1024)
                .handler(handler);
        ChannelFuture f = b.bind(addr).awaitUninterruptibly();
        if (!f.isSuccess()) {
            log.debug("cannot bind {}: {}", addr, String.valueOf(f.cause()));
            return null;
        }
        return f.channel();
    }

    @Override
    public Bridge bridge(MediaEndpoint inmateSide, MediaEndpoint calledSide) {
        if (!(inmateSide instanceof RtpEndpoint a) || !(calledSide instanceof RtpEndpoint b)) {
            throw new IllegalArgumentException("endpoints of another engine");
        }
        if (a == b) {
            throw new IllegalArgumentException("cannot bridge an endpoint to itself");
        }
        return new RelayBridge(prompts, recordingWriter, recordingFormat, a, b);
    }

    @Override
    public PromptLibrary prompts() {
        return prompts;
    }

    @Override
    public int openEndpoints() {
        return open.get();
    }

    /** Port pairs currently reserved (released once both sockets have closed). */
    /**
     * Where the RTP port round robin goes on: a node restarted after a crash continues past the ports its
     * previous run was using, whose phones may still be streaming to them. Call before the first endpoint.
     */
    public void continuePortsAt(int port, int skipPairs) {
        ports.continueAt(port, skipPairs);
    }

    /** The RTP port the round robin tries next (to save for {@link #continuePortsAt} after a restart). */
    public int nextPort() {
        return ports.nextPort();
    }

    /** How many RTP port pairs the range holds. */
    public int portPairs() {
        return ports.capacity();
    }

    public int portsInUse() {
        return ports.inUse();
    }

    void unregister(RtpEndpoint ep) {
        Ticker t = tickers.get(ep.eventLoop());
        if (t != null) {
            t.remove(ep);
        }
    }

    /** Called on the loop when an endpoint closes its channels. */
    void released(RtpEndpoint ep, int port) {
        if (endpoints.remove(ep)) {
            open.decrementAndGet();
        }
        ports.release(port);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RtpEndpoint ep : endpoints.toArray(new RtpEndpoint[0])) {
            ep.close();
        }
        for (Ticker t : tickers.values()) {
            t.loop.execute(t::stop);
        }
        for (LoopLagProbe p : probes) {
            p.stop();
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        } else {
            // Let queued close tasks run on the shared loops before tearing down the rest.
            for (EventLoop loop : loops) {
                loop.submit(() -> { }).awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        blockingIo.shutdown();
        try {
            blockingIo.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recordingWriter.close();
    }

    /** One per event loop: ticks every endpoint on that loop every {@link #TICK_MILLIS} ms. */
    private final class Ticker implements Runnable {
        final EventLoop loop;
        RtpEndpoint[] eps = new RtpEndpoint[0];
        ScheduledFuture<?> future;

        Ticker(EventLoop loop) {
            this.loop = loop;
        }

        void add(RtpEndpoint ep) {
            eps = Arrays.copyOf(eps, eps.length + 1);
            eps[eps.length - 1] = ep;
            if (future == null && ticking) {
                future = loop.scheduleAtFixedRate(this, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        void remove(RtpEndpoint ep) {
            for (int i = 0; i < eps.length; i++) {
                if (eps[i] == ep) {
                    RtpEndpoint[] n = new RtpEndpoint[eps.length - 1];
                    System.arraycopy(eps, 0, n, 0, i);
                    System.arraycopy(eps, i + 1, n, i, eps.length - i - 1);
                    eps = n;
                    return;
                }
            }
        }

        void stop() {
            if (future != null) {
                future.cancel(false);
                future = null;
            }
        }

        @Override
        public void run() {
            long now = clock.getAsLong();
            RtpEndpoint[] snapshot = eps; // copy-on-write: endpoints may close during their tick
            for (RtpEndpoint ep : snapshot) {
                try {
                    ep.tick(now);
                } catch (RuntimeException e) {
                    log.warn("tick failed for {}: {}", ep, e.toString(), e);
                }
            }
        }
    }
}
