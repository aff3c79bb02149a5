package io.kinline.sip.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a minimal test client needs of SIP text: requests and responses written out, a stream reader that frames by
 * Content-Length, and header lookup. The switch's own codec is never used on the client side.
 */
final class SipText {
    static final String SDP = "v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=sendrecv\r\n";

    private SipText() {
    }

    static String invite(String transport, String ruriHostPort, String callId, String fromTag) {
        return "INVITE sip:15551234567@" + ruriHostPort + ";transport=" + transport.toLowerCase(Locale.ROOT)
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " df7jal23ls0d.invalid;branch=z9hG4bK-" + callId + "-1;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:1001@facility.invalid>;tag=" + fromTag + "\r\n"
                + "To: <sip:15551234567@" + ruriHostPort + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:1001@df7jal23ls0d.invalid;transport=" + transport.toLowerCase(Locale.ROOT) + ";ob>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
    }

    static String ack(String transport, String target, String callId, String fromTag, String to) {
        return "ACK " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " df7jal23ls0d.invalid;branch=z9hG4bK-" + callId + "-2;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:1001@facility.invalid>;tag=" + fromTag + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** 200 OK to {@code request}, copying Via, From, To, Call-ID and CSeq. */
    static String ok(String request) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("to:") || l.startsWith("call-id:")
                    || l.startsWith("cseq:")) {
                b.append(line).append("\r\n");
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** First value of header {@code name}, or null. */
    static String header(String msg, String name) {
        for (String line : msg.split("\r\n")) {
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The URI inside the Contact header's angle brackets. */
    static String contactUri(String msg) {
        String c = header(msg, "Contact");
        return c.substring(c.indexOf('<') + 1, c.indexOf('>'));
    }

    /** Reads one message from a stream, framed by Content-Length (RFC 3261 §18.3); null at end of stream. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (head.size() == 0 && (c == '\r' || c == '\n')) {
                continue; // keep-alive CRLFs
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        String len = header(h, "Content-Length");
        byte[] body = in.readNBytes(len == null ? 0 : Integer.parseInt(len));
        return h + new String(body, StandardCharsets.US_ASCII);
    }
}
