package io.kinline.sip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable configuration of a {@link SipServer}. Build with {@link #builder()}; every knob has a sane default.
 *
 * @param bindAddress         local address for UDP and TCP listeners
 * @param advertisedAddress   address put in Via and Contact (null = the bind address; required behind NAT or
 *                            when binding the wildcard address)
 * @param udpPort             UDP port (0 = ephemeral, -1 = UDP disabled)
 * @param tcpPort             TCP port (0 = ephemeral, -1 = TCP disabled)
 * @param t1                  RFC 3261 T1 (RTT estimate), default 500 ms
 * @param t2                  RFC 3261 T2 (max retransmit interval for non-INVITE requests and INVITE responses), default 4 s
 * @param t4                  RFC 3261 T4 (max time a message stays in the network), default 5 s
 * @param maxInitialLine      max length of a request/status line, bytes
 * @param maxHeaderBlock      max size of the header block including the initial line, bytes
 * @param maxBody             max body size, bytes
 * @param tcpIdleTimeout      a TCP connection with no traffic for this long is closed
 * @param maxConcurrentCalls  max inbound calls at once; beyond it new INVITEs get 503
 * @param maxCallsPerSecond   token-bucket rate of new inbound calls; beyond it new INVITEs get 503
 * @param retryAfterSeconds   value of Retry-After in 503 responses
 * @param gatewayAllowList    CIDRs (e.g. "10.0.0.0/8", "::1/128") of gateways admitted without authentication
 * @param gatewayRealm        digest realm for gateways not on the allow-list
 * @param gatewayUsers        user name to password for gateway digest auth; empty disables digest admission
 * @param nonceValidity       how long a digest nonce we issue stays valid
 * @param trunk               address of the carrier trunk for outbound calls (null = none)
 * @param trunkTransport      "udp" or "tcp"
 * @param trunkUsername       digest user name toward the trunk (null = no auth)
 * @param trunkPassword       digest password toward the trunk
 * @param callerId            user part of the From URI of outbound calls
 * @param sessionExpires      RFC 4028 Session-Expires we offer/impose, seconds (0 disables session timers)
 * @param minSessionExpires   RFC 4028 Min-SE we accept, seconds (RFC says 90; tests use small values)
 * @param userAgent           value of User-Agent/Server headers
 * @param ioThreads           number of Netty event loop threads (0 = 2)
 * @param secure              SIP over TLS and WebSocket listeners ({@link SecureTransports#OFF} by default)
 * @param maxCoreBacklog      when more tasks than this wait for the core event loop, new INVITEs are refused with a
 *                            stateless 503 straight from the I/O thread and other new requests are dropped, so a
 *                            flood cannot grow the queue without bound
 */
public record SipConfig(
        InetAddress bindAddress,
        InetAddress advertisedAddress,
        int udpPort,
        int tcpPort,
        Duration t1,
        Duration t2,
        Duration t4,
        int maxInitialLine,
        int maxHeaderBlock,
        int maxBody,
        Duration tcpIdleTimeout,
        int maxConcurrentCalls,
        double maxCallsPerSecond,
        int retryAfterSeconds,
        List<String> gatewayAllowList,
        String gatewayRealm,
        Map<String, String> gatewayUsers,
        Duration nonceValidity,
        InetSocketAddress trunk,
        String trunkTransport,
        String trunkUsername,
        String trunkPassword,
        String callerId,
        int sessionExpires,
        int minSessionExpires,
        String userAgent,
        int ioThreads,
        int maxCoreBacklog,
        SecureTransports secure) {

    public SipConfig {
        Objects.requireNonNull(secure, "secure");
        if (secure.wsPort() >= 0 && !bindAddress.isLoopbackAddress()) {
            throw new IllegalArgumentException("SIP over plain WebSocket is for tests: bind a loopback address");
        }
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        gatewayAllowList = List.copyOf(gatewayAllowList);
        gatewayUsers = Map.copyOf(gatewayUsers);
        if (maxInitialLine <= 0 || maxHeaderBlock <= 0 || maxBody < 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
        if (!"udp".equals(trunkTransport) && !"tcp".equals(trunkTransport)) { // TLS toward a trunk: not yet
            throw new IllegalArgumentException("trunkTransport must be udp or tcp: " + trunkTransport);
        }
        if (sessionExpires != 0 && sessionExpires < minSessionExpires) {
            throw new IllegalArgumentException("sessionExpires < minSessionExpires");
        }
    }

    /** The address for Via and Contact headers. */
    public InetAddress effectiveAdvertisedAddress() {
        if (advertisedAddress != null) {
            return advertisedAddress;
        }
        if (bindAddress.isAnyLocalAddress()) {
            try {
                return InetAddress.getLocalHost();
            } catch (java.net.UnknownHostException e) {
                return InetAddress.getLoopbackAddress();
            }
        }
        return bindAddress;
    }

    /**
     * The defaults, the ones {@code kinline.yaml} documents: {@code io.kinline.config.KinlineConfig}
     * reads its SIP defaults from here, so each is written once (in the builder's fields).
     */
    public static final SipConfig DEFAULTS = builder().build();

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress; b.advertisedAddress = advertisedAddress; b.udpPort = udpPort; b.tcpPort = tcpPort; b.t1 = t1; b.t2 = t2; b.t4 = t4;
        b.maxInitialLine = maxInitialLine; b.maxHeaderBlock = maxHeaderBlock; b.maxBody = maxBody;
        b.tcpIdleTimeout = tcpIdleTimeout; b.maxConcurrentCalls = maxConcurrentCalls;
        b.maxCallsPerSecond = maxCallsPerSecond; b.retryAfterSeconds = retryAfterSeconds;
        b.gatewayAllowList = gatewayAllowList; b.gatewayRealm = gatewayRealm; b.gatewayUsers = gatewayUsers;
        b.nonceValidity = nonceValidity; b.trunk = trunk; b.trunkTransport = trunkTransport;
        b.trunkUsername = trunkUsername; b.trunkPassword = trunkPassword; b.callerId = callerId;
        b.sessionExpires = sessionExpires; b.minSessionExpires = minSessionExpires; b.userAgent = userAgent;
        b.ioThreads = ioThreads; b.maxCoreBacklog = maxCoreBacklog; b.secure = secure;
        return b;
    }

    /** Mutable builder; its field initialisers are the SIP defaults (see {@link #DEFAULTS}). */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private InetAddress advertisedAddress;
        private int udpPort = 5060;
        private int tcpPort = 5060;
        private Duration t1 = Duration.ofMillis(500);
        private Duration t2 = Duration.ofSeconds(4);
        private Duration t4 = Duration.ofSeconds(5);
        private int maxInitialLine = 4 * 1024;
        private int maxHeaderBlock = 16 * 1024;
        private int maxBody = 64 * 1024;
        private Duration tcpIdleTimeout = Duration.ofMinutes(5);
        private int maxConcurrentCalls = 1000;
        private double maxCallsPerSecond = 200;
        private int retryAfterSeconds = 5;
        private List<String> gatewayAllowList = List.of("127.0.0.0/8", "::1/128");
        private String gatewayRealm = "kinline";
        private Map<String, String> gatewayUsers = Map.of();
        private Duration nonceValidity = Duration.ofMinutes(5);
        private InetSocketAddress trunk;
        private String trunkTransport = "udp";
        private String trunkUsername;
        private String trunkPassword;
        private String callerId = "+15735551000";
        private int sessionExpires = 1800;
        private int minSessionExpires = 90;
        private String userAgent = "Kinline";
        private int ioThreads = 0;
        private int maxCoreBacklog = 20_000;
        private SecureTransports secure = SecureTransports.OFF;

        private Builder() {
        }

        public Builder bindAddress(InetAddress v) { bindAddress = v; return this; }
        public Builder advertisedAddress(InetAddress v) { advertisedAddress = v; return this; }
        public Builder udpPort(int v) { udpPort = v; return this; }
        public Builder tcpPort(int v) { tcpPort = v; return this; }
        public Builder t1(Duration v) { t1 = v; return this; }
        public Builder t2(Duration v) { t2 = v; return this; }
        public Builder t4(Duration v) { t4 = v; return this; }
        public Builder maxInitialLine(int v) { maxInitialLine = v; return this; }
        public Builder maxHeaderBlock(int v) { maxHeaderBlock = v; return this; }
        public Builder maxBody(int v) { maxBody = v; return this; }
        public Builder tcpIdleTimeout(Duration v) { tcpIdleTimeout = v; return this; }
        public Builder maxConcurrentCalls(int v) { maxConcurrentCalls = v; return this; }
        public Builder maxCallsPerSecond(double v) { maxCallsPerSecond = v; return this; }
        public Builder retryAfterSeconds(int v) { retryAfterSeconds = v; return this; }
        public Builder gatewayAllowList(List<String> v) { gatewayAllowList = v; return this; }
        public Builder gatewayRealm(String v) { gatewayRealm = v; return this; }
        public Builder gatewayUsers(Map<String, String> v) { gatewayUsers = v; return this; }
        public Builder nonceValidity(Duration v) { nonceValidity = v; return this; }
        public Builder trunk(InetSocketAddress v) { trunk = v; return this; }
        public Builder trunkTransport(String v) { trunkTransport = v; return this; }
        public Builder trunkCredentials(String user, String password) {
            trunkUsername = user;
            trunkPassword = password;
            return this;
        }
        public Builder callerId(String v) { callerId = v; return this; }
        public Builder sessionExpires(int v) { sessionExpires = v; return this; }
        public Builder minSessionExpires(int v) { minSessionExpires = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder maxCoreBacklog(int v) { maxCoreBacklog = v; return this; }
        public Builder secure(SecureTransports v) { secure = v; return this; }

        public SipConfig build() {
            return new SipConfig(bindAddress, advertisedAddress, udpPort, tcpPort, t1, t2, t4, maxInitialLine, maxHeaderBlock, maxBody,
                    tcpIdleTimeout, maxConcurrentCalls, maxCallsPerSecond, retryAfterSeconds, gatewayAllowList,
                    gatewayRealm, gatewayUsers, nonceValidity, trunk, trunkTransport, trunkUsername, trunkPassword,
                    callerId, sessionExpires, minSessionExpires, userAgent, ioThreads, maxCoreBacklog, secure);
        }
    }
}
