package io.kinline.media.sdp;

import io.kinline.media.SdpException;
import io.kinline.media.codec.Codec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.Media;
import javax.sdp.MediaDescription;
import javax.sdp.SdpFactory;
import javax.sdp.SdpParseException;
import javax.sdp.SessionDescription;

/**
 * SDP offer/answer for one audio stream (RFC 3264, RFC 4566), parsing with the JAIN-SIP RI
 * {@code javax.sdp} parser and writing the text directly (the output is small and fixed, and
 * writing it ourselves keeps line order and CRLFs exactly as peers expect).
 *
 * <p>Stateless; the endpoint keeps the session id and version.
 */
public final class SessionDescriptions {

    /** Largest SDP body we parse; SIP bodies of a single audio call are well under 2 KiB. */
    public static final int MAX_LENGTH = 16 * 1024;

    private static final Codec[] PREFERENCE = {Codec.PCMU, Codec.PCMA};

    private SessionDescriptions() {
    }

    /** What we offer or answer with. */
    public record Local(String address, int port, long sessionId, long version, int telephoneEventPt,
            int ptimeMillis) {
    }

    /** One parsed m= line. */
    public record MediaLine(String type, int port, String protocol, List<String> formats,
            Map<Integer, String> rtpmap, Map<Integer, String> fmtp, int ptime, Direction direction, String address,
            int rtcpPort) {

        boolean isUsableAudio() {
            return "audio".equalsIgnoreCase(type) && port != 0 && protocol.toUpperCase(Locale.ROOT).contains("RTP/AVP");
        }

        /** The codec a format number stands for in this m= line, or null. */
        Codec codecFor(int pt) {
            String map = rtpmap.get(pt);
            if (map != null) {
                String[] parts = map.split("/");
                Codec c = Codec.forEncodingName(parts[0].trim());
                if (c != null && (parts.length < 2 || parts[1].trim().equals("8000"))) {
                    return c;
                }
                return null;
            }
            return Codec.forPayloadType(pt);
        }

        int telephoneEventPt() {
            for (String f : formats) {
                int pt = parsePt(f);
                String map = rtpmap.get(pt);
                if (map != null && map.toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
                    return pt;
                }
            }
            return -1;
        }
    }

    /** The outcome of negotiation: what to send, where, and how. */
    public record Negotiated(Codec codec, int sendPayloadType, int sendTelephoneEventPt,
            int receiveTelephoneEventPt, int sendPtimeMillis, Direction localDirection, InetSocketAddress remoteRtp,
            InetSocketAddress remoteRtcp) {

        /** Whether we may send RTP to the peer. */
        public boolean sending() {
            return localDirection.sends() && remoteRtp != null;
        }

        /** Whether we expect RTP from the peer. */
        public boolean receiving() {
            return localDirection.receives() && remoteRtp != null;
        }
    }

    /** The answer text and what it means for the endpoint. */
    public record Answer(String sdp, Negotiated negotiated) {
    }

    /** Writes an offer of PCMU, PCMA and telephone-event. */
    public static String offer(Local local, Direction direction) {
        StringBuilder sb = header(local);
        sb.append("m=audio ").append(local.port()).append(" RTP/AVP 0 8 ").append(local.telephoneEventPt()).append("\r\n");
        sb.append("a=rtpmap:0 PCMU/8000\r\n");
        sb.append("a=rtpmap:8 PCMA/8000\r\n");
        appendTelephoneEvent(sb, local.telephoneEventPt(), "0-16");
        sb.append("a=ptime:").append(local.ptimeMillis()).append("\r\n");
        sb.append("a=").append(direction.attribute()).append("\r\n");
        return sb.toString();
    }

    /**
     * Answers an offer: the first offered codec we support, telephone-event with the peer's payload
     * type if offered, the reversed direction. Other m= lines are refused with port 0.
     *
     * @throws SdpException noCommonCodec when no audio stream has a codec we speak; malformed for garbage
     */
    public static Answer answer(String offerText, Local local) throws SdpException {
        List<MediaLine> lines = parse(offerText);
        StringBuilder sb = header(local);
        Negotiated chosen = null;
        boolean sawAudio = false;
        for (MediaLine m : lines) {
            if (chosen == null && "audio".equalsIgnoreCase(m.type())) {
                sawAudio = true;
                if (!m.isUsableAudio()) {
                    // A disabled (port 0) audio stream: answer it disabled and go quiet.
                    if (m.port() == 0 && !m.formats().isEmpty()) {
                        Codec c = firstCodec(m);
                        if (c != null) {
                            sb.append("m=audio 0 ").append(m.protocol()).append(' ').append(m.formats().get(0)).append("\r\n");
                            chosen = new Negotiated(c, c.staticPayloadType(), -1, -1, local.ptimeMillis(),
                                    Direction.INACTIVE, null, null);
                            continue;
                        }
                    }
                } else {
                    Codec codec = null;
                    int codecPt = -1;
                    for (String f : m.formats()) {
                        int pt = parsePt(f);
                        Codec c = pt < 0 ? null : m.codecFor(pt);
                        if (c != null) {
                            codec = c;
                            codecPt = pt;
                            break;
                        }
                    }
                    if (codec != null) {
                        int te = m.telephoneEventPt();
                        boolean noSendAddress = isNullAddress(m.address());
                        Direction dir = m.direction().reverse();
                        if (noSendAddress) {
                            dir = dir.withoutSend(); // RFC 2543 hold: c=0.0.0.0 means "do not send to me"
                        }
                        sb.append("m=audio ").append(local.port()).append(' ').append(m.protocol()).append(' ')
                                .append(codecPt);
                        if (te >= 0) {
                            sb.append(' ').append(te);
                        }
                        sb.append("\r\n");
                        sb.append("a=rtpmap:").append(codecPt).append(' ').append(codec.encodingName()).append("/8000\r\n");
                        if (te >= 0) {
                            String fmtp = m.fmtp().get(te);
                            appendTelephoneEvent(sb, te, fmtp == null ? "0-16" : fmtp);
                        }
                        sb.append("a=ptime:").append(local.ptimeMillis()).append("\r\n");
                        sb.append("a=").append(dir.attribute()).append("\r\n");
                        InetSocketAddress rtp = noSendAddress ? null : new InetSocketAddress(m.address(), m.port());
                        InetSocketAddress rtcp = rtp == null ? null
                                : new InetSocketAddress(m.address(), m.rtcpPort() > 0 ? m.rtcpPort() : m.port() + 1);
                        chosen = new Negotiated(codec, codecPt, te, te, sendPtime(m.ptime(), local.ptimeMillis()), dir,
                                rtp, rtcp);
                        continue;
                    }
                }
            }
            sb.append("m=").append(m.type()).append(" 0 ").append(m.protocol());
            for (String f : m.formats()) {
                sb.append(' ').append(f);
            }
            sb.append("\r\n");
        }
        if (chosen == null) {
            throw SdpException.noCommonCodec(sawAudio ? "no common audio codec (we speak PCMU, PCMA)" : "no audio stream offered");
        }
        return new Answer(sb.toString(), chosen);
    }

    /**
     * Applies the answer to our {@link #offer}.
     *
     * @throws SdpException noCommonCodec when the audio stream was refused or answered with a codec we did not offer
     */
    public static Negotiated applyAnswer(String answerText, Local local) throws SdpException {
        List<MediaLine> lines = parse(answerText);
        for (MediaLine m : lines) {
            if (!"audio".equalsIgnoreCase(m.type())) {
                continue;
            }
            if (m.port() == 0) {
                throw SdpException.noCommonCodec("audio stream refused (port 0)");
            }
            for (String f : m.formats()) {
                int pt = parsePt(f);
                Codec c = pt < 0 ? null : m.codecFor(pt);
                if (c != null) {
                    int te = m.telephoneEventPt();
                    boolean noSendAddress = isNullAddress(m.address());
                    Direction dir = m.direction().reverse();
                    if (noSendAddress) {
                        dir = dir.withoutSend();
                    }
                    InetSocketAddress rtp = noSendAddress ? null : new InetSocketAddress(m.address(), m.port());
                    InetSocketAddress rtcp = rtp == null ? null
                            : new InetSocketAddress(m.address(), m.rtcpPort() > 0 ? m.rtcpPort() : m.port() + 1);
                    return new Negotiated(c, pt, te, te >= 0 ? local.telephoneEventPt() : -1,
                            sendPtime(m.ptime(), local.ptimeMillis()), dir, rtp, rtcp);
                }
            }
            throw SdpException.noCommonCodec("answer has no codec we offered");
        }
        throw SdpException.noCommonCodec("answer has no audio stream");
    }

    /** Parses an SDP body into its m= lines. */
    public static List<MediaLine> parse(String text) throws SdpException {
        if (text == null || text.isBlank()) {
            throw SdpException.malformed("empty SDP", null);
        }
        if (text.length() > MAX_LENGTH) {
            throw SdpException.malformed("SDP longer than " + MAX_LENGTH + " characters", null);
        }
        String trimmed = text.stripLeading();
        if (!trimmed.startsWith("v=0")) {
            throw SdpException.malformed("SDP does not start with v=0", null);
        }
        try {
            SessionDescription sd = SdpFactory.getInstance().createSessionDescription(trimmed);
            if (sd.getOrigin() == null) {
                throw SdpException.malformed("SDP has no o= line", null);
            }
            String sessionAddress = address(sd.getConnection());
            Direction sessionDir = direction(sd.getAttributes(false), Direction.SENDRECV);
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> mds = sd.getMediaDescriptions(false);
            if (mds == null || mds.isEmpty()) {
                throw SdpException.malformed("SDP has no m= line", null);
            }
            List<MediaLine> out = new ArrayList<>(mds.size());
            for (MediaDescription md : mds) {
                Media media = md.getMedia();
                if (media == null) {
                    throw SdpException.malformed("m= line missing", null);
                }
                int port = media.getMediaPort();
                if (port < 0 || port > 65535) {
                    throw SdpException.malformed("bad port " + port, null);
                }
                List<String> formats = new ArrayList<>();
                @SuppressWarnings("unchecked")
                Vector<Object> fv = media.getMediaFormats(false);
                if (fv != null) {
                    for (Object o : fv) {
                        formats.add(String.valueOf(o).trim());
                    }
                }
                Map<Integer, String> rtpmap = new LinkedHashMap<>();
                Map<Integer, String> fmtp = new LinkedHashMap<>();
                int ptime = -1;
                int rtcpPort = -1;
                @SuppressWarnings("unchecked")
                Vector<Attribute> attrs = md.getAttributes(false);
                if (attrs != null) {
                    for (Attribute a : attrs) {
                        String name = a.getName();
                        String value = a.hasValue() ? a.getValue() : null;
                        if (name == null || value == null) {
                            continue;
                        }
                        switch (name.toLowerCase(Locale.ROOT)) {
                            case "rtpmap" -> putPtValue(rtpmap, value);
                            case "fmtp" -> putPtValue(fmtp, value);
                            case "ptime" -> ptime = parseIntOr(value.trim(), -1);
                            case "rtcp" -> rtcpPort = parseIntOr(value.trim().split("\\s+")[0], -1);
                            default -> {
                            }
                        }
                    }
                }
                String addr = address(md.getConnection());
                if (addr == null) {
                    addr = sessionAddress;
                }
                if (addr == null && port != 0) {
                    throw SdpException.malformed("no c= line for " + media.getMediaType(), null);
                }
                String proto = media.getProtocol();
                out.add(new MediaLine(String.valueOf(media.getMediaType()), port, proto == null ? "RTP/AVP" : proto,
                        formats, rtpmap, fmtp, ptime, direction(attrs, sessionDir), addr, rtcpPort));
            }
            return out;
        } catch (SdpParseException e) {
            throw SdpException.malformed("unparseable SDP: " + e.getMessage(), e);
        } catch (javax.sdp.SdpException e) {
            throw SdpException.malformed("unusable SDP: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The RI parser throws assorted runtime exceptions on garbage; none of them may escape.
            throw SdpException.malformed("unparseable SDP: " + e, e);
        }
    }

    private static StringBuilder header(Local local) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("v=0\r\n");
        sb.append("o=kinline ").append(local.sessionId()).append(' ').append(local.version()).append(" IN IP4 ")
                .append(local.address()).append("\r\n");
        sb.append("s=kinline\r\n");
        sb.append("c=IN IP4 ").append(local.address()).append("\r\n");
        sb.append("t=0 0\r\n");
        return sb;
    }

    private static void appendTelephoneEvent(StringBuilder sb, int pt, String fmtp) {
        sb.append("a=rtpmap:").append(pt).append(" telephone-event/8000\r\n");
        sb.append("a=fmtp:").append(pt).append(' ').append(fmtp).append("\r\n");
    }

    private static Codec firstCodec(MediaLine m) {
        for (String f : m.formats()) {
            int pt = parsePt(f);
            Codec c = pt < 0 ? null : m.codecFor(pt);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static int sendPtime(int remote, int fallback) {
        if (remote <= 0) {
            return fallback;
        }
        // Our ticker runs in 10 ms steps: round to the nearest step within 10..60 ms.
        int r = Math.round(remote / 10f) * 10;
        return Math.max(10, Math.min(60, r));
    }

    private static boolean isNullAddress(String addr) {
        return addr == null || addr.equals("0.0.0.0") || addr.equals("::");
    }

    private static String address(Connection c) throws SdpParseException {
        if (c == null) {
            return null;
        }
        String a = c.getAddress();
        if (a == null) {
            return null;
        }
        int slash = a.indexOf('/'); // multicast TTL suffix
        return (slash > 0 ? a.substring(0, slash) : a).trim();
    }

    private static Direction direction(Vector<?> attrs, Direction fallback) throws SdpParseException {
        if (attrs != null) {
            for (Object o : attrs) {
                if (o instanceof Attribute a) {
                    Direction d = Direction.parse(a.getName());
                    if (d != null) {
                        return d;
                    }
                }
            }
        }
        return fallback;
    }

    private static void putPtValue(Map<Integer, String> map, String value) {
        String v = value.trim();
        int sp = v.indexOf(' ');
        if (sp <= 0) {
            return;
        }
        int pt = parseIntOr(v.substring(0, sp), -1);
        if (pt >= 0 && pt <= 127) {
            map.put(pt, v.substring(sp + 1).trim());
        }
    }

    static int parsePt(String f) {
        int pt = parseIntOr(f, -1);
        return pt >= 0 && pt <= 127 ? pt : -1;
    }

    private static int parseIntOr(String s, int dflt) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
