package io.kinline;

import io.kinline.admin.AdminBootstrap;
import io.kinline.admin.AdminConfig;
import io.kinline.admin.AdminServer;
import io.kinline.billing.Billing;
import io.kinline.billing.ReconcileReport;
import io.kinline.call.B2bua;
import io.kinline.call.LiveMonitor;
import io.kinline.config.KinlineConfig;
import io.kinline.evidence.Evidence;
import io.kinline.evidence.EvidenceRecordings;
import io.kinline.media.MediaConfig;
import io.kinline.media.prompt.FilePromptLibrary;
import io.kinline.media.prompt.PromptLibrary;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.sip.SecureTransports;
import io.kinline.sip.SipConfig;
import io.kinline.sip.SipServer;
import io.kinline.store.DemoData;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kinline node: store, billing, prompts, media engine, SIP server, B2BUA and admin API, started
 * in dependency order and closed in reverse.
 */
public final class KinlineSwitch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KinlineSwitch.class);

    private final KinlineConfig config;
    private final Path dataDir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private Store store;
    private io.kinline.cluster.NodeIdentity identity;
    private io.kinline.cluster.ClusterNodes nodes;
    private Billing billing;
    private Evidence evidence;
    private NettyMediaEngine media;
    private SipServer sip;
    private B2bua b2bua;
    private AdminServer admin;
    private PrometheusMeterRegistry metrics;
    private InetSocketAddress sipUdp;
    private InetSocketAddress sipTcp;
    private String sipTlsFingerprint;
    private InetSocketAddress adminAddress;
    private Path adminTokenFile;

    public KinlineSwitch(KinlineConfig config) {
        this.config = config;
        this.dataDir = Path.of(config.store.dataDir).toAbsolutePath().normalize();
    }

    /** Starts everything; on failure, closes what was started and rethrows. */
    public KinlineSwitch start() {
        try {
            Path ownRecordings = DataDirectory.prepare(dataDir);
            // All nodes of a cluster record to one shared directory (store.recordingsDir), each under its own
            // id; any node serves any recording from it. Recorded names go beside the node's calls.
            Path recordings = config.store.recordingsDir == null ? ownRecordings
                    : io.kinline.media.files.PrivateFiles.directory(recordingsDir(config, dataDir));

            metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // JVM and process metrics are bound by the admin server, which owns /metrics.

            // Who this node is, before anything is written: its calls' rows carry the id, and its reconcile
            // below finishes only those (docs/DEPLOYMENT.md).
            identity = io.kinline.cluster.NodeIdentity.open(dataDir, config.cluster.nodeId);
            started.add(identity);
            // On PostgreSQL, the secrets every node shares (PIN pepper, recording keys) are the cluster's: fetched,
            // or checked, under the cluster's start-up lock, before anything reads them (docs/DEPLOYMENT.md).
            io.kinline.cluster.ClusterSecrets secrets = null;
            if (config.store.jdbcUrl != null) {
                secrets = io.kinline.cluster.ClusterSecrets.begin(storeConfig(config, dataDir),
                        config.cluster.keyFile == null ? null : Path.of(config.cluster.keyFile), identity.nodeId());
                started.add(secrets);
            }
            store = Store.open(storeConfig(config, dataDir).withNodeId(identity.nodeId()));
            started.add(store);
            io.kinline.metrics.StoreMeters storeMeters = new io.kinline.metrics.StoreMeters(store);
            started.add(storeMeters);
            storeMeters.bindTo(metrics);
            // Refused if a running node from another data directory has this id: it would reconcile our calls.
            nodes = io.kinline.cluster.ClusterNodes.register(store, identity, hostName(), config.cluster.adminUrl,
                    Clock.systemUTC());
            started.add(nodes);
            Path nodeRecordings = io.kinline.media.files.PrivateFiles.directory(recordings.resolve(identity.nodeId()));
            if (config.store.loadDemoData && config.store.jdbcUrl == null) {
                DemoData.load(store);
            }
            // Each node seals its own recordings in its own manifests (its data directory), over its own part of the
            // shared directory; the signing and encryption keys are the cluster's (ClusterSecrets).
            evidence = Evidence.open(dataDir, nodeRecordings, config.media.recording.encryption, Clock.systemUTC());
            billing = Billing.create(store);
            ReconcileReport report = billing.reconcile();
            log.info("reconciled calls left open by the last run: {}", report);
            // Records written by reconcile point at the recordings the killed calls left on disk, sealed.
            io.kinline.call.CrashRecordings.attach(store, evidence, report);

            PromptLibrary prompts = config.prompts.dir == null
                    ? FilePromptLibrary.loadFromClasspath(FilePromptLibrary.CLASSPATH_ROOT,
                            config.prompts.defaultLanguage)
                    : FilePromptLibrary.load(Path.of(config.prompts.dir), config.prompts.defaultLanguage);

            media = NettyMediaEngine.create(mediaConfig(config.media), prompts);
            media.recordingFormat(evidence.recordingFormat());
            started.add(media);
            new io.kinline.metrics.MediaMeters(media.counters(), media.recordingWriter()).bindTo(metrics);
            // After a crash, new calls get RTP ports past those the dead calls' phones may still stream to.
            started.add(RtpPortMemory.start(dataDir, media));

            sip = new SipServer(sipConfig(config.sip).toBuilder()
                    .secure(secureTransports(config.sip, dataDir.resolve("secrets"))).build(), null);
            new io.kinline.sip.SipMeters(sip.metrics()).bindTo(metrics);
            // Overload control beyond calls and CPS: new calls are shed while the media path runs late.
            io.kinline.overload.ScriptLagProbe scriptLag = io.kinline.overload.ScriptLagProbe.start();
            started.add(scriptLag);
            // Named for calls, not scripts: "script" is one of the hostile words MetricsLabelsTest keeps out.
            io.micrometer.core.instrument.Gauge.builder("kinline_call_thread_lag_seconds", scriptLag,
                    p -> p.lagMicros() / 1e6).description("Worst recent sustained lateness of the virtual threads "
                    + "that run calls (how late a sleeping call thread wakes up)").register(metrics);
            io.kinline.overload.MediaOverloadGuard overload = new io.kinline.overload.MediaOverloadGuard(media.load(),
                    config.sip.overload.maxMediaLagMillis, config.sip.overload.maxRecordingBacklogMillis,
                    scriptLag::lagMicros, config.sip.overload.maxScriptLagMillis, config.sip.overload.holdSeconds,
                    System::nanoTime);
            overload.bindTo(metrics);
            io.kinline.metrics.MediaMeters.bindLoad(media.load(), metrics);
            sip.admissionGuard(overload);
            b2bua = new B2bua(sip, media, store, billing, nodeRecordings, nodeRecordings, evidence,
                    config.sip.trunk.callerId,
                    Clock.systemUTC(), metrics)
                    .bindStations(io.kinline.call.GatewayStations.of(config.sip.gateways.stations))
                    .natGateways(io.kinline.call.GatewayNat.of(config.sip.gateways.nat))
                    .secureMedia(io.kinline.call.SecureMediaPolicy.of(
                            config.sip.gateways.srtp, config.sip.gateways.srtpPerGateway));
            // b2bua-passthrough relays signalling only (the SIP benchmark); ivr is the inmate call service.
            sip.setInboundCallHandler(KinlineConfig.MODE_PASSTHROUGH.equals(config.mode)
                    ? new io.kinline.call.SignallingRelay(sip) : b2bua);
            // Closed in reverse: the B2BUA ends the calls in progress while SIP can still carry their BYEs.
            started.add(sip);
            started.add(b2bua);
            sip.stationDigests(user -> store.stationCredentials().ha1(user).orElse(null)); // tablets
            sip.start();
            sipUdp = sip.udpAddress();
            sipTcp = sip.tcpAddress();
            sipTlsFingerprint = sip.tlsAddress() != null || sip.wssAddress() != null
                    ? io.kinline.sip.transport.TlsContexts.fingerprint(sip.config().secure().certificate()) : null;
            if (sipTlsFingerprint != null) {
                // The certificate's notAfter (Unix seconds), read at start as the listeners load it: the
                // KinlineCertificateExpiry alert fires three weeks ahead (docs/OPERATIONS.md).
                long notAfter = io.kinline.sip.transport.TlsContexts.notAfter(sip.config().secure().certificate())
                        .getEpochSecond();
                io.micrometer.core.instrument.Gauge.builder("kinline_tls_certificate_expiry_seconds", () -> notAfter)
                        .description("When the SIP TLS / WSS certificate expires (notAfter), in Unix seconds")
                        .register(metrics);
            }

            AdminConfig adminConfig = adminConfig(config.admin, dataDir, recordings);
            admin = new AdminServer(adminConfig, store, b2bua, metrics).callMonitoring(new LiveMonitor(b2bua, nodes,
                    identity.nodeId())).recordingAccess(new EvidenceRecordings(evidence))
                    .console(consoleConfig(config.admin.console))
                    .sipRealm(config.sip.gateways.realm);
            admin.addHealthCheck("sip", () -> sipUdp != null || sipTcp != null);
            adminAddress = admin.start();
            started.add(admin);
            if (config.cluster.adminUrl == null) {
                nodes.advertise(defaultAdminUrl(config.admin.bind, adminAddress));
            }
            if (secrets != null) {
                // Last: every secret this start made (the store's pepper, the recording keys) becomes the cluster's,
                // and the next node may start.
                secrets.publish();
            }
            // On every store, PostgreSQL too: a node that finds no usable admin token makes one (the first
            // node of a cluster). The run command prints the path; the token itself is never printed.
            adminTokenFile = AdminBootstrap.ensureAdminToken(store, dataDir,
                    new PrintStream(PrintStream.nullOutputStream())).orElse(null);
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The store a configuration names (embedded in {@code dataDir}, or PostgreSQL), with its pool size. */
    public static StoreConfig storeConfig(KinlineConfig config, Path dataDir) {
        StoreConfig c = config.store.jdbcUrl == null ? StoreConfig.embedded(dataDir)
                : StoreConfig.postgres(dataDir, config.store.jdbcUrl, config.store.username, storePassword(config));
        return c.withPoolSize(config.store.poolSize);
    }

    /** {@code store.password}, or the first line of {@code store.passwordFile} (a Docker secret, say). */
    static String storePassword(KinlineConfig config) {
        if (config.store.passwordFile == null) {
            return config.store.password;
        }
        try {
            return Files.readAllLines(Path.of(config.store.passwordFile)).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read store.passwordFile " + config.store.passwordFile, e);
        }
    }

    /** Where a configuration's recordings go: {@code store.recordingsDir}, else {@code <dataDir>/recordings}. */
    public static Path recordingsDir(KinlineConfig config, Path dataDir) {
        return config.store.recordingsDir == null ? dataDir.resolve("recordings")
                : Path.of(config.store.recordingsDir).toAbsolutePath().normalize();
    }

    /** The host's name for the cluster registry ($HOSTNAME first: a look-up can wait on DNS). */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code http://<bind>:<port>}, with the loopback address for a wildcard bind. */
    static String defaultAdminUrl(String bind, InetSocketAddress listening) {
        String host = bind == null || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + listening.getPort();
    }

    /** Every {@code sip.*} setting, in {@link KinlineConfig.Sip}'s order. */
    static SipConfig sipConfig(KinlineConfig.Sip s) throws UnknownHostException {
        boolean udp = s.transports.contains("udp");
        boolean tcp = s.transports.contains("tcp");
        SipConfig.Builder b = SipConfig.builder()
                .bindAddress(InetAddress.getByName(s.bind))
                .advertisedAddress(s.advertise == null ? null : InetAddress.getByName(s.advertise))
                .udpPort(udp ? s.port : -1)
                .tcpPort(tcp ? s.port : -1)
                .t1(Duration.ofMillis(s.t1Millis))
                .t2(Duration.ofMillis(s.t2Millis))
                .t4(Duration.ofMillis(s.t4Millis))
                .maxInitialLine(s.maxInitialLineBytes)
                .maxHeaderBlock(s.maxHeaderBlockBytes)
                .maxBody(s.maxBodyBytes)
                .maxConcurrentCalls(s.maxConcurrentCalls)
                .maxCallsPerSecond(s.maxCallsPerSecond)
                .retryAfterSeconds(s.retryAfterSeconds)
                .sessionExpires(s.sessionExpiresSeconds)
                .minSessionExpires(s.minSessionExpiresSeconds)
                .tcpIdleTimeout(Duration.ofSeconds(s.idleConnectionSeconds))
                .nonceValidity(Duration.ofSeconds(s.nonceValiditySeconds))
                .ioThreads(s.ioThreads)
                .maxCoreBacklog(s.maxCoreBacklog)
                .userAgent(s.userAgent)
                .gatewayAllowList(s.gateways.allow)
                .gatewayRealm(s.gateways.realm)
                .gatewayUsers(s.gateways.users)
                .trunkTransport(s.trunk.transport)
                .callerId(s.trunk.callerId);
        if (s.trunk.address != null) {
            b.trunk(hostPort(s.trunk.address, 5060));
        }
        if (s.trunk.username != null) {
            b.trunkCredentials(s.trunk.username, s.trunk.password);
        }
        return b.build();
    }

    /** {@code sip.tls} and {@code sip.websocket}; makes the self-signed certificate when none is configured. */
    static SecureTransports secureTransports(KinlineConfig.Sip s, Path secrets) throws IOException {
        boolean tls = s.transports.contains("tls");
        boolean wss = s.transports.contains("wss");
        boolean ws = s.transports.contains("ws");
        if (!tls && !wss && !ws) {
            return SecureTransports.OFF;
        }
        if (s.tls.handshakeTimeoutSeconds < 1 || s.tls.handshakeTimeoutSeconds > 300) {
            throw new IllegalArgumentException("sip.tls.handshakeTimeoutSeconds must be 1-300, not "
                    + s.tls.handshakeTimeoutSeconds);
        }
        Path cert = null;
        Path key = null;
        if (tls || wss) {
            if (s.tls.certificate != null) {
                if (s.tls.privateKey == null) {
                    throw new IllegalArgumentException("sip.tls.certificate is set: set sip.tls.privateKey too");
                }
                cert = Path.of(s.tls.certificate);
                key = Path.of(s.tls.privateKey);
            } else {
                Path[] pair = SipTlsCertificate.ensure(secrets, s.advertise);
                cert = pair[0];
                key = pair[1];
            }
        }
        int tlsPort = !tls ? -1 : s.tls.port != null ? s.tls.port : s.port == 0 ? 0 : s.port + 1;
        int wssPort = !wss ? -1 : s.websocket.port != null ? s.websocket.port : s.port == 0 ? 0 : s.port + 2;
        int wsPort = !ws ? -1 : s.websocket.plainPort != null ? s.websocket.plainPort : 0;
        return SecureTransports.of(tlsPort, wssPort, wsPort, cert, key).withLimits(
                Duration.ofSeconds(s.tls.handshakeTimeoutSeconds), s.websocket.maxFrameBytes,
                Duration.ofSeconds(s.websocket.pingSeconds))
                .withPortsDerived(s.tls.port == null && s.websocket.port == null);
    }

    static AdminConfig adminConfig(KinlineConfig.Admin a, Path dataDir, Path recordings) {
        return new AdminConfig(a.bind, a.port, dataDir, recordings, AdminConfig.DEFAULT_MAX_BODY_BYTES,
                AdminConfig.MetricsAccess.parse(a.metrics),
                new io.kinline.admin.http.HttpLimits(a.maxConnections, a.maxConnectionsPerAddress,
                        Duration.ofSeconds(a.headerTimeoutSeconds), Duration.ofSeconds(a.bodyTimeoutSeconds)),
                Duration.ofDays(a.tokenLifetimeDays),
                new AdminConfig.ListenLimits(a.maxListenersPerToken, a.maxListenersPerCall));
    }

    static io.kinline.admin.console.ConsoleConfig consoleConfig(KinlineConfig.Console c) {
        if (c.lockoutMinutes < 0 || c.lockoutMinutes > 10080 || c.idleMinutes < 1 || c.idleMinutes > 1440
                || c.maxSessionHours < 1 || c.maxSessionHours > 168) {
            throw new IllegalArgumentException("admin.console: lockoutMinutes 0-10080, idleMinutes 1-1440, "
                    + "maxSessionHours 1-168");
        }
        return new io.kinline.admin.console.ConsoleConfig(c.maxFailedSignIns, Duration.ofMinutes(c.lockoutMinutes),
                Duration.ofMinutes(c.idleMinutes), Duration.ofHours(c.maxSessionHours),
                io.kinline.admin.console.ConsoleConfig.SecureCookie.parse(c.secureCookie));
    }

    /** Every {@code media.*} setting, in {@link KinlineConfig.Media}'s order. */
    static MediaConfig mediaConfig(KinlineConfig.Media m) {
        return MediaConfig.builder()
                .bindAddress(m.bind)
                .advertisedAddress(m.advertise != null ? m.advertise : m.bind)
                .portRange(m.portMin, m.portMax)
                .ptimeMillis(m.ptimeMillis)
                .mediaTimeout(Duration.ofSeconds(m.mediaTimeoutSeconds))
                .rtcpInterval(Duration.ofSeconds(m.rtcpIntervalSeconds))
                .inbandDtmf(m.inbandDtmf)
                .telephoneEventPt(m.telephoneEventPt)
                .recordingThreads(m.recordingThreads)
                .eventLoopThreads(m.eventLoopThreads)
                .webrtcCodecs(m.webrtcCodecs)
                .webrtcSendOpus(m.webrtcSendOpus)
                .build();
    }

    /** Parses {@code host:port} (or {@code [v6]:port}); a bare host gets {@code defaultPort}. */
    public static InetSocketAddress hostPort(String text, int defaultPort) {
        String host = text;
        int port = defaultPort;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad address " + text);
            }
            host = text.substring(1, close);
            if (close + 1 < text.length() && text.charAt(close + 1) == ':') {
                port = Integer.parseInt(text.substring(close + 2));
            }
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return new InetSocketAddress(host, port);
    }

    public InetSocketAddress sipUdpAddress() {
        return sipUdp;
    }

    public InetSocketAddress sipTcpAddress() {
        return sipTcp;
    }

    /** The SIP over TLS listener, or null. */
    public InetSocketAddress sipTlsAddress() {
        return sip == null ? null : sip.tlsAddress();
    }

    /** The SIP over secure WebSocket listener, or null. */
    public InetSocketAddress sipWssAddress() {
        return sip == null ? null : sip.wssAddress();
    }

    /** The SIP over plain WebSocket listener (loopback, tests), or null. */
    public InetSocketAddress sipWsAddress() {
        return sip == null ? null : sip.wsAddress();
    }

    /** SHA-256 fingerprint of the SIP TLS certificate ({@code AB:CD:...}), or null without TLS/WSS. */
    public String sipTlsFingerprint() {
        return sipTlsFingerprint;
    }

    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    /** The admin token file written on this start (first start on the embedded default), or null. */
    public Path adminTokenFile() {
        return adminTokenFile;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Store store() {
        return store;
    }

    /** This node's id (cluster.nodeId, or the one its data directory was given). */
    public String nodeId() {
        return identity.nodeId();
    }

    /** Seals, keys and manifests of the recordings. */
    public Evidence evidence() {
        return evidence;
    }

    public B2bua b2bua() {
        return b2bua;
    }

    public SipServer sip() {
        return sip;
    }

    public NettyMediaEngine media() {
        return media;
    }

    public KinlineConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        // Reverse order: stop taking calls, then media, then the store last.
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
        if (metrics != null) {
            metrics.close();
        }
    }
}
