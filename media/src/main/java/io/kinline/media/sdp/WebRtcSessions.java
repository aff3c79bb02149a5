package io.kinline.media.sdp;

import io.kinline.media.SdpException;
import io.kinline.media.codec.Codec;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * SDP answers to a WebRTC offer (RFC 8829 JSEP as a browser speaks it): {@code UDP/TLS/RTP/SAVPF},
 * ICE credentials, DTLS fingerprint and {@code a=setup}, RTCP-mux, one audio stream (BUNDLE with one
 * member). We answer ICE-lite with host candidates, DTLS-SRTP, RTCP-mux, and the first codec of our
 * preference ({@code media.webrtcCodecs}: Opus, PCMU, PCMA by default) that the offer has, with the
 * telephone-event of the same clock rate (a browser sends DTMF only with the one that matches its send
 * codec).
 *
 * <p><b>Opus up, G.711 down.</b> When the answer is Opus and the offer also has PCMU, the answer lists
 * PCMU (and the 8 kHz telephone-event, if offered) after Opus, and unless {@code media.webrtcSendOpus}
 * the switch sends PCMU while the tablet sends Opus (RFC 3264 §6.1: either side may send any format of
 * the answer; a browser sends the first and receives them all). Why: what a tablet hears comes from a
 * G.711 trunk or 8 kHz prompts, so Opus on the way down only re-codes G.711 (a second lossy stage) and
 * costs the switch an Opus encoder, about half of a tablet call's media CPU in pure Java
 * (docs/PERFORMANCE.md); the way up keeps Opus, where the tablet's radio loses packets and the encoder is
 * the browser's. The price is 64 kbit/s instead of about 24 toward each tablet on the facility Wi-Fi.
 *
 * <p>The endpoint behind the answer works at 8 kHz in G.711 whatever the wire carries: the
 * {@link Negotiated} we return says PCMU with the wire's telephone-event payload type, and
 * {@link Wire} tells the transport what to translate (Opus payloads and the 48 kHz clock).
 *
 * <p>Stateless.
 */
public final class WebRtcSessions {

    private WebRtcSessions() {
    }

    /** What we put in the answer besides codecs: our ICE lines, fingerprint, setup, candidate. */
    public record Local(SessionDescriptions.Local base, String iceLines, String fingerprint, String setup,
            String candidateLines, List<String> codecs, boolean sendOpus) {
    }

    /**
     * What is on the wire: the audio payload type and codec ({@code opus}, {@code PCMU}, {@code PCMA}),
     * its RTP clock, and the telephone-event payload type (-1 if none); and, on an Opus leg where we send
     * G.711, the PCMU payload type we send ({@code downlinkPt}) and the 8 kHz telephone-event's
     * ({@code downlinkEventPt}), each -1 when we send what we receive.
     */
    public record Wire(int audioPt, String encoding, int clockRate, int telephoneEventPt, int downlinkPt,
            int downlinkEventPt) {

        /** The same codec both ways. */
        public Wire(int audioPt, String encoding, int clockRate, int telephoneEventPt) {
            this(audioPt, encoding, clockRate, telephoneEventPt, -1, -1);
        }

        public boolean opus() {
            return "opus".equalsIgnoreCase(encoding);
        }

        /** We receive Opus and send PCMU. */
        public boolean g711Downlink() {
            return downlinkPt >= 0;
        }
    }

    /** The answer text, what it means for the endpoint, and what the transport translates. */
    public record Answer(String sdp, Negotiated negotiated, Wire wire) {
    }

    /**
     * Checks the secure attributes of a DTLS offer: anything a WebRTC leg cannot work without is a 488.
     */
    public static void requireDtls(SecureMediaAttributes a) throws SdpException {
        if (!a.dtls()) {
            throw SdpException.noCommonCodec("SRTP without DTLS (" + a.protocol() + ") is not accepted here");
        }
        if (a.fingerprints().isEmpty()) {
            throw SdpException.noCommonCodec("DTLS-SRTP offer without a=fingerprint");
        }
        if (a.iceUfrag() == null || a.icePwd() == null) {
            throw SdpException.noCommonCodec("DTLS-SRTP offer without a=ice-ufrag/a=ice-pwd");
        }
        if (!a.rtcpMux()) {
            throw SdpException.noCommonCodec("WebRTC offer without a=rtcp-mux (RTCP on its own port is not supported)");
        }
    }

    /**
     * Answers a WebRTC offer whose secure attributes passed {@link #requireDtls}.
     *
     * @throws SdpException noCommonCodec when the audio stream has no Opus, PCMU or PCMA
     */
    public static Answer answer(String offerText, Local local) throws SdpException {
        List<SessionDescriptions.MediaLine> lines = SessionDescriptions.parse(offerText);
        SessionDescriptions.MediaLine audio = null;
        for (SessionDescriptions.MediaLine m : lines) {
            if ("audio".equalsIgnoreCase(m.type()) && m.port() != 0) {
                audio = m;
                break;
            }
        }
        if (audio == null) {
            throw SdpException.noCommonCodec("no audio stream offered");
        }
        Wire wire = chooseWire(audio, local.codecs());
        if (wire.opus() && !local.sendOpus()) {
            wire = withG711Downlink(audio, wire);
        }
        String mid = firstAudioMid(offerText);
        SessionDescriptions.Local b = local.base();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("v=0\r\n");
        sb.append("o=kinline ").append(b.sessionId()).append(' ').append(b.version()).append(" IN IP4 ")
                .append(b.address()).append("\r\n");
        sb.append("s=kinline\r\n");
        sb.append("c=IN IP4 ").append(b.address()).append("\r\n");
        sb.append("t=0 0\r\n");
        sb.append("a=ice-lite\r\n");
        if (mid != null) {
            sb.append("a=group:BUNDLE ").append(mid).append("\r\n");
        }
        boolean audioDone = false;
        Direction dir = audio.direction().reverse();
        for (SessionDescriptions.MediaLine m : lines) {
            if (m != audio || audioDone) {
                // Other streams (video, data channels, a second audio): refused with port 0.
                sb.append("m=").append(m.type()).append(" 0 ").append(m.protocol());
                for (String f : m.formats()) {
                    sb.append(' ').append(f);
                }
                sb.append("\r\n");
                continue;
            }
            audioDone = true;
            sb.append("m=audio ").append(b.port()).append(' ').append(m.protocol()).append(' ').append(wire.audioPt());
            if (wire.g711Downlink()) {
                sb.append(' ').append(wire.downlinkPt());
            }
            if (wire.telephoneEventPt() >= 0) {
                sb.append(' ').append(wire.telephoneEventPt());
            }
            if (wire.downlinkEventPt() >= 0) {
                sb.append(' ').append(wire.downlinkEventPt());
            }
            sb.append("\r\n");
            sb.append("c=IN IP4 ").append(b.address()).append("\r\n");
            if (mid != null) {
                sb.append("a=mid:").append(mid).append("\r\n");
            }
            if (wire.opus()) {
                sb.append("a=rtpmap:").append(wire.audioPt()).append(" opus/48000/2\r\n");
                sb.append("a=fmtp:").append(wire.audioPt()).append(' ')
                        .append(io.kinline.media.opus.OpusCodec.FMTP).append("\r\n");
            } else {
                sb.append("a=rtpmap:").append(wire.audioPt()).append(' ').append(wire.encoding()).append("/8000\r\n");
            }
            if (wire.g711Downlink()) {
                sb.append("a=rtpmap:").append(wire.downlinkPt()).append(" PCMU/8000\r\n");
            }
            eventLines(sb, m, wire.telephoneEventPt(), wire.clockRate());
            eventLines(sb, m, wire.downlinkEventPt(), 8000);
            sb.append("a=ptime:").append(b.ptimeMillis()).append("\r\n");
            sb.append("a=").append(dir.attribute()).append("\r\n");
            sb.append("a=rtcp-mux\r\n");
            sb.append(local.iceLines());
            sb.append("a=fingerprint:").append(local.fingerprint()).append("\r\n");
            sb.append("a=setup:").append(local.setup()).append("\r\n");
            sb.append(local.candidateLines());
            sb.append("a=end-of-candidates\r\n");
        }
        // The wire address is ICE's business: the transport sends only to the pair the browser
        // nominated. The endpoint needs an address to mean "we may send", and c=0.0.0.0 in a
        // WebRTC offer is not hold (RFC 8829 §5.3.1 puts IN IP4 0.0.0.0 there until candidates exist).
        InetSocketAddress remote = new InetSocketAddress("0.0.0.0", audio.port());
        int te = wire.telephoneEventPt();
        Negotiated n = new Negotiated(Codec.PCMU, Codec.PCMU.staticPayloadType(), te, te, b.ptimeMillis(), dir, remote,
                remote);
        return new Answer(sb.toString(), n, wire);
    }

    private static void eventLines(StringBuilder sb, SessionDescriptions.MediaLine m, int pt, int clockRate) {
        if (pt < 0) {
            return;
        }
        String fmtp = m.fmtp().get(pt);
        sb.append("a=rtpmap:").append(pt).append(" telephone-event/").append(clockRate).append("\r\n");
        sb.append("a=fmtp:").append(pt).append(' ').append(fmtp == null ? "0-15" : fmtp).append("\r\n");
    }

    /** An Opus wire that sends the offer's PCMU (and its 8 kHz telephone-event), if it has PCMU. */
    private static Wire withG711Downlink(SessionDescriptions.MediaLine m, Wire opus) {
        Wire pcmu = offered(m, "PCMU");
        if (pcmu == null) {
            return opus;
        }
        return new Wire(opus.audioPt(), opus.encoding(), opus.clockRate(), opus.telephoneEventPt(), pcmu.audioPt(),
                pcmu.telephoneEventPt());
    }

    /** The first of {@code preference} (ours) that the offer has, at the payload type it first lists it. */
    private static Wire chooseWire(SessionDescriptions.MediaLine m, List<String> preference) throws SdpException {
        for (String want : preference) {
            Wire w = offered(m, want);
            if (w != null) {
                return w;
            }
        }
        throw SdpException.noCommonCodec("no common audio codec (we speak " + String.join(", ", preference) + ")");
    }

    private static Wire offered(SessionDescriptions.MediaLine m, String want) {
        for (String f : m.formats()) {
            int pt = SessionDescriptions.parsePt(f);
            String map = pt < 0 ? null : m.rtpmap().get(pt);
            String name;
            String rate;
            if (map == null) {
                Codec c = Codec.forPayloadType(pt); // static payload types need no rtpmap (RFC 3551)
                if (c == null) {
                    continue;
                }
                name = c.encodingName();
                rate = "8000";
            } else {
                String[] parts = map.trim().split("/");
                name = parts[0].trim();
                rate = parts.length > 1 ? parts[1].trim() : "";
            }
            if (!name.equalsIgnoreCase(want)) {
                continue;
            }
            if (want.equals("opus") && rate.equals("48000")) {
                return withEvent(m, new Wire(pt, "opus", 48000, -1));
            }
            if (!want.equals("opus") && rate.equals("8000")) {
                return withEvent(m, new Wire(pt, Codec.forEncodingName(name).encodingName(), 8000, -1));
            }
        }
        return null;
    }

    private static Wire withEvent(SessionDescriptions.MediaLine m, Wire w) {
        String want = "telephone-event/" + w.clockRate();
        for (String f : m.formats()) {
            int pt = SessionDescriptions.parsePt(f);
            String map = pt < 0 ? null : m.rtpmap().get(pt);
            if (map != null && map.trim().toLowerCase(Locale.ROOT).startsWith(want)) {
                return new Wire(w.audioPt(), w.encoding(), w.clockRate(), pt);
            }
        }
        return w;
    }

    /** The {@code a=mid} of the first audio m= line, if it is short and plain (RFC 8843 tokens). */
    static String firstAudioMid(String sdp) {
        boolean inAudio = false;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                if (inAudio) {
                    return null;
                }
                inAudio = line.startsWith("m=audio ");
            } else if (inAudio && line.startsWith("a=mid:")) {
                String mid = line.substring(6).strip();
                return mid.length() <= 32 && mid.chars().allMatch(ch -> ch > 32 && ch < 127) ? mid : null;
            }
        }
        return null;
    }
}
