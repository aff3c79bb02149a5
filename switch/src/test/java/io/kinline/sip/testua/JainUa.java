package io.kinline.sip.testua;

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
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An independent SIP UA for tests, built on the JAIN-SIP RI's own stack and transport (not Kinline's).
 * Incoming requests get a server transaction automatically and are queued; BYE, CANCEL, OPTIONS and INFO are
 * answered automatically unless {@link #autoAnswer} is false.
 */
public final class JainUa implements SipListener, AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final SipStack stack;
    public final SipProvider provider;
    public final ListeningPoint listeningPoint;
    public final AddressFactory addressFactory;
    public final HeaderFactory headerFactory;
    public final MessageFactory messageFactory;
    public final String transport;
    public final String name;
    public volatile boolean autoAnswer = true;

    /** An incoming request with its server transaction (null for ACK). */
    public record Incoming(Request request, ServerTransaction st, Dialog dialog) {
        public String body() {
            byte[] b = request.getRawContent();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }

    private final List<Incoming> requests = new ArrayList<>();
    private final List<ResponseEvent> responses = new ArrayList<>();
    private final List<Object> timeouts = new ArrayList<>();
    private final Map<String, ServerTransaction> pendingInvites = new ConcurrentHashMap<>();
    private final Map<String, String> toTags = new ConcurrentHashMap<>();

    public JainUa(String name, String transport) throws Exception {
        this.name = name;
        this.transport = transport;
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name + "-" + SEQ.incrementAndGet());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", JainUaStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoopServerLogger.class.getName());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        stack = f.createSipStack(p);
        addressFactory = f.createAddressFactory();
        headerFactory = f.createHeaderFactory();
        messageFactory = f.createMessageFactory();
        listeningPoint = stack.createListeningPoint("127.0.0.1", freePort(transport), transport);
        provider = stack.createSipProvider(listeningPoint);
        provider.addSipListener(this);
        stack.start();
    }

    private static int freePort(String transport) throws IOException {
        if ("tcp".equalsIgnoreCase(transport)) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return listeningPoint.getPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    // ------------------------------------------------------------ building and sending

    /** A new INVITE to {@code user@target} with an SDP body (may be null). */
    public Request newInvite(InetSocketAddress target, String user, String sdp) throws Exception {
        return newRequest(Request.INVITE, target, user, sdp);
    }

    public Request newRequest(String method, InetSocketAddress target, String user, String body) throws Exception {
        SipURI ruri = addressFactory.createSipURI(user, "127.0.0.1:" + target.getPort());
        if (!"udp".equalsIgnoreCase(transport)) {
            ruri.setTransportParam(transport);
        }
        Address from = addressFactory.createAddress(addressFactory.createSipURI(name, "127.0.0.1:" + port()));
        Address to = addressFactory.createAddress(addressFactory.createSipURI(user, "127.0.0.1:" + target.getPort()));
        CallIdHeader callId = provider.getNewCallId();
        CSeqHeader cseq = headerFactory.createCSeqHeader(1L, method);
        List<ViaHeader> vias = new ArrayList<>();
        ViaHeader via = headerFactory.createViaHeader("127.0.0.1", port(), transport, null);
        via.setRPort();
        vias.add(via);
        Request r = messageFactory.createRequest(ruri, method, callId, cseq,
                headerFactory.createFromHeader(from, Long.toHexString(System.nanoTime())),
                headerFactory.createToHeader(to, null), vias, headerFactory.createMaxForwardsHeader(70));
        r.addHeader(contact());
        if (body != null) {
            r.setContent(body, headerFactory.createContentTypeHeader("application", "sdp"));
        }
        return r;
    }

    public ContactHeader contact() throws Exception {
        SipURI c = addressFactory.createSipURI(name, "127.0.0.1:" + port());
        if (!"udp".equalsIgnoreCase(transport)) {
            c.setTransportParam(transport);
        }
        return headerFactory.createContactHeader(addressFactory.createAddress(c));
    }

    public ClientTransaction send(Request r) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(r);
        ct.sendRequest();
        return ct;
    }

    public ClientTransaction invite(InetSocketAddress target, String user, String sdp) throws Exception {
        return send(newInvite(target, user, sdp));
    }

    /** Sends the ACK for a 2xx. */
    public void ack(ResponseEvent ok) throws Exception {
        Dialog d = ok.getDialog();
        long cseq = ((CSeqHeader) ok.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
        d.sendAck(d.createAck(cseq));
    }

    public ClientTransaction inDialog(Dialog d, String method, String contentType, String body) throws Exception {
        Request r = d.createRequest(method);
        if (body != null) {
            String[] ct = contentType.split("/");
            r.setContent(body, headerFactory.createContentTypeHeader(ct[0], ct[1]));
        }
        if (Request.INVITE.equals(method)) {
            r.setHeader(contact());
        }
        ClientTransaction ct = provider.getNewClientTransaction(r);
        d.sendRequest(ct);
        return ct;
    }

    public ClientTransaction bye(Dialog d) throws Exception {
        return inDialog(d, Request.BYE, null, null);
    }

    /** Responds on the request's server transaction; dialog-creating responses get a stable To tag. */
    public Response respond(Incoming in, int status, String sdp, Header... extra) throws Exception {
        Response r = messageFactory.createResponse(status, in.request());
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        if (to.getTag() == null && status > 100) {
            String callId = ((CallIdHeader) in.request().getHeader(CallIdHeader.NAME)).getCallId();
            to.setTag(toTags.computeIfAbsent(callId, k -> Long.toHexString(System.nanoTime())));
        }
        if (status > 100 && status < 300) {
            r.addHeader(contact());
        }
        if (sdp != null) {
            ContentTypeHeader ct = headerFactory.createContentTypeHeader("application", "sdp");
            r.setContent(sdp, ct);
        }
        for (Header h : extra) {
            r.addHeader(h);
        }
        in.st().sendResponse(r);
        return r;
    }

    // ------------------------------------------------------------ waiting

    public Incoming awaitRequest(String method, long timeoutMs) throws InterruptedException {
        return await(requests, i -> i.request().getMethod().equals(method), timeoutMs);
    }

    public ResponseEvent awaitResponse(Predicate<Response> p, long timeoutMs) throws InterruptedException {
        return await(responses, e -> p.test(e.getResponse()), timeoutMs);
    }

    public ResponseEvent awaitResponse(int status, String method, long timeoutMs) throws InterruptedException {
        return awaitResponse(r -> r.getStatusCode() == status
                && ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod().equals(method), timeoutMs);
    }

    public Object awaitTimeout(long timeoutMs) throws InterruptedException {
        return await(timeouts, o -> true, timeoutMs);
    }

    /** Requests received so far with this method (without consuming them). */
    public int countRequests(String method) {
        synchronized (requests) {
            return (int) requests.stream().filter(i -> i.request().getMethod().equals(method)).count();
        }
    }

    private static <T> T await(List<T> list, Predicate<T> p, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (list) {
            while (true) {
                for (int i = 0; i < list.size(); i++) {
                    if (p.test(list.get(i))) {
                        return list.remove(i);
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return null;
                }
                list.wait(left);
            }
        }
    }

    private static <T> void add(List<T> list, T item) {
        synchronized (list) {
            list.add(item);
            list.notifyAll();
        }
    }

    // ------------------------------------------------------------ SipListener

    @Override
    public void processRequest(RequestEvent ev) {
        Request req = ev.getRequest();
        String method = req.getMethod();
        try {
            ServerTransaction st = ev.getServerTransaction();
            if (st == null && !Request.ACK.equals(method)) {
                try {
                    st = provider.getNewServerTransaction(req);
                } catch (javax.sip.TransactionAlreadyExistsException e) {
                    return; // a retransmission racing the first copy: the stack absorbs it
                }
            }
            String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
            Incoming in = new Incoming(req, st, st != null ? st.getDialog() : ev.getDialog());
            if (Request.INVITE.equals(method)) {
                pendingInvites.put(callId, st);
            }
            if (autoAnswer) {
                switch (method) {
                    case Request.BYE, Request.OPTIONS, Request.INFO, Request.UPDATE ->
                            st.sendResponse(messageFactory.createResponse(200, req));
                    case Request.CANCEL -> {
                        st.sendResponse(messageFactory.createResponse(200, req));
                        ServerTransaction inv = pendingInvites.remove(callId);
                        if (inv != null) {
                            Response r = messageFactory.createResponse(487, inv.getRequest());
                            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(
                                    toTags.computeIfAbsent(callId, k -> Long.toHexString(System.nanoTime())));
                            inv.sendResponse(r);
                        }
                    }
                    default -> { }
                }
            }
            add(requests, in);
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed on " + method, e);
        }
    }

    @Override
    public void processResponse(ResponseEvent ev) {
        add(responses, ev);
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
        add(timeouts, ev);
    }

    @Override
    public void processIOException(IOExceptionEvent ev) {
        add(timeouts, ev);
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent ev) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent ev) {
    }

    @Override
    public void close() {
        try {
            stack.deleteSipProvider(provider);
            stack.deleteListeningPoint(listeningPoint);
        } catch (Exception e) {
            // best effort
        }
        stack.stop();
    }
}
