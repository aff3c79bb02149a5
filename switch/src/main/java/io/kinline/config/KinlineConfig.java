package io.kinline.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kinline.admin.AdminConfig;
import io.kinline.admin.http.HttpLimits;
import io.kinline.media.MediaConfig;
import io.kinline.sip.SipConfig;
import io.kinline.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kinline's configuration file, bound from YAML, and the one place each setting is defined: its name
 * (the field), its type, its default (the initialiser) and its documentation ({@link Setting}). A
 * default that a component applies itself is read from that component's own defaults
 * ({@link SipConfig#DEFAULTS}, {@link MediaConfig#defaults()}, ...) rather than written twice.
 *
 * <p>A user file given with {@code --config} is layered on top, so it need only name what it changes.
 * Unknown keys are an error: a misspelt setting must not be silently ignored. {@code config/kinline.yaml}
 * lists every setting with its default; {@code SettingsDocTest} checks it and the docs against this class.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class KinlineConfig {

    /** The inmate call service. */
    public static final String MODE_IVR = "ivr";
    /** A signalling-only B2BUA relay, for benchmarking the SIP stack. */
    public static final String MODE_PASSTHROUGH = "b2bua-passthrough";

    private static final SipConfig SIP = SipConfig.DEFAULTS;
    private static final MediaConfig MEDIA = MediaConfig.defaults();

    @Setting(value = "What the switch runs: `ivr` is the inmate call service; `b2bua-passthrough` relays every "
            + "INVITE to the trunk with its SDP, with no IVR, media or database (it exists to measure the SIP "
            + "stack, see docs/PERFORMANCE.md).",
            limit = "Any other value: the configuration is refused, naming the value.",
            example = "b2bua-passthrough", type = "`ivr` or `b2bua-passthrough`")
    public String mode = MODE_IVR;
    @Setting(value = "How the log is written to standard error: `text` lines for people, or `json`, one JSON object "
            + "per line for a log shipper (time, level, thread, logger, the call ID under `mdc`, the message), "
            + "values from outside escaped as in text. `KINLINE_LOG_FORMAT=json` in the environment does the "
            + "same from the first line; `kinline run --log-format json` overrides this setting.",
            limit = "Any other value: the configuration is refused, naming the value.",
            example = "json", type = "`text` or `json`")
    public String logFormat = "text";
    public Sip sip = new Sip();
    public Media media = new Media();
    public Admin admin = new Admin();
    public Store store = new Store();
    public Prompts prompts = new Prompts();
    public Cluster cluster = new Cluster();

    /** {@code sip:} the SIP transports, timers, admission and overload control, and the trunk. */
    public static final class Sip {
        @Setting(value = "Address the SIP UDP and TCP listeners bind. `0.0.0.0` listens on every interface "
                + "(then set `sip.advertise`).",
                limit = "An address this host does not have: the switch does not start (the bind fails).",
                example = "0.0.0.0", type = "IP address")
        public String bind = SIP.bindAddress().getHostAddress();

        @Setting(value = "Address put in Via and Contact. Set it when binding `0.0.0.0` or behind NAT.",
                limit = "A host name is resolved once, at start; one that does not resolve stops the start.",
                example = "203.0.113.5", type = "IP address or host name", unset = "the bind address")
        public String advertise;

        @Setting(value = "Port of both the UDP and the TCP listener. `0` picks a free port at start (printed).",
                limit = "0-65535. A port in use: the switch does not start.",
                example = "5070")
        public int port = SIP.udpPort();

        @Setting(value = "Which SIP transports listen. Leave one out to disable it. `tls` is SIP over TLS "
                + "(`sip.tls`), `wss` SIP over secure WebSocket and `ws` over plain WebSocket (`sip.websocket`).",
                limit = "Other names are ignored; with none, no SIP listener starts. `ws` is refused unless "
                        + "the bind address is loopback (it exists for tests).",
                example = "[udp, tls]", type = "list of `udp`, `tcp`, `tls`, `wss`, `ws`")
        public List<String> transports = new ArrayList<>(List.of("udp", "tcp", "tls", "wss"));

        @Setting(value = "RFC 3261 timer T1, the round-trip estimate: retransmissions over UDP start at T1 "
                + "and double; transactions time out after 64*T1 (32 s by default).",
                limit = "Smaller: faster retransmission and earlier timeouts, more traffic on a lossy network.",
                example = "250")
        public int t1Millis = (int) SIP.t1().toMillis();

        @Setting(value = "RFC 3261 timer T2, the longest retransmission interval of non-INVITE requests "
                + "and INVITE responses.",
                limit = "Retransmission intervals stop doubling at T2.",
                example = "4000")
        public int t2Millis = (int) SIP.t2().toMillis();

        @Setting(value = "RFC 3261 timer T4, the longest time a message stays in the network (timers I and K).",
                limit = "Completed transactions absorb retransmissions for this long, over UDP only.",
                example = "5000")
        public int t4Millis = (int) SIP.t4().toMillis();

        @Setting(value = "Longest request or status line accepted, in bytes.",
                limit = "Longer: `513 Message Too Large` when the message can be answered, else dropped "
                        + "(UDP) or answered and the connection closed (TCP).",
                example = "2048")
        public int maxInitialLineBytes = SIP.maxInitialLine();

        @Setting(value = "Largest header block (initial line included) accepted, in bytes.",
                limit = "Larger: `513 Message Too Large` as for `maxInitialLineBytes`.",
                example = "8192")
        public int maxHeaderBlockBytes = SIP.maxHeaderBlock();

        @Setting(value = "Largest message body (SDP) accepted, in bytes.",
                limit = "Larger: `513 Message Too Large`.",
                example = "16384")
        public int maxBodyBytes = SIP.maxBody();

        @Setting(value = "Inbound calls at once. A call counts from its INVITE until it ends.",
                limit = "At the limit a new INVITE gets `503 Service Unavailable` with `Retry-After`; calls in "
                        + "progress are not affected.",
                example = "500")
        public int maxConcurrentCalls = SIP.maxConcurrentCalls();

        @Setting(value = "New inbound calls admitted per second: a token bucket with a burst of one second's "
                + "worth.",
                limit = "Beyond the rate a new INVITE gets `503 Service Unavailable` with `Retry-After`; calls "
                        + "in progress are not affected.",
                example = "50")
        public int maxCallsPerSecond = (int) SIP.maxCallsPerSecond();

        @Setting(value = "The `Retry-After` value, in seconds, of every 503 the overload control sends.",
                limit = "Gateways that honour it wait this long before trying this switch again.",
                example = "10")
        public int retryAfterSeconds = SIP.retryAfterSeconds();

        @Setting(value = "RFC 4028 session interval we offer and impose, in seconds; `0` turns session "
                + "timers off.",
                limit = "A dialog not refreshed within the interval ends with BYE (`SESSION_TIMER_EXPIRED`). "
                        + "Must be 0 or at least `minSessionExpiresSeconds`, else the switch does not start.",
                example = "900")
        public int sessionExpiresSeconds = SIP.sessionExpires();

        @Setting(value = "RFC 4028 Min-SE: the shortest session interval we accept from a peer, in seconds.",
                limit = "A request asking for less gets `422 Session Interval Too Small` with our Min-SE.",
                example = "90")
        public int minSessionExpiresSeconds = SIP.minSessionExpires();

        @Setting(value = "A TCP connection with no traffic for this long is closed, in seconds.",
                limit = "The peer reconnects on its next request; dialogs survive.",
                example = "600")
        public int idleConnectionSeconds = (int) SIP.tcpIdleTimeout().toSeconds();

        @Setting(value = "How long a digest nonce we issue to a gateway stays valid, in seconds.",
                limit = "An older nonce is challenged again with `stale=true`.",
                example = "600")
        public int nonceValiditySeconds = (int) SIP.nonceValidity().toSeconds();

        @Setting(value = "SIP I/O threads (Netty event loops) that read, frame and parse messages. "
                + "Transactions and dialogs run on one core loop besides.",
                limit = "`0` means 2.",
                example = "4")
        public int ioThreads = SIP.ioThreads();

        @Setting(value = "Tasks that may wait for the SIP core loop before the I/O threads shed load.",
                limit = "Beyond it a new INVITE gets a stateless 503 with `Retry-After` from the I/O thread, "
                        + "and other new out-of-dialog requests are dropped; in-dialog requests still pass.",
                example = "50000")
        public int maxCoreBacklog = SIP.maxCoreBacklog();

        @Setting(value = "The `User-Agent` and `Server` header value.",
                limit = "Sent as is; keep it short.",
                example = "Kinline-facility-3")
        public String userAgent = SIP.userAgent();

        public Gateways gateways = new Gateways();
        public Trunk trunk = new Trunk();
        public Tls tls = new Tls();
        public WebSocket websocket = new WebSocket();
        public Overload overload = new Overload();
    }

    /** {@code sip.overload:} shedding new calls while the media path is behind real time. */
    public static final class Overload {
        @Setting(value = "Media event loop lag, in milliseconds, beyond which new INVITEs are shed: how much later "
                + "than scheduled the worst media loop ran a task five times in a row (about 100 ms; a single "
                + "hiccup does not count), over the last one to two seconds. `0` turns the check off.",
                limit = "Beyond it a new INVITE gets `503 Media Overloaded` with `Retry-After`, until the lag has "
                        + "stayed under half of it for `holdSeconds`; calls in progress are not affected. A healthy "
                        + "loop lags a millisecond or two. On 2 cores with SIPp beside the switch the lag passed 20 ms "
                        + "just as call setup began to starve (docs/ARCHITECTURE.md, Overload control).",
                example = "40")
        public int maxMediaLagMillis = 20;

        @Setting(value = "Recording writer backlog, in milliseconds of audio per open recording, beyond which "
                + "new INVITEs are shed. `0` turns the check off.",
                limit = "Beyond it a new INVITE gets `503 Recording Overloaded` with `Retry-After`, until the "
                        + "backlog has stayed under half of it for `holdSeconds`; calls in progress are not affected.",
                example = "1000")
        public int maxRecordingBacklogMillis = 500;

        @Setting(value = "Call script lag, in milliseconds, beyond which new INVITEs are shed: how much later than "
                + "asked a sleeping virtual thread on the call scripts' scheduler woke up, five times in a row, over "
                + "the last one to two seconds. `0` turns the check off.",
                limit = "Beyond it a new INVITE gets `503 Call Setup Overloaded` with `Retry-After`, until the lag "
                        + "has stayed under half of it for `holdSeconds`; calls in progress are not affected. A healthy "
                        + "switch lags a millisecond or two; scripts that wake late answer keys and prompts late, "
                        + "and callers hang up in the IVR.",
                example = "100")
        public int maxScriptLagMillis = 50;

        @Setting(value = "Once shedding, how long, in seconds, every measure above must stay under half its limit "
                + "before new calls are admitted again.",
                limit = "Long on purpose: a call admitted now brings its media and recording only when it is "
                        + "bridged, 5-10 s later; with 1 s, 1,000 recorded calls on 2 cores let in a burst that lost "
                        + "13.5 % of RTP (10 s: 2.1 %). `0` admits as soon as the measures are calm.",
                example = "5")
        public int holdSeconds = 10; // MediaOverloadGuard.DEFAULT_HOLD_SECONDS
    }

    /** {@code sip.tls:} SIP over TLS (RFC 3261 §26) and the certificate WSS uses too. */
    public static final class Tls {
        @Setting(value = "Port of the SIP over TLS listener (with `tls` in `sip.transports`).",
                limit = "0-65535. A port in use: the switch does not start.",
                example = "5061", type = "port", unset = "port + 1 (5061); a free port when the SIP port is 0 or that port is taken")
        public Integer port;

        @Setting(value = "PEM file of the certificate chain, leaf first, for SIP over TLS and WSS. TLS 1.2 and "
                + "1.3 only.",
                limit = "Unreadable, or not matching `privateKey`: the switch does not start and names the file.",
                example = "/etc/kinline/sip.crt", type = "path",
                unset = "a self-signed ECDSA certificate made at first start in <dataDir>/secrets/sip-tls.crt "
                        + "(its SHA-256 fingerprint is printed at start)")
        public String certificate;

        @Setting(value = "PEM file of the private key of `certificate` (PKCS#8 `BEGIN PRIVATE KEY`).",
                limit = "Keep it 0600; only used with `certificate`.",
                example = "/etc/kinline/sip.key", type = "path", unset = "<dataDir>/secrets/sip-tls.key")
        public String privateKey;

        @Setting(value = "Time a client has to finish its TLS handshake (and its WebSocket upgrade), in seconds. "
                + "A handshake sent a byte at a time is cut here.",
                limit = "1-300.",
                example = "5")
        public int handshakeTimeoutSeconds = (int) io.kinline.sip.SecureTransports.OFF.handshakeTimeout().toSeconds();
    }

    /** {@code sip.websocket:} SIP over WebSocket (RFC 7118), for tablets and browsers. */
    public static final class WebSocket {
        @Setting(value = "Port of the SIP over secure WebSocket (WSS) listener, with `wss` in `sip.transports`. "
                + "Clients connect to `wss://host:port/` with subprotocol `sip`.",
                limit = "0-65535. A port in use: the switch does not start.",
                example = "8089", type = "port", unset = "port + 2 (5062); a free port when the SIP port is 0 or that port is taken")
        public Integer port;

        @Setting(value = "Port of the plain WebSocket (WS) listener, with `ws` in `sip.transports`: for tests on "
                + "loopback only.",
                limit = "0-65535; the bind address must be loopback.",
                example = "8088", type = "port", unset = "a free port")
        public Integer plainPort;

        @Setting(value = "Largest WebSocket frame accepted, in bytes (one frame is one SIP message).",
                limit = "At least 1024. A bigger frame closes the connection with status 1009.",
                example = "32768")
        public int maxFrameBytes = io.kinline.sip.SecureTransports.OFF.maxFrame();

        @Setting(value = "A WebSocket with nothing sent for this long gets a Ping, in seconds; `0` sends none. "
                + "A connection silent for `sip.idleConnectionSeconds` is closed.",
                limit = "0 or more.",
                example = "15")
        public int pingSeconds = (int) io.kinline.sip.SecureTransports.OFF.pingInterval().toSeconds();
    }

    /** {@code sip.gateways:} who may place calls. */
    public static final class Gateways {
        @Setting(value = "Networks whose gateways are admitted without authentication (CIDRs).",
                limit = "An INVITE from elsewhere must authenticate with digest (`users`); with no users it "
                        + "gets `403 Forbidden`.",
                example = "[10.20.0.0/16, 127.0.0.0/8]", type = "list of CIDRs")
        public List<String> allow = new ArrayList<>(SIP.gatewayAllowList());

        @Setting(value = "Digest realm offered to gateways that are not on the allow-list.",
                limit = "Gateways must be provisioned with the same realm.",
                example = "facility.example")
        public String realm = SIP.gatewayRealm();

        @Setting(value = "User name to password, for gateways that authenticate with digest (MD5, qop=auth).",
                limit = "Empty: digest admission is off. Wrong credentials get `403 Forbidden`.",
                example = "{gw-east: s3cret}", type = "map of user name to password")
        public Map<String, String> users = new LinkedHashMap<>(SIP.gatewayUsers());

        @Setting(value = "The stations each gateway may present as the SIP From user: gateway (a CIDR of `allow`, "
                + "or a digest user of `users`) to station ids, inclusive numeric ranges (`1001-1099`) or "
                + "prefixes (`seg-*`). An address-admitted INVITE is judged by the most specific CIDR containing "
                + "its source; a digest-admitted one by its user.",
                limit = "Empty (the default): not enforced, any admitted gateway may present any provisioned "
                        + "station; do not run a facility so. Otherwise a station outside the gateway's list (or "
                        + "a gateway with no entry) gets `403 Forbidden` and a `station_not_allowed` incident, "
                        + "and no call record. A key that is not a CIDR or user, or an empty pattern, stops the "
                        + "start.",
                example = "{10.20.1.0/24: [1001-1099], 10.20.9.0/29: [seg-*], gw-east: [2001, 2002]}",
                type = "map of gateway to list of station patterns")
        public Map<String, List<String>> stations = new LinkedHashMap<>();

        @Setting(value = "Gateways behind NAT (CIDRs of `allow`, or digest users of `users`): in-dialog requests to "
                + "them (BYE, re-INVITE, UPDATE, session refreshes) go to the address and port their INVITE came "
                + "from (UDP) or its connection (TCP), not to the Contact they advertise.",
                limit = "Also done without this setting when a Contact is a private, link-local, shared or "
                        + "unspecified address other than the INVITE's source. A bad CIDR stops the start.",
                example = "[198.51.100.0/24, gw-east]", type = "list of CIDRs or user names")
        public List<String> nat = new ArrayList<>();
        @Setting(value = "SDES-SRTP (RFC 4568, AES_CM_128_HMAC_SHA1_80) for gateways on SIP over TLS: `off` (plain "
                + "RTP only), `optional` (SRTP when the offer is RTP/SAVP with `a=crypto`) or `mandatory` (an offer "
                + "without it gets `488 Not Acceptable Here - SRTP Required`). Over UDP and TCP it is always off: "
                + "the keys would travel in clear.",
                limit = "Another value: the switch does not start.",
                example = "mandatory", type = "`off`, `optional` or `mandatory`")
        public String srtp = "optional";

        @Setting(value = "Per-gateway exceptions to `srtp`: a digest user name or a CIDR, to a policy. A digest "
                + "user is matched first, then the first CIDR holding the gateway's address.",
                limit = "A bad CIDR or policy: the switch does not start.",
                example = "{gw-east: mandatory, 10.20.0.0/16: off}", type = "map of user name or CIDR to policy")
        public Map<String, String> srtpPerGateway = new LinkedHashMap<>();
    }

    /** {@code sip.trunk:} the carrier trunk that B-legs go to. */
    public static final class Trunk {
        @Setting(value = "The carrier trunk (SIP proxy or SBC) that calls to called parties go to.",
                limit = "Not a valid `host:port`: the switch does not start. Unreachable: each call is told "
                        + "it failed, with no charge.",
                example = "192.0.2.10:5060", type = "host:port")
        public String address = "127.0.0.1:5080";

        @Setting(value = "Transport toward the trunk.",
                limit = "Anything but `udp` or `tcp`: the switch does not start.",
                example = "tcp", type = "`udp` or `tcp`")
        public String transport = SIP.trunkTransport();

        @Setting(value = "Digest user name toward the trunk; a 401/407 is answered once with it.",
                limit = "A second challenge fails the call.",
                example = "facility-3", unset = "no credentials")
        public String username;

        @Setting(value = "Digest password toward the trunk.",
                limit = "Only used with `username`.",
                example = "s3cret", unset = "none")
        public String password;

        @Setting(value = "User part of the From URI on B-legs: the facility's outbound number.",
                limit = "Sent as is.",
                example = "\"+15735551000\"")
        public String callerId = SIP.callerId();
    }

    /** {@code media:} RTP and recording. */
    public static final class Media {
        @Setting(value = "Address RTP and RTCP sockets bind.",
                limit = "An address this host does not have: no call gets media (`503 No Media Resources`).",
                example = "0.0.0.0", type = "IP address")
        public String bind = MEDIA.bindAddress();

        @Setting(value = "Address put in SDP `c=` lines. Set it when binding `0.0.0.0` or behind NAT.",
                limit = "Peers send RTP to it as is.",
                example = "203.0.113.5", type = "IP address", unset = "the bind address")
        public String advertise;

        @Setting(value = "Lowest RTP port. RTP uses even ports, RTCP the next one; busy ports are skipped.",
                limit = "1024-65535. When every pair is taken a new call gets `503 No Media Resources` "
                        + "with `Retry-After: 5`.",
                example = "30000")
        public int portMin = MEDIA.portMin();

        @Setting(value = "Highest port usable, RTCP of the last pair included. Each call uses two pairs.",
                limit = "At most 65535 and above `portMin`, else the switch does not start.",
                example = "39999")
        public int portMax = MEDIA.portMax();

        @Setting(value = "Packet time we ask peers for, and send when the peer states none, in ms.",
                limit = "10 to 60 in steps of 10, else the switch does not start.",
                example = "30")
        public int ptimeMillis = MEDIA.ptimeMillis();

        @Setting(value = "No RTP for this long on a leg that sends and receives ends the call, in seconds. "
                + "A held leg (sendonly) never times out. `0` turns it off.",
                limit = "The call ends as `media_timeout`; both legs get BYE.",
                example = "60")
        public int mediaTimeoutSeconds = (int) MEDIA.mediaTimeout().toSeconds();

        @Setting(value = "Mean RTCP report interval, in seconds (randomised by half either way, RFC 3550).",
                limit = "Smaller: fresher statistics, more packets.",
                example = "10")
        public int rtcpIntervalSeconds = (int) MEDIA.rtcpInterval().toSeconds();

        @Setting(value = "Listen for DTMF tones in the audio as well as RFC 4733 events.",
                limit = "Costs CPU per packet on every leg that listens.",
                example = "false")
        public boolean inbandDtmf = MEDIA.inbandDtmf();

        @Setting(value = "Dynamic RTP payload type we offer for telephone-event (RFC 4733).",
                limit = "96 to 127, else the switch does not start.",
                example = "96")
        public int telephoneEventPt = MEDIA.telephoneEventPt();

        @Setting(value = "Threads of the shared recording writer.",
                limit = "1 to 64, else the switch does not start. Two keep up with hundreds of calls.",
                example = "4")
        public int recordingThreads = MEDIA.recordingThreads();

        @Setting(value = "Codecs a WebRTC (tablet) leg may be answered with, the switch's preference first: the "
                + "first of these the browser offers is used. Opus is transcoded by the switch (about twice the "
                + "CPU of a G.711 call, docs/PERFORMANCE.md); PCMU first makes tablet calls nearly as cheap as "
                + "handset calls, at 64 kbit/s on the Wi-Fi.",
                limit = "Names other than `opus`, `PCMU`, `PCMA`, or an empty list: the switch does not start. An "
                        + "offer with none of them gets `488 Not Acceptable Here`.",
                example = "[PCMU, opus]", type = "list of `opus`, `PCMU`, `PCMA`")
        public List<String> webrtcCodecs = new ArrayList<>(MEDIA.webrtcCodecs());

        @Setting(value = "On a tablet leg answered with Opus, send Opus too. Off (the default), the switch lists "
                + "PCMU after Opus in its answer and sends PCMU, which the browser plays as well: the tablet still "
                + "sends Opus, and the switch decodes it but never encodes Opus. What a tablet hears comes from a "
                + "G.711 trunk or 8 kHz prompts, so Opus on the way down re-codes G.711 and costs the switch an "
                + "encoder (docs/PERFORMANCE.md). On, the Wi-Fi carries about 24 kbit/s toward each tablet "
                + "instead of 64.",
                limit = "Only when the offer has PCMU too (browsers always offer it); otherwise Opus both ways.",
                example = "true")
        public boolean webrtcSendOpus = MEDIA.webrtcSendOpus();

        @Setting(value = "Media event loop threads.",
                limit = "`0` means one per core.",
                example = "2")
        public int eventLoopThreads = MEDIA.eventLoopThreads();

        public Recording recording = new Recording();
    }

    /** {@code media.recording:} how call recordings are kept. */
    public static final class Recording {
        @Setting(value = "Encrypt recordings at rest: AES-256-GCM in chunks of at most one second, each "
                + "authenticated on its own; one data key per file, wrapped under "
                + "`<dataDir>/secrets/recording-kek`. The admin API decrypts on download (docs/EVIDENCE.md).",
                limit = "A crash loses at most the last second, as for plain files. The key-encryption key lost: "
                        + "the recordings cannot be read; back it up with the data directory's secrets.",
                example = "true")
        public boolean encryption = false;
    }

    /** {@code admin:} the HTTP API. */
    public static final class Admin {
        @Setting(value = "Address the admin API binds. Loopback by default, so the API is not exposed by "
                + "accident.",
                limit = "An address this host does not have: the switch does not start.",
                example = "10.0.0.5", type = "IP address")
        public String bind = AdminConfig.DEFAULT_BIND_HOST;

        @Setting(value = "Port of the admin API. `0` picks a free port at start (printed).",
                limit = "0-65535. A port in use: the switch does not start.",
                example = "8443")
        public int port = AdminConfig.DEFAULT_PORT;

        @Setting(value = "Who may read `/metrics` without a token: `loopback` (a Prometheus on the same host), "
                + "`token` (always an admin or investigator token) or `open` (anyone who reaches the port).",
                limit = "Anything else: the switch does not start. Without the right: `401`, like every other "
                        + "route.",
                example = "token", type = "`loopback`, `token` or `open`")
        public String metrics = AdminConfig.MetricsAccess.LOOPBACK.name().toLowerCase(java.util.Locale.ROOT);

        @Setting(value = "Admin connections open at once, from all addresses.",
                limit = "A connection beyond it is closed as it is accepted (a warning, rate limited).",
                example = "256")
        public int maxConnections = HttpLimits.DEFAULTS.maxConnections();

        @Setting(value = "Admin connections open at once from one address.",
                limit = "A connection beyond it is closed as it is accepted. Behind a reverse proxy, every "
                        + "client shares the proxy's address: raise it.",
                example = "16")
        public int maxConnectionsPerAddress = HttpLimits.DEFAULTS.maxConnectionsPerAddress();

        @Setting(value = "Time a client has to send a request's whole header block, in seconds. Not reset by "
                + "each byte, so a slow drip cannot hold a connection.",
                limit = "The connection is closed.",
                example = "5")
        public int headerTimeoutSeconds = (int) HttpLimits.DEFAULTS.headerTimeout().toSeconds();

        @Setting(value = "Time a client has to send a request's body once its headers are in, in seconds.",
                limit = "The connection is closed.",
                example = "10")
        public int bodyTimeoutSeconds = (int) HttpLimits.DEFAULTS.bodyTimeout().toSeconds();

        @Setting(value = "Lifetime of investigator and customer-service tokens created without `expiresAt`, "
                + "in days. `0`: until revoked. Admin tokens never get a default expiry.",
                limit = "An expired token gets `401`, and its live-listen sockets close within a second.",
                example = "7")
        public int tokenLifetimeDays = (int) AdminConfig.DEFAULT_TOKEN_LIFETIME.toDays();

        @Setting(value = "Live-listen WebSockets one token may hold open at once.",
                limit = "One more gets `429 Too Many Requests` (audited).",
                example = "1")
        public int maxListenersPerToken = AdminConfig.ListenLimits.DEFAULTS.perToken();

        @Setting(value = "Live-listen WebSockets open on one call at once, all tokens together.",
                limit = "One more gets `429 Too Many Requests` (audited).",
                example = "3")
        public int maxListenersPerCall = AdminConfig.ListenLimits.DEFAULTS.perCall();

        public Console console = new Console();
    }

    /** {@code admin.console:} the staff console's sign-in (docs/CONSOLE.md, docs/SECURITY.md). */
    public static final class Console {
        @Setting(value = "Failed sign-ins in a row that lock a staff account. Each failure also waits longer "
                + "before answering (250 ms, doubling, at most 4 s).",
                limit = "1-100. The account refuses every sign-in until the lock ends or an admin unlocks it "
                        + "(`PATCH /api/staff/{id}` with `\"unlock\":true`); audited as `staff.locked`.",
                example = "5")
        public int maxFailedSignIns = io.kinline.admin.console.ConsoleConfig.DEFAULTS.maxFailedSignIns();

        @Setting(value = "How long a locked staff account refuses sign-ins, in minutes.",
                limit = "0-10080. `0`: the lock ends at once (back-off only).",
                example = "15")
        public int lockoutMinutes = (int) io.kinline.admin.console.ConsoleConfig.DEFAULTS.lockout().toMinutes();

        @Setting(value = "A console session unused this long ends, in minutes.",
                limit = "1-1440. The next request goes to the sign-in form.",
                example = "30")
        public int idleMinutes = (int) io.kinline.admin.console.ConsoleConfig.DEFAULTS.idleTimeout().toMinutes();

        @Setting(value = "A console session ends this long after sign-in however busy, in hours.",
                limit = "1-168.",
                example = "12")
        public int maxSessionHours = (int) io.kinline.admin.console.ConsoleConfig.DEFAULTS.maxSessionAge().toHours();

        @Setting(value = "When the session cookie is `Secure`: `auto` (unless the browser reached the switch by "
                + "a loopback name such as 127.0.0.1 or localhost; behind a TLS proxy it is), `always` or `never`.",
                limit = "Anything else: the switch does not start. `always` on plain HTTP: browsers other than "
                        + "on localhost drop the cookie and nobody can sign in.",
                example = "always", type = "`auto`, `always` or `never`")
        public String secureCookie = "auto";
    }

    /** {@code store:} the database. */
    public static final class Store {
        @Setting(value = "Data directory: the embedded H2 database, recordings, the PIN pepper and the admin "
                + "token live here.",
                limit = "Not writable: the switch does not start.",
                example = "/var/lib/kinline", type = "path")
        public String dataDir = "./kinline-data";

        @Setting(value = "JDBC URL of a PostgreSQL database, instead of the embedded H2 one.",
                limit = "Unreachable at start: the switch does not start.",
                example = "jdbc:postgresql://db:5432/kinline", unset = "the embedded H2 database in `dataDir`")
        public String jdbcUrl;

        @Setting(value = "Database user for `jdbcUrl`.",
                limit = "Wrong: the switch does not start.",
                example = "kinline", unset = "none")
        public String username;

        @Setting(value = "Database password for `jdbcUrl`.",
                limit = "Wrong: the switch does not start.",
                example = "s3cret", unset = "none")
        public String password;

        @Setting(value = "A file whose first line is the database password (a Docker or Kubernetes secret); wins "
                + "over `password`.",
                limit = "Unreadable: the switch does not start.",
                example = "/run/secrets/kinline_db_password", type = "path", unset = "`password`")
        public String passwordFile;

        @Setting(value = "Database connections in the pool. A call holds one only for a transaction.",
                limit = "1 to 1000, else the switch does not start. When all are busy, a transaction waits "
                        + "for one (up to 30 s, then it fails).",
                example = "24")
        public int poolSize = StoreConfig.DEFAULT_POOL_SIZE;

        @Setting(value = "Load the demo facility, inmates and accounts on first start (embedded database only).",
                limit = "Loaded once; a later start finds its marker and loads nothing.",
                example = "false")
        public boolean loadDemoData = true;

        @Setting(value = "Where call recordings and recorded names go, each node under its own id "
                + "(`<dir>/<node id>/<UTC day>/<call>.wav`, `<dir>/<node id>/names/`). In a cluster, one directory "
                + "shared by every node (NFS, a shared volume) at the same path on each: any node serves any "
                + "recording.",
                limit = "Not writable: the switch does not start. Not shared in a cluster: a node answers 404 for "
                        + "the others' recordings, and asks an inmate whose name another node recorded again.",
                example = "/srv/kinline/recordings", type = "path", unset = "`<dataDir>/recordings`")
        public String recordingsDir;
    }

    /** {@code cluster:} several nodes on one PostgreSQL behind Kamailio (docs/DEPLOYMENT.md). */
    public static final class Cluster {
        @Setting(value = "This node's id, written on the rows of the calls it carries: its startup reconcile "
                + "finishes only those. Letters, digits, `.`, `_` and `-`, up to 64.",
                limit = "A data directory keeps the id it was first given (`<dataDir>/node-id`): another id for it, "
                        + "or the id of a running node on another directory, and the switch does not start.",
                example = "kinline-a", unset = "the id made for the data directory on first start (`node-` and "
                        + "8 hex digits)")
        public String nodeId;

        @Setting(value = "Where the other nodes send an investigator who asks them to listen to a call this node "
                + "carries (a 307 to this URL's `/api/calls/{id}/listen`).",
                limit = "Not reachable from where investigators work: the redirect leads nowhere.",
                example = "https://kinline-a.mgmt.example:8443", type = "URL",
                unset = "`http://<admin.bind>:<admin.port>` (127.0.0.1 when bound to every interface)")
        public String adminUrl;

        @Setting(value = "The cluster key: 32 random bytes as 64 hex digits. The secrets every node shares (PIN "
                + "pepper, recording signing and encryption keys) are kept in the database wrapped by it, and a "
                + "node that lacks them fetches them.",
                limit = "A key that does not open the cluster's secrets, or a local secret that is not the "
                        + "cluster's: the switch does not start and says which.",
                example = "/run/secrets/kinline_cluster_key", type = "path",
                unset = "the shared secrets are given to every node as files (`<dataDir>/secrets/`), checked by "
                        + "fingerprint")
        public String keyFile;
    }

    /** {@code prompts:} the recorded prompts. */
    public static final class Prompts {
        @Setting(value = "Directory of `<lang>/<name>.wav` prompts (8 kHz mono) to use instead of those in the jar.",
                limit = "A WAV that is not 8 kHz mono, or a missing default language: the switch does not "
                        + "start and names the file.",
                example = "/etc/kinline/prompts", type = "path", unset = "the prompts in the jar")
        public String dir;

        @Setting(value = "Language of the prompts before the caller chooses one.",
                limit = "Must have prompts, else the switch does not start.",
                example = "es")
        public String defaultLanguage = "en";
    }

    /** A configuration file that cannot be used; the message names the file, line and key. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The defaults (this class), then {@code file} on top if given. */
    public static KinlineConfig load(Path file) throws ConfigException {
        KinlineConfig cfg = new KinlineConfig();
        if (file == null) {
            return cfg;
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file not found: " + file, null);
        }
        ObjectReader reader = yaml().readerForUpdating(cfg);
        try (InputStream in = Files.newInputStream(file)) {
            reader.readValue(in);
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": " + describe(e), e);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        if (!"text".equals(cfg.logFormat) && !"json".equals(cfg.logFormat)) {
            throw new ConfigException(file + ": 'logFormat' must be text or json, not " + cfg.logFormat, null);
        }
        if (!MODE_IVR.equals(cfg.mode) && !MODE_PASSTHROUGH.equals(cfg.mode)) {
            throw new ConfigException(file + ": 'mode' must be " + MODE_IVR + " or " + MODE_PASSTHROUGH + ", not "
                    + cfg.mode, null);
        }
        return cfg;
    }

    private static String describe(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getFieldName());
            } else {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String where = e.getLocation() != null ? "line " + e.getLocation().getLineNr() + ": " : "";
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf(" (class ");
        if (cut > 0) {
            msg = msg.substring(0, cut);
        }
        return where + (path.isEmpty() ? "" : "'" + path + "': ") + msg;
    }
}
