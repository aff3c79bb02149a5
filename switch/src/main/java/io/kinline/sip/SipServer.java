package io.kinline.sip;

import io.kinline.sip.core.SipCore;
import io.kinline.sip.transport.Inbound;
import io.kinline.sip.transport.NettyTransports;
import io.kinline.sip.transport.TcpTransport;
import io.kinline.sip.transport.TlsContexts;
import io.kinline.sip.transport.UdpTransport;
import io.kinline.sip.transport.WebSocketTransport;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SIP signalling core of Kinline: UDP/TCP/TLS/WebSocket transports on Netty (epoll when available), RFC 3261/6026
 * transactions, dialogs with RFC 4028 session timers, gateway admission and overload control.
 *
 * <pre>{@code
 * SipServer sip = new SipServer(SipConfig.builder().udpPort(5060).tcpPort(5060)
 *         .trunk(new InetSocketAddress("10.1.1.1", 5060)).build(), call -> { ... });
 * sip.start();
 * OutboundCall out = sip.placeCall(OutboundCallRequest.of("+15551234567", sdp), outListener, dialogListener);
 * }</pre>
 *
 * Threading: all transaction and dialog state is owned by one event loop. Handlers and listeners are called on it
 * and must not block; every API method may be called from any thread (it hops onto that loop).
 */
public final class SipServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);

    private final SipConfig config;
    private final SipMetrics metrics = new SipMetrics();
    private final EventLoopGroup group;
    private final EventLoop coreLoop;
    private final SipCore core;
    private UdpTransport udp;
    private TcpTransport tcp;
    private TcpTransport tls;
    private WebSocketTransport wss;
    private WebSocketTransport ws;
    private boolean started;

    public SipServer(SipConfig config, InboundCallHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.group = NettyTransports.newGroup(config.ioThreads() > 0 ? config.ioThreads() : 2, "kinline-sip");
        this.coreLoop = group.next();
        this.core = new SipCore(config, metrics, coreLoop, handler);
    }

    /** Binds the configured listeners; returns the bound addresses (UDP first). */
    public synchronized List<InetSocketAddress> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        Inbound inbound = new Inbound(metrics, core);
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            if (config.udpPort() >= 0) {
                udp = new UdpTransport(config, inbound);
                bound.add(udp.bind(group, new InetSocketAddress(config.bindAddress(), config.udpPort())));
                core.addTransport(udp);
            }
            if (config.tcpPort() >= 0) {
                tcp = new TcpTransport(config, inbound);
                int port = config.tcpPort() == 0 && udp != null ? udp.localAddress().getPort() : config.tcpPort();
                try {
                    bound.add(tcp.bind(group, new InetSocketAddress(config.bindAddress(), port)));
                } catch (Exception e) {
                    if (config.tcpPort() != 0) {
                        throw e;
                    }
                    tcp = new TcpTransport(config, inbound); // the UDP port is taken for TCP: any port will do
                    bound.add(tcp.bind(group, new InetSocketAddress(config.bindAddress(), 0)));
                }
                core.addTransport(tcp);
            }
            startSecure(inbound, bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot bind SIP listeners: " + e.getMessage(), e);
        }
        LOG.info("SIP listening on {} ({})", listeners(), NettyTransports.epoll() ? "epoll" : "nio");
        return bound;
    }

    private void startSecure(Inbound inbound, List<InetSocketAddress> bound) throws InterruptedException {
        SecureTransports s = config.secure();
        SslContext ctx = s.tlsPort() >= 0 || s.wssPort() >= 0 ? TlsContexts.server(s.certificate(), s.privateKey())
                : null;
        if (s.tlsPort() >= 0) {
            tls = new TcpTransport(config, inbound, ctx);
            bound.add(bindDerived("TLS", s.tlsPort(), s.portsDerived(), a -> tls.bind(group, a)));
            core.addTransport(tls);
        }
        if (s.wssPort() >= 0) {
            wss = new WebSocketTransport(config, inbound, ctx);
            bound.add(bindDerived("WSS", s.wssPort(), s.portsDerived(), a -> wss.bind(group, a)));
            core.addTransport(wss);
        }
        if (s.wsPort() >= 0) {
            ws = new WebSocketTransport(config, inbound, null);
            bound.add(ws.bind(group, new InetSocketAddress(config.bindAddress(), s.wsPort())));
            core.addTransport(ws);
        }
    }

    private interface Binder {
        InetSocketAddress bind(InetSocketAddress a) throws InterruptedException;
    }

    /** Binds {@code port}; a derived (unconfigured) port that is taken gives way to a free one. */
    private InetSocketAddress bindDerived(String what, int port, boolean derived, Binder b) throws InterruptedException {
        try {
            return b.bind(new InetSocketAddress(config.bindAddress(), port));
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked-style
            if (!derived || port == 0 || e instanceof InterruptedException) {
                throw e;
            }
            InetSocketAddress a = b.bind(new InetSocketAddress(config.bindAddress(), 0));
            LOG.warn("SIP {} port {} is taken: listening on {} instead (set it to choose)", what, port, a.getPort());
            return a;
        }
    }

    /** "UDP 127.0.0.1:5060, TCP 127.0.0.1:5060": which listener is which, for the startup log. */
    private String listeners() {
        List<String> out = new ArrayList<>();
        if (udp != null) {
            out.add("UDP " + udp.localAddress().getHostString() + ":" + udp.localAddress().getPort());
        }
        if (tcp != null) {
            out.add("TCP " + tcp.localAddress().getHostString() + ":" + tcp.localAddress().getPort());
        }
        for (var t : new io.kinline.sip.transport.Transport[] {tls, wss, ws}) {
            if (t != null) {
                out.add(t.name().toUpperCase(java.util.Locale.ROOT) + " " + t.localAddress().getHostString() + ":"
                        + t.localAddress().getPort());
            }
        }
        return out.isEmpty() ? "nothing" : String.join(", ", out);
    }

    /** UDP listener address, or null. */
    public InetSocketAddress udpAddress() {
        return udp == null ? null : udp.localAddress();
    }

    /** TCP listener address, or null. */
    public InetSocketAddress tcpAddress() {
        return tcp == null ? null : tcp.localAddress();
    }

    /** Stations with their own digest credential (tablets); answered from memory on the SIP loop. */
    public void stationDigests(StationDigests digests) {
        core.stationDigests(digests);
    }

    /** SIP over TLS listener address, or null. */
    public InetSocketAddress tlsAddress() {
        return tls == null ? null : tls.localAddress();
    }

    /** SIP over secure WebSocket listener address, or null. */
    public InetSocketAddress wssAddress() {
        return wss == null ? null : wss.localAddress();
    }

    /** SIP over plain WebSocket listener address (loopback, tests), or null. */
    public InetSocketAddress wsAddress() {
        return ws == null ? null : ws.localAddress();
    }

    public SipConfig config() {
        return config;
    }

    public SipMetrics metrics() {
        return metrics;
    }

    /** What else, beyond calls and call rate, may shed a new INVITE with 503 (null: nothing). Any time. */
    public void admissionGuard(AdmissionGuard guard) {
        core.admissionGuard(guard);
    }

    /** Replaces the inbound call handler (null → new INVITEs get 480). */
    public void setInboundCallHandler(InboundCallHandler handler) {
        core.setHandler(handler);
    }

    /**
     * Places a call to the configured trunk. Returns at once; progress goes to {@code listener}, the events of
     * the resulting dialog to {@code dialogListener}.
     */
    public OutboundCall placeCall(OutboundCallRequest request, OutboundCallListener listener,
                                  DialogListener dialogListener) {
        return core.placeCall(request, Objects.requireNonNull(listener), dialogListener);
    }

    /** Live transactions (snapshot from the owning loop). */
    public int transactionCount() {
        return onLoop(() -> core.transactions().size());
    }

    /** Live dialogs (snapshot from the owning loop). */
    public int dialogCount() {
        return onLoop(core::dialogCount);
    }

    private int onLoop(java.util.concurrent.Callable<Integer> c) {
        try {
            return coreLoop.submit(c).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends BYE on every dialog, closes listeners and stops the event loops. */
    @Override
    public synchronized void close() {
        try {
            coreLoop.submit(core::shutdown).get(5, TimeUnit.SECONDS);
            Thread.sleep(50); // let the BYEs reach the wire
        } catch (Exception e) {
            LOG.debug("shutdown of dialogs failed", e);
        }
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (wss != null) {
            wss.close();
        }
        if (ws != null) {
            ws.close();
        }
        try {
            coreLoop.submit(() -> core.transactions().clear()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("clearing transactions failed", e);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
