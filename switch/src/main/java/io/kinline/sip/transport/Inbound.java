package io.kinline.sip.transport;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.text.ParseException;

/**
 * Transport-independent receive path: parse, validate, answer bad requests statelessly, stamp received/rport,
 * hand good messages to the {@link MessageSink}. Never throws.
 */
public final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);
    private final RateLimitedLog badLog = new RateLimitedLog(LOG, 1000);
    private final SipMetrics metrics;
    private final MessageSink sink;

    public Inbound(SipMetrics metrics, MessageSink sink) {
        this.metrics = metrics;
        this.sink = sink;
    }

    public SipMetrics metrics() {
        return metrics;
    }

    /** A complete framed message. */
    public void onFrame(byte[] bytes, Transport transport, InetSocketAddress source) {
        SipCodec.Result r;
        try {
            r = SipCodec.parse(bytes);
        } catch (RuntimeException e) {
            r = new SipCodec.Bad("parser failure: " + e, null);
        }
        if (r instanceof SipCodec.Bad bad) {
            reject(bad.response(), bad.problem(), transport, source);
            return;
        }
        SIPMessage m = ((SipCodec.Ok) r).message();
        metrics.received.incrementAndGet();
        metrics.count(SipMetrics.Direction.IN, m);
        if (m instanceof SIPRequest req) {
            stampVia(req.getTopmostVia(), source);
        }
        try {
            sink.onMessage(m, transport, source);
        } catch (RuntimeException e) {
            LOG.error("message processing failed", e);
        }
    }

    /** A framing error (size limit, bad Content-Length): answer if routable, else just count. */
    public void onFramingError(byte[] headerBytes, int status, String reason, Transport transport,
                               InetSocketAddress source) {
        SIPResponse resp = null;
        try {
            resp = SipCodec.salvage(headerBytes, status, reason);
        } catch (RuntimeException e) {
            // fall through: drop
        }
        reject(resp, reason, transport, source);
    }

    private void reject(SIPResponse resp, String problem, Transport transport, InetSocketAddress source) {
        if (resp == null) {
            metrics.malformedDropped.incrementAndGet();
            badLog.warn("dropped malformed message from {} over {}: {}", source, transport.name(), problem);
            return;
        }
        Via via = resp.getTopmostVia();
        stampVia(via, source);
        if (resp.getStatusCode() == 513) {
            metrics.tooLargeSent.incrementAndGet();
        } else {
            metrics.badRequestSent.incrementAndGet();
        }
        badLog.warn("answered malformed request from {} over {} with {} {}", source, transport.name(),
                resp.getStatusCode(), resp.getReasonPhrase());
        InetSocketAddress dest = Routing.responseDestination(via, source, transport);
        transport.send(resp, dest);
    }

    /** RFC 3261 §18.2.1 received= and RFC 3581 rport=. */
    static void stampVia(Via via, InetSocketAddress source) {
        if (via == null || source == null) {
            return;
        }
        try {
            String srcIp = source.getAddress().getHostAddress();
            String host = via.getHost();
            if (host == null || !stripBrackets(host).equalsIgnoreCase(srcIp)) {
                via.setReceived(srcIp);
            }
            if (via.hasParameter(Via.RPORT) && via.getRPort() <= 0) {
                via.setParameter(Via.RPORT, Integer.toString(source.getPort()));
                if (via.getReceived() == null) {
                    via.setReceived(srcIp); // RFC 3581 §4: received MUST be added with rport
                }
            }
        } catch (ParseException | RuntimeException e) {
            // an unusable Via only loses the optimisation; routing falls back to the packet source
        }
    }

    static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
