package io.kinline.sip.core;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.kinline.sip.StatusPhrase;
import io.kinline.sip.transport.Transport;

import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Building and reading SIP messages for the UA core, on JAIN-SIP's factories: responses with our tag and
 * Server header, requests with our Via, Contact, the headers we always add, bodies, and the small parsing
 * helpers (SDP body, Record-Route, Allow, next hop). One per {@link SipCore}; the factories are not shared
 * across threads.
 */
final class SipMessages {
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";
    static final String ACCEPT = "application/sdp, application/dtmf-relay, application/dtmf";
    static final String SUPPORTED = "timer";

    private final MessageFactoryImpl messageFactory = new MessageFactoryImpl();
    private final HeaderFactoryImpl headerFactory = new HeaderFactoryImpl();
    private final AddressFactoryImpl addressFactory = new AddressFactoryImpl();
    private final String userAgent;

    SipMessages(String userAgent) {
        this.userAgent = userAgent;
    }

    // ------------------------------------------------------------------ building

    /** A response to {@code req} with our To tag (if given) and Server header. Never mutates {@code req}. */
    SIPResponse response(SIPRequest req, int status, String reason, String toTag) {
        SIPResponse r = req.createResponse(status, reason);
        try {
            if (status > 100 && r.getTo() != null && r.getToTag() == null) {
                ((To) r.getTo()).setTag(toTag != null ? toTag : newTag());
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        addHeader(r, "Server", userAgent);
        return r;
    }

    /** A response with the status's standard reason phrase ({@link StatusPhrase}). */
    SIPResponse response(SIPRequest req, int status, String toTag) {
        return response(req, status, StatusPhrase.of(status), toTag);
    }

    /**
     * A request from {@code from} to {@code to} with our Via (rport, a new branch), Max-Forwards 70 and
     * User-Agent; INVITE and UPDATE also carry our Contact and Allow.
     */
    SIPRequest request(URI requestUri, String method, String callId, long cseq, Address from, String fromTag,
                       Address to, String toTag, Transport transport) {
        try {
            InetSocketAddress local = transport.localAddress();
            ViaHeader via = headerFactory.createViaHeader(local.getAddress().getHostAddress(), local.getPort(),
                    transport.name().toUpperCase(Locale.ROOT), newBranch());
            via.setRPort();
            List<ViaHeader> vias = new ArrayList<>(1);
            vias.add(via);
            SIPRequest r = (SIPRequest) messageFactory.createRequest(requestUri, method,
                    headerFactory.createCallIdHeader(callId), headerFactory.createCSeqHeader(cseq, method),
                    headerFactory.createFromHeader(from, fromTag), headerFactory.createToHeader(to, toTag), vias,
                    headerFactory.createMaxForwardsHeader(70));
            if ("INVITE".equals(method) || "UPDATE".equals(method)) {
                r.addHeader(contact(transport));
                addHeader(r, "Allow", ALLOW);
            }
            addHeader(r, "User-Agent", userAgent);
            return r;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build " + method, e);
        }
    }

    /** A Route header for {@code a} (a copy). */
    void addRoute(SIPRequest r, Address a) {
        r.addHeader(headerFactory.createRouteHeader(copy(a)));
    }

    /** {@code sip:user@host[:port]}; port 0 or less leaves it out. */
    SipURI sipUri(String user, String host, int port) {
        try {
            SipURI uri = addressFactory.createSipURI(user, host);
            if (port > 0) {
                uri.setPort(port);
            }
            return uri;
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad SIP URI for " + user + "@" + host, e);
        }
    }

    Address address(URI uri, String displayName) {
        Address a = addressFactory.createAddress(uri);
        if (displayName != null) {
            try {
                a.setDisplayName(displayName);
            } catch (ParseException e) {
                throw new IllegalArgumentException("bad display name " + displayName, e);
            }
        }
        return a;
    }

    void addHeader(SIPMessage m, String name, String value) {
        try {
            // the header parser yields a list for list-valued headers (Allow, Supported...), which the
            // factory's createHeader refuses
            m.addHeader(StringMsgParser.parseSIPHeader(name + ": " + value + "\r\n"));
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad header " + name + ": " + value, e);
        }
    }

    void setBody(SIPMessage m, String contentType, String body) {
        if (body == null) {
            return;
        }
        int slash = contentType.indexOf('/');
        try {
            m.setContent(body.getBytes(StandardCharsets.UTF_8),
                    headerFactory.createContentTypeHeader(contentType.substring(0, slash),
                            contentType.substring(slash + 1)));
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    ContactHeader contact(Transport t) {
        InetSocketAddress a = t.localAddress();
        SipURI uri = sipUri("kinline", hostOf(a), a.getPort());
        if (t.reliable()) {
            try {
                uri.setTransportParam(t.uriTransport());
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        return headerFactory.createContactHeader(addressFactory.createAddress(uri));
    }

    static Address copy(Address a) {
        return (Address) ((AddressImpl) a).clone();
    }

    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    static String newBranch() {
        return "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() & Integer.MAX_VALUE);
    }

    static String newCallId(String host) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() & Long.MAX_VALUE) + Long.toHexString(r.nextLong() & Long.MAX_VALUE)
                + '@' + host;
    }

    // ------------------------------------------------------------------ reading

    static String body(SIPMessage m) {
        byte[] raw = m.getRawContent();
        return raw == null || raw.length == 0 ? null : new String(raw, StandardCharsets.UTF_8);
    }

    static String contentType(SIPMessage m) {
        return m.getContentTypeHeader() == null ? null
                : m.getContentTypeHeader().getContentType() + '/' + m.getContentTypeHeader().getContentSubType();
    }

    /** SDP body or null. */
    static String sdp(SIPMessage m) {
        String ct = contentType(m);
        return ct != null && ct.equalsIgnoreCase("application/sdp") ? body(m) : null;
    }

    /** The Contact URI (a copy), or null. */
    static URI contactUri(SIPMessage m) {
        ContactHeader c = m.getContactHeader();
        return c == null ? null : (URI) c.getAddress().getURI().clone();
    }

    /** The Record-Route addresses in the order they appear (copies). */
    static List<Address> recordRoutes(SIPMessage m) {
        List<Address> routes = new ArrayList<>();
        Iterator<?> rr = m.getHeaders(RecordRoute.NAME);
        while (rr != null && rr.hasNext()) {
            routes.add(copy(((RecordRoute) rr.next()).getAddress()));
        }
        return routes;
    }

    /** Whether the Allow headers of {@code m} list {@code method}. */
    static boolean allows(SIPMessage m, String method) {
        Iterator<?> it = m.getHeaders("Allow");
        while (it != null && it.hasNext()) {
            for (String s : ((SIPHeader) it.next()).getHeaderValue().split(",")) {
                if (s.trim().equalsIgnoreCase(method)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String hostOf(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.indexOf(':') >= 0 ? '[' + h + ']' : h;
    }

    /** Where to send a request whose next hop is {@code uri}. IP literals only (no DNS on the event loop). */
    static InetSocketAddress destination(URI uri, InetSocketAddress fallback) {
        if (!(uri instanceof SipURI s)) {
            return fallback;
        }
        String host = s.getHost();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!isIpLiteral(host)) {
            // no DNS on the event loop (and no RFC 3263 yet): a host name sends to where the peer's packets came from
            return fallback;
        }
        return new InetSocketAddress(host, s.getPort() > 0 ? s.getPort() : 5060);
    }

    /**
     * Whether a Contact names a private, link-local, shared (100.64/10) or unspecified address other than the
     * source the request came from: a gateway behind NAT advertising its inside address.
     */
    static boolean natContact(URI contact, InetSocketAddress source) {
        if (!(contact instanceof SipURI s) || source == null) {
            return false;
        }
        String host = s.getHost();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!isIpLiteral(host)) {
            return false; // a host name already goes to the source (destination(), no DNS on the loop)
        }
        java.net.InetAddress a;
        try {
            a = java.net.InetAddress.getByName(host); // an IP literal (isIpLiteral): parsed, never looked up
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return true; // not an address we could send to
        }
        int port = s.getPort() > 0 ? s.getPort() : 5060;
        if (a.equals(source.getAddress()) && port == source.getPort()) {
            return false;
        }
        byte[] b = a.getAddress();
        boolean shared = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean ula = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        return !a.equals(source.getAddress()) && (a.isSiteLocalAddress() || a.isLinkLocalAddress()
                || a.isAnyLocalAddress() || shared || ula);
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return !host.isEmpty();
    }

    static String transportOf(URI uri, String dflt) {
        String t = uri instanceof SipURI s ? s.getTransportParam() : null;
        return t == null ? dflt : t.toLowerCase(Locale.ROOT);
    }

    static <T> List<T> reversed(List<T> l) {
        List<T> r = new ArrayList<>(l.size());
        for (ListIterator<T> it = l.listIterator(l.size()); it.hasPrevious(); ) {
            r.add(it.previous());
        }
        return r;
    }
}
