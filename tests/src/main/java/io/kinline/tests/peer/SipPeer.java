package io.kinline.tests.peer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An independent SIP user agent for wire-level tests, on JAIN-SIP RI's own stack and transport
 * (UDP and TCP listening points on the same port). Nothing here uses Kinline's SIP code.
 *
 * <p>As a caller (handset, gateway): {@link #call} returns a {@link ClientCall}. As a called
 * party (trunk): incoming INVITEs get a {@link UasBehaviour} chosen per call by
 * {@link #behaviour(Function)}, surface as {@link ServerCall}s through {@link #awaitIncomingCall},
 * and may first be digest-challenged ({@link Builder#digestChallenge}). It also acts as a registrar
 * (REGISTER: same challenge, then 200; {@link #awaitRegistration}) and answers OPTIONS with 200.
 * Every request the peer receives is kept in {@link #requestsSeen()}.
 *
 * <pre>{@code
 * try (SipPeer trunk = SipPeer.builder().name("trunk").build();
 *      SipPeer phone = SipPeer.builder().name("phone").build()) {
 *     trunk.behaviour(UasBehaviour.answer(200, rtp::answer));
 *     ClientCall c = phone.call(trunk.uri("bob"), "alice", rtp2.offer());
 *     c.awaitFinal(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class SipPeer implements SipListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipPeer.class);
    private static final AtomicInteger STACKS = new AtomicInteger();

    final String name;
    final String host;
    final int port;
    final SipStack stack;
    final SipProvider provider;
    final MessageFactory messages;
    final HeaderFactory headers;
    final AddressFactory addresses;
    final ScheduledExecutorService timer;
    final long startNanos = System.nanoTime();

    private final Map<String, ClientCall> clientCalls = new ConcurrentHashMap<>();
    private final Map<String, ServerCall> serverCalls = new ConcurrentHashMap<>();
    private final EventLog incoming = new EventLog();
    private final Map<SipEvent, ServerCall> incomingCalls = new ConcurrentHashMap<>();
    private final EventLog requests = new EventLog();
    private volatile Function<SipEvent, UasBehaviour> behaviour = inv -> UasBehaviour.answer();

    // digest challenge (UAS side)
    private final String challengeRealm;
    private final String challengeUser;
    private final String challengePassword;
    private final boolean challengeAsProxy;
    private final Set<String> issuedNonces = ConcurrentHashMap.newKeySet();
    private final AtomicInteger challengesSent = new AtomicInteger();
    private final AtomicInteger authFailures = new AtomicInteger();

    // credentials (UAC side)
    final String authUser;
    final String authPassword;

    /** The Contact's host:port when it is not where we listen (a NATed gateway's inside address), or null. */
    private final String advertise;

    private SipPeer(Builder b) throws Exception {
        this.name = b.name;
        this.host = b.host;
        this.port = b.port > 0 ? b.port : freePort(b.host);
        this.challengeRealm = b.realm;
        this.challengeUser = b.challengeUser;
        this.challengePassword = b.challengePassword;
        this.challengeAsProxy = b.proxyChallenge;
        this.authUser = b.authUser;
        this.authPassword = b.authPassword;
        this.advertise = b.advertise;

        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "kinline-peer-" + name + "-" + port + "-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "DEBUG");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        if (b.outboundProxy != null) {
            p.setProperty("javax.sip.OUTBOUND_PROXY", b.outboundProxy);
        }
        p.putAll(b.extraProperties);
        this.stack = factory.createSipStack(p);
        this.messages = factory.createMessageFactory();
        this.headers = factory.createHeaderFactory();
        this.addresses = factory.createAddressFactory();
        ListeningPoint udp = stack.createListeningPoint(host, port, ListeningPoint.UDP);
        this.provider = stack.createSipProvider(udp);
        if (b.tcp) {
            provider.addListeningPoint(stack.createListeningPoint(host, port, ListeningPoint.TCP));
        }
        provider.addSipListener(this);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-peer-" + name + "-timer");
            t.setDaemon(true);
            return t;
        });
        stack.start();
        log.info("SIP peer {} listening on {}:{} (udp{})", name, host, port, b.tcp ? "+tcp" : "");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String name = "peer";
        private String host = "127.0.0.1";
        private int port;
        private boolean tcp = true;
        private String outboundProxy;
        private String realm;
        private String challengeUser;
        private String challengePassword;
        private boolean proxyChallenge;
        private String authUser;
        private String authPassword;
        private final Properties extraProperties = new Properties();
        private String advertise;

        public Builder name(String n) { this.name = n; return this; }
        /**
         * The {@code host:port} this peer puts in its Contact instead of where it listens, as a gateway behind NAT
         * without an ALG advertises its inside address.
         */
        public Builder advertise(String hostPort) { this.advertise = hostPort; return this; }
        public Builder host(String h) { this.host = h; return this; }
        /** Listening port (UDP and TCP); 0 (default) picks a free one. */
        public Builder port(int p) { this.port = p; return this; }
        /** Whether to listen on TCP as well (default true). */
        public Builder tcp(boolean t) { this.tcp = t; return this; }
        /** Send all requests via this proxy, "host:port/udp". */
        public Builder outboundProxy(String proxy) { this.outboundProxy = proxy; return this; }

        /**
         * Challenge every new INVITE with 401 (or 407 if {@code proxy}) until it carries a valid
         * MD5 digest for these credentials; a wrong digest gets 403.
         */
        public Builder digestChallenge(String realm, String user, String password, boolean proxy) {
            this.realm = realm;
            this.challengeUser = user;
            this.challengePassword = password;
            this.proxyChallenge = proxy;
            return this;
        }

        /** Credentials the caller side uses to answer 401/407 challenges (once per INVITE). */
        public Builder credentials(String user, String password) {
            this.authUser = user;
            this.authPassword = password;
            return this;
        }

        /** Raw JAIN-SIP RI stack property. */
        public Builder stackProperty(String key, String value) { extraProperties.setProperty(key, value); return this; }

        public SipPeer build() {
            try {
                return new SipPeer(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start SIP peer " + name, e);
            }
        }
    }

    // ------------------------------------------------------------------ public API

    public String name() { return name; }
    public String host() { return host; }
    public int port() { return port; }
    public InetSocketAddress address() { return new InetSocketAddress(host, port); }

    /** {@code sip:user@host:port} of this peer. */
    public String uri(String user) {
        return "sip:" + user + "@" + host + ":" + port;
    }

    /** Chooses the behaviour of each new incoming INVITE (the function sees the INVITE). */
    public SipPeer behaviour(Function<SipEvent, UasBehaviour> chooser) {
        this.behaviour = chooser;
        return this;
    }

    /** Same behaviour for every incoming INVITE. */
    public SipPeer behaviour(UasBehaviour b) {
        return behaviour(inv -> b);
    }

    /** Places a call; SDP may be null (offerless INVITE). */
    public ClientCall call(String requestUri, String fromUser, String sdp) {
        return call(requestUri, fromUser, sdp, Map.of());
    }

    /**
     * Places a call with extra headers (name → value, added verbatim, e.g. "Session-Expires" →
     * "90;refresher=uac", "P-Asserted-Identity", ...).
     */
    public ClientCall call(String requestUri, String fromUser, String sdp, Map<String, String> extraHeaders) {
        return call(requestUri, fromUser, sdp, extraHeaders, null);
    }

    /**
     * As {@link #call(String, String, String, Map)} with a Call-ID of the caller's choosing (null: a new one), as
     * an attacker reusing the Call-ID of an earlier call would send (SIPp's {@code -cid_str}).
     */
    public ClientCall call(String requestUri, String fromUser, String sdp, Map<String, String> extraHeaders,
                           String callIdValue) {
        try {
            SipURI ruri = (SipURI) addresses.createURI(requestUri);
            String transport = ruri.getTransportParam() == null ? "udp" : ruri.getTransportParam().toLowerCase();
            Address fromAddr = addresses.createAddress("sip:" + fromUser + "@" + host + ":" + port);
            FromHeader from = headers.createFromHeader(fromAddr, tag());
            SipURI toUri = (SipURI) ruri.clone();
            toUri.removeParameter("transport");
            ToHeader to = headers.createToHeader(addresses.createAddress(toUri), null);
            ViaHeader via = headers.createViaHeader(host, port, transport, null);
            CallIdHeader callId = provider.getNewCallId();
            if (callIdValue != null) {
                callId.setCallId(callIdValue);
            }
            CSeqHeader cseq = headers.createCSeqHeader(1L, Request.INVITE);
            MaxForwardsHeader mf = headers.createMaxForwardsHeader(70);
            Request invite = messages.createRequest(ruri, Request.INVITE, callId, cseq, from, to,
                    new ArrayList<>(List.of(via)), mf);
            invite.addHeader(contact(fromUser, transport));
            addHeader(invite, "Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE");
            for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                addHeader(invite, h.getKey(), h.getValue());
            }
            if (sdp != null) {
                invite.setContent(sdp, sdpType());
            }
            ClientCall call = new ClientCall(this, callId.getCallId(), fromUser, transport, sdp);
            clientCalls.put(callId.getCallId(), call);
            call.sendInitial(invite);
            return call;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send INVITE to " + requestUri, e);
        }
    }

    /** Places a call with a Session-Expires header (RFC 4028), refresher uac. */
    public ClientCall call(String requestUri, String fromUser, String sdp, int sessionExpiresSeconds) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Session-Expires", sessionExpiresSeconds + ";refresher=uac");
        h.put("Supported", "timer");
        return call(requestUri, fromUser, sdp, h);
    }

    /** Waits for the next incoming call (an INVITE that passed any digest check); null on timeout. */
    public ServerCall awaitIncomingCall(Duration timeout) {
        SipEvent e = incoming.await(x -> true, timeout);
        return e == null ? null : incomingCalls.get(e);
    }

    /** Every request this peer received, in order (including challenged and in-dialog ones). */
    public List<SipEvent> requestsSeen() {
        return requests.all();
    }

    /** Waits for (and takes) the next received request with this method. */
    public SipEvent awaitRequest(String method, Duration timeout) {
        return requests.await(e -> e.isRequest(method), timeout);
    }

    public int challengesSent() { return challengesSent.get(); }
    public int authFailures() { return authFailures.get(); }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            provider.removeSipListener(this);
        } catch (Exception ignored) {
            // closing anyway
        }
        stack.stop();
        log.info("SIP peer {} stopped", name);
    }

    // ------------------------------------------------------------------ helpers for calls

    /** Adds a header from text; list headers (Allow, Supported, ...) are split on commas. */
    void addHeader(Message m, String name, String value) throws java.text.ParseException {
        try {
            m.addHeader(headers.createHeader(name, value));
        } catch (java.text.ParseException e) {
            if (!String.valueOf(e.getMessage()).contains("singleton")) {
                throw e;
            }
            for (String v : value.split(",")) {
                m.addHeader(headers.createHeader(name, v.trim()));
            }
        }
    }

    long nowMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Milliseconds since the peer started: the clock of {@link SipEvent#atMs()}. */
    public long elapsedMs() {
        return nowMs();
    }

    static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    ContentTypeHeader sdpType() throws java.text.ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    ContactHeader contact(String user, String transport) throws java.text.ParseException {
        String t = "udp".equals(transport) ? "" : ";transport=" + transport;
        String where = advertise != null ? advertise : host + ":" + port;
        return headers.createContactHeader(addresses.createAddress("sip:" + user + "@" + where + t));
    }

    SipEvent event(Message m) {
        String callId = ((CallIdHeader) m.getHeader(CallIdHeader.NAME)).getCallId();
        if (m instanceof Request r) {
            return new SipEvent(SipEvent.Kind.REQUEST, r.getMethod(), 0, callId, m.toString(), nowMs());
        }
        Response r = (Response) m;
        String method = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod();
        return new SipEvent(SipEvent.Kind.RESPONSE, method, r.getStatusCode(), callId, m.toString(), nowMs());
    }

    // ------------------------------------------------------------------ SipListener

    @Override
    public void processRequest(RequestEvent evt) {
        Request req = evt.getRequest();
        SipEvent ev = event(req);
        MDC.put("callId", ev.callId());
        try {
            requests.add(ev);
            String method = req.getMethod();
            ServerTransaction st = evt.getServerTransaction();
            ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
            ClientCall cc = clientCalls.get(ev.callId());
            ServerCall sc = serverCalls.get(ev.callId());
            if (Request.ACK.equals(method)) {
                if (sc != null) {
                    sc.onAck(ev);
                } else if (cc != null) {
                    cc.events.add(ev);
                }
                return;
            }
            if (Request.CANCEL.equals(method)) {
                if (st == null) {
                    st = provider.getNewServerTransaction(req);
                }
                st.sendResponse(messages.createResponse(sc != null ? 200 : 481, req));
                if (sc != null) {
                    sc.onCancel(ev);
                }
                return;
            }
            if (Request.INVITE.equals(method) && to.getTag() == null && sc == null && cc == null) {
                onNewInvite(evt, ev, st);
                return;
            }
            if (Request.REGISTER.equals(method) && cc == null && sc == null) {
                onRegister(ev, req, st);
                return;
            }
            if (st == null) {
                st = provider.getNewServerTransaction(req);
            }
            if (cc != null) {
                cc.onRequest(ev, req, st);
            } else if (sc != null) {
                sc.onRequest(ev, req, st);
            } else {
                int code = Request.OPTIONS.equals(method) ? 200 : 481;
                st.sendResponse(messages.createResponse(code, req));
            }
        } catch (Exception e) {
            log.warn("{}: failed handling {}", name, ev, e);
        } finally {
            MDC.remove("callId");
        }
    }

    private void onNewInvite(RequestEvent evt, SipEvent ev, ServerTransaction st) throws Exception {
        Request req = evt.getRequest();
        if (challengeRealm != null) {
            String hdr = challengeAsProxy ? "Proxy-Authorization" : "Authorization";
            String auth = ev.header(hdr);
            if (auth == null || !issuedNonces.contains(DigestAuth.parse(auth).get("nonce"))) {
                challenge(req);
                return;
            }
            if (!verify(auth, req.getMethod())) {
                authFailures.incrementAndGet();
                provider.sendResponse(messages.createResponse(Response.FORBIDDEN, req));
                return;
            }
        }
        if (st == null) {
            st = provider.getNewServerTransaction(req);
        }
        UasBehaviour b = behaviour.apply(ev);
        ServerCall call = new ServerCall(this, ev, req, st, b);
        serverCalls.put(ev.callId(), call);
        incomingCalls.put(ev, call);
        incoming.add(ev);
        call.start();
    }

    /**
     * Registrar behaviour (for a switch that registers to its carrier): the same digest challenge as
     * INVITEs when configured, then 200 echoing the Contact with the requested (or 3600 s) expiry.
     */
    private void onRegister(SipEvent ev, Request req, ServerTransaction st) throws Exception {
        if (challengeRealm != null) {
            String auth = ev.header(challengeAsProxy ? "Proxy-Authorization" : "Authorization");
            if (auth == null || !issuedNonces.contains(DigestAuth.parse(auth).get("nonce"))) {
                challenge(req);
                return;
            }
            if (!verify(auth, req.getMethod())) {
                authFailures.incrementAndGet();
                provider.sendResponse(messages.createResponse(Response.FORBIDDEN, req));
                return;
            }
        }
        if (st == null) {
            st = provider.getNewServerTransaction(req);
        }
        Response ok = messages.createResponse(Response.OK, req);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(tag());
        ContactHeader contact = (ContactHeader) req.getHeader(ContactHeader.NAME);
        int expires = 3600;
        javax.sip.header.ExpiresHeader eh = (javax.sip.header.ExpiresHeader) req.getHeader(javax.sip.header.ExpiresHeader.NAME);
        if (contact != null && contact.getExpires() >= 0) {
            expires = contact.getExpires();
        } else if (eh != null) {
            expires = eh.getExpires();
        }
        if (contact != null) {
            ContactHeader c = (ContactHeader) contact.clone();
            c.setExpires(expires);
            ok.addHeader(c);
        }
        ok.addHeader(headers.createExpiresHeader(expires));
        st.sendResponse(ok);
        registrations.add(ev);
    }

    private final EventLog registrations = new EventLog();

    /** Waits for (and takes) the next REGISTER this peer accepted with 200. */
    public SipEvent awaitRegistration(Duration timeout) {
        return registrations.await(e -> true, timeout);
    }

    private void challenge(Request req) throws Exception {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        issuedNonces.add(nonce);
        int code = challengeAsProxy ? Response.PROXY_AUTHENTICATION_REQUIRED : Response.UNAUTHORIZED;
        Response r = messages.createResponse(code, req);
        ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(tag());
        String value = "Digest realm=\"" + challengeRealm + "\", nonce=\"" + nonce
                + "\", algorithm=MD5, qop=\"auth\"";
        r.addHeader(headers.createHeader(challengeAsProxy ? "Proxy-Authenticate" : "WWW-Authenticate", value));
        challengesSent.incrementAndGet();
        // Stateless would leave the 4xx unretransmitted over UDP; a server transaction absorbs the ACK.
        ServerTransaction st = provider.getNewServerTransaction(req);
        st.sendResponse(r);
    }

    private boolean verify(String auth, String method) {
        Map<String, String> a = DigestAuth.parse(auth);
        if (!challengeUser.equals(a.get("username")) || !challengeRealm.equals(a.get("realm"))) {
            return false;
        }
        String expected = DigestAuth.response(challengeUser, challengeRealm, challengePassword, method,
                a.get("uri"), a.get("nonce"), a.get("qop"), a.get("nc"), a.get("cnonce"));
        return expected.equalsIgnoreCase(a.get("response"));
    }

    @Override
    public void processResponse(ResponseEvent evt) {
        Response r = evt.getResponse();
        SipEvent ev = event(r);
        MDC.put("callId", ev.callId());
        try {
            ClientCall cc = clientCalls.get(ev.callId());
            if (cc != null) {
                cc.onResponse(ev, r, evt.getClientTransaction(), evt.getDialog());
                return;
            }
            ServerCall sc = serverCalls.get(ev.callId());
            if (sc != null) {
                sc.onResponse(ev, r, evt.getClientTransaction());
            }
        } catch (Exception e) {
            log.warn("{}: failed handling {}", name, ev, e);
        } finally {
            MDC.remove("callId");
        }
    }

    @Override
    public void processTimeout(TimeoutEvent evt) {
        Request r = evt.isServerTransaction() ? evt.getServerTransaction().getRequest()
                : evt.getClientTransaction().getRequest();
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        SipEvent ev = new SipEvent(SipEvent.Kind.TIMEOUT, r.getMethod(), 0, callId, r.toString(), nowMs());
        ClientCall cc = clientCalls.get(callId);
        if (cc != null) {
            cc.events.add(ev);
        }
        ServerCall sc = serverCalls.get(callId);
        if (sc != null) {
            sc.events.add(ev);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent evt) {
        log.debug("{}: I/O error towards {}:{}/{}", name, evt.getHost(), evt.getPort(), evt.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent evt) {
        // nothing: calls track their own state
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent evt) {
        // nothing
    }

    ClientTransaction newClientTransaction(Request r) throws Exception {
        return provider.getNewClientTransaction(r);
    }

    void sendInDialog(Dialog d, Request r) throws Exception {
        d.sendRequest(provider.getNewClientTransaction(r));
    }

    void schedule(Runnable r, long delayMs) {
        timer.schedule(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("{}: scheduled task failed", name, e);
            }
        }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    private static int freePort(String host) throws IOException {
        InetAddress addr = InetAddress.getByName(host);
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket d = new DatagramSocket(0, addr)) {
                int p = d.getLocalPort();
                try (ServerSocket s = new ServerSocket(p, 1, addr)) {
                    return p;
                } catch (IOException busy) {
                    // TCP side taken: try another
                }
            }
        }
        throw new IOException("no free UDP+TCP port on " + host);
    }
}
