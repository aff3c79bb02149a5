package io.kinline.media.sdp;

import io.kinline.media.SdpException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The secure-media attributes of an SDP's first audio stream (what a WebRTC browser or an SDES
 * gateway offers), for the ICE, DTLS-SRTP and SDES components: transport protocol, ICE credentials
 * and candidates, {@code a=ice-lite}, fingerprints, {@code a=setup}, {@code a=crypto} lines and
 * {@code a=rtcp-mux}. Media-level values override session-level ones (RFC 8839 §5.4, RFC 8122 §5).
 *
 * <p>Read line by line within the bounds {@link SessionDescriptions} applies (16 KiB); at most
 * {@link #MAX_VALUES} values of each repeatable attribute are kept. Values are returned as written;
 * each component validates its own ({@code IceCredentials}, {@code Fingerprint.parse},
 * {@code DtlsSetup.answerTo}, {@code SdesCrypto.parse}).
 */
public record SecureMediaAttributes(String protocol, String iceUfrag, String icePwd, boolean iceLite,
        List<String> fingerprints, String setup, List<String> cryptos, boolean rtcpMux, List<String> candidates) {

    static final int MAX_VALUES = 16;

    /** {@code UDP/TLS/RTP/SAVPF} (WebRTC) or {@code RTP/SAVP[F]} (SDES): the stream wants SRTP. */
    public boolean secure() {
        return protocol != null && protocol.toUpperCase(Locale.ROOT).contains("SAVP");
    }

    /** A DTLS-SRTP offer (RFC 5764 §8: {@code UDP/TLS/RTP/SAVP[F]}). */
    public boolean dtls() {
        return protocol != null && protocol.toUpperCase(Locale.ROOT).startsWith("UDP/TLS/");
    }

    public static SecureMediaAttributes parse(String sdp) throws SdpException {
        if (sdp == null || sdp.length() > SessionDescriptions.MAX_LENGTH) {
            throw SdpException.malformed("SDP missing or longer than " + SessionDescriptions.MAX_LENGTH, null);
        }
        String[] session = new String[4]; // ufrag, pwd, setup, (unused)
        String[] media = new String[4];
        List<String> sessionFingerprints = new ArrayList<>();
        List<String> mediaFingerprints = new ArrayList<>();
        List<String> cryptos = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        boolean lite = false;
        boolean mux = false;
        String protocol = null;
        int section = 0; // 0: session, 1: first audio m= line, 2: anything after it
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                String[] f = line.substring(2).split(" ");
                if (section == 0 && f.length >= 3 && f[0].equals("audio")) {
                    section = 1;
                    protocol = f[2];
                } else {
                    section = 2;
                }
                continue;
            }
            if (section == 2 || !line.startsWith("a=")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line.substring(2) : line.substring(2, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            String[] target = section == 0 ? session : media;
            switch (name) {
                case "ice-ufrag" -> target[0] = value;
                case "ice-pwd" -> target[1] = value;
                case "setup" -> target[2] = value;
                case "ice-lite" -> lite = true;
                case "fingerprint" -> add(section == 0 ? sessionFingerprints : mediaFingerprints, value);
                case "crypto" -> add(cryptos, section == 1 ? value : null);
                case "candidate" -> add(candidates, section == 1 ? value : null);
                case "rtcp-mux" -> mux |= section == 1;
                default -> { }
            }
        }
        if (protocol == null) {
            throw SdpException.noCommonCodec("no audio stream");
        }
        return new SecureMediaAttributes(protocol, or(media[0], session[0]), or(media[1], session[1]), lite,
                List.copyOf(mediaFingerprints.isEmpty() ? sessionFingerprints : mediaFingerprints),
                or(media[2], session[2]), List.copyOf(cryptos), mux, List.copyOf(candidates));
    }

    private static void add(List<String> list, String value) {
        if (value != null && list.size() < MAX_VALUES) {
            list.add(value);
        }
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
