package io.kinline.sip.transport;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns one framed message into a JAIN-SIP {@link SIPMessage}, validating what RFC 3261 §8.2/§16.3 require of
 * every message, and builds stateless error responses for what cannot be processed.
 * <p>
 * Uses {@link StringMsgParser} (one per thread: it holds no per-message state but is not documented as
 * thread-safe). Never a hand-written parser: {@link #salvage} only splits header lines and hands each one to
 * JAIN-SIP's header parser.
 */
public final class SipCodec {

    private static final FastThreadLocal<StringMsgParser> PARSER = new FastThreadLocal<>() {
        @Override
        protected StringMsgParser initialValue() {
            return new StringMsgParser();
        }
    };

    private SipCodec() {
    }

    /** Outcome of {@link #parse}. */
    public sealed interface Result permits Ok, Bad {
    }

    /** A well-formed message. */
    public record Ok(SIPMessage message) implements Result {
    }

    /**
     * A message that must not be processed; {@code response} is the stateless error response to send (only for
     * requests with a usable Via), else null (drop).
     */
    public record Bad(String problem, SIPResponse response) implements Result {
    }

    /** Parses an exactly framed message (header block + body of exactly Content-Length bytes). */
    public static Result parse(byte[] msg) {
        int headerEnd = SipFraming.headerEnd(msg, 0, msg.length);
        if (headerEnd < 0) {
            return bad(msg, 400, "Truncated message");
        }
        if (!validUtf8(msg, headerEnd)) {
            return bad(msg, 400, "Invalid UTF-8 in headers");
        }
        int eol = SipFraming.lineEnd(msg, 0, headerEnd);
        boolean response = msg.length > 4 && msg[0] == 'S' && msg[1] == 'I' && msg[2] == 'P' && msg[3] == '/';
        if (!response && eol >= 8 && !endsWithVersion(msg, eol)) {
            // JAIN-SIP's request-line parser accepts any version; RFC 3261 §8.2.2 wants 505 for those we lack
            int sp = lastSpace(msg, eol);
            if (sp > 0 && msg[sp + 1] == 'S' && msg[sp + 2] == 'I' && msg[sp + 3] == 'P' && msg[sp + 4] == '/') {
                return bad(msg, 505, "Version Not Supported");
            }
            return bad(msg, 400, "Malformed Request-Line");
        }
        BadHeaderRecorder rec = new BadHeaderRecorder();
        SIPMessage m;
        try {
            m = PARSER.get().parseSIPMessage(msg, true, false, rec);
        } catch (ParseException | RuntimeException e) {
            return bad(msg, 400, firstLineProblem(msg));
        }
        if (m == null) {
            return bad(msg, 400, "Empty message");
        }
        if (rec.badHeader != null) {
            return bad(msg, 400, "Bad " + rec.badHeader + " header");
        }
        String missing = missingHeader(m);
        if (missing != null) {
            return bad(msg, 400, "Missing " + missing);
        }
        if (m instanceof SIPRequest req) {
            if (req.getRequestLine() == null || req.getMethod() == null) {
                return bad(msg, 400, "Malformed Request-Line");
            }
            if (!req.getMethod().equals(req.getCSeq().getMethod())) {
                return bad(msg, 400, "CSeq method does not match Request-Line");
            }
            if (!"SIP/2.0".equals(req.getRequestLine().getSipVersion())) {
                return bad(msg, 505, "Version Not Supported");
            }
        } else if (m instanceof SIPResponse resp && resp.getStatusLine() == null) {
            return new Bad("Malformed Status-Line", null);
        }
        return new Ok(m);
    }

    private static boolean endsWithVersion(byte[] b, int eol) {
        byte[] v = {' ', 'S', 'I', 'P', '/', '2', '.', '0'};
        for (int i = 0; i < 8; i++) {
            if (b[eol - 8 + i] != v[i]) {
                return false;
            }
        }
        return true;
    }

    private static int lastSpace(byte[] b, int eol) {
        for (int i = eol - 5; i >= 0; i--) {
            if (b[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private static String firstLineProblem(byte[] msg) {
        int eol = SipFraming.lineEnd(msg, 0, msg.length);
        String line = new String(msg, 0, eol < 0 ? Math.min(msg.length, 256) : Math.min(eol, 256),
                StandardCharsets.ISO_8859_1);
        if (line.startsWith("SIP/")) {
            return "Malformed Status-Line";
        }
        return "Malformed Request-Line";
    }

    private static String missingHeader(SIPMessage m) {
        if (m.getTopmostVia() == null) {
            return "Via";
        }
        if (m.getFrom() == null) {
            return "From";
        }
        if (m.getTo() == null) {
            return "To";
        }
        if (m.getCallId() == null) {
            return "Call-ID";
        }
        if (m.getCSeq() == null) {
            return "CSeq";
        }
        return null; // Max-Forwards may be missing (lenient)
    }

    private static Bad bad(byte[] msg, int status, String problem) {
        String reason = (status == 400 ? "Bad Request - " : status == 513 ? "" : "") + problem;
        if (status == 505) {
            reason = problem;
        }
        return new Bad(problem, salvage(msg, status, reason));
    }

    private static boolean validUtf8(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (b[i] < 0) { // only decode when there is non-ASCII at all: the common case is pure ASCII
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(b, 0, len));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Builds a stateless error response from whatever header lines can be parsed one by one, or returns null when
     * no response can be routed: the message is a response, or has no parseable Via.
     */
    public static SIPResponse salvage(byte[] bytes, int status, String reason) {
        int firstEol = SipFraming.lineEnd(bytes, 0, bytes.length);
        if (firstEol < 0) {
            return null;
        }
        if (bytes.length >= 4 && bytes[0] == 'S' && bytes[1] == 'I' && bytes[2] == 'P' && bytes[3] == '/') {
            return null; // never answer a response
        }
        int hdrEnd = SipFraming.headerEnd(bytes, 0, bytes.length);
        String headers = new String(bytes, firstEol + 2, (hdrEnd < 0 ? bytes.length : hdrEnd) - firstEol - 2,
                StandardCharsets.UTF_8);
        SIPResponse resp = new SIPResponse();
        try {
            resp.setStatusCode(status);
            resp.setReasonPhrase(reason);
        } catch (ParseException e) {
            return null;
        }
        ViaList vias = new ViaList();
        boolean from = false, to = false, callId = false, cseq = false;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            boolean wanted = switch (name) {
                case "via", "v" -> true;
                case "from", "f" -> !from;
                case "to", "t" -> !to;
                case "call-id", "i" -> !callId;
                case "cseq" -> !cseq;
                default -> false;
            };
            if (!wanted) {
                continue;
            }
            try {
                SIPHeader h = StringMsgParser.parseSIPHeader(line.trim() + "\r\n");
                if (h instanceof ViaList vl) {
                    for (Via v : vl) {
                        vias.add(v);
                    }
                } else if (h instanceof Via v) {
                    vias.add(v);
                } else if (h instanceof From f) {
                    resp.setFrom(f);
                    from = true;
                } else if (h instanceof To t) {
                    if (t.getTag() == null) {
                        t.setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
                    }
                    resp.setTo(t);
                    to = true;
                } else if (h instanceof CallID c) {
                    resp.setCallId(c);
                    callId = true;
                } else if (h instanceof CSeq c) {
                    resp.setCSeq(c);
                    cseq = true;
                }
            } catch (ParseException | RuntimeException e) {
                // unparseable header: leave it out of the error response
            }
        }
        if (vias.isEmpty()) {
            return null;
        }
        resp.setHeader(vias);
        return resp;
    }

    /** Records the first header JAIN-SIP could not parse and lets it continue; first-line errors are fatal. */
    private static final class BadHeaderRecorder implements ParseExceptionListener {
        String badHeader;

        @Override
        public void handleException(ParseException ex, SIPMessage sipMessage,
                                    @SuppressWarnings("rawtypes") Class headerClass, String headerText,
                                    String messageText) throws ParseException {
            if (headerClass == null || headerText == null
                    || headerClass.getSimpleName().endsWith("RequestLine")
                    || headerClass.getSimpleName().endsWith("StatusLine")) {
                throw ex;
            }
            if (badHeader == null) {
                int colon = headerText.indexOf(':');
                badHeader = colon > 0 ? headerText.substring(0, colon).trim() : headerClass.getSimpleName();
                // the name goes into our reason phrase: keep RFC 3261 token characters only
                badHeader = badHeader.replaceAll("[^A-Za-z0-9.!%*_+`'~-]", "");
                if (badHeader.length() > 40) {
                    badHeader = badHeader.substring(0, 40);
                }
                if (badHeader.isEmpty()) {
                    badHeader = headerClass.getSimpleName();
                }
            }
        }
    }
}
