package io.kinline.media.rtp;

import io.kinline.media.MediaConfig;
import io.kinline.media.SdpException;
import io.kinline.media.sdp.Direction;
import io.kinline.media.sdp.SessionDescriptions;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import io.kinline.media.sdp.WebRtcSessions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * One endpoint's side of SDP offer/answer: our session id, and the {@code o=} version, which goes up
 * only when what we say changes (RFC 3264 section 8). Not thread-safe: the endpoint calls it under its
 * lock, on the caller's thread, so that SDP work answers synchronously.
 */
final class SdpNegotiation {

    private final MediaConfig config;
    private final int port;
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, 1L << 40);
    private long version = 1;
    private String lastLocal;

    SdpNegotiation(MediaConfig config, int port) {
        this.config = config;
        this.port = port;
    }

    String offer() {
        return versioned(v -> SessionDescriptions.offer(local(v), Direction.SENDRECV));
    }

    /** Our answer to {@code remoteOffer} and what it means for the endpoint. */
    SessionDescriptions.Answer answer(String remoteOffer) throws SdpException {
        SessionDescriptions.Answer a = SessionDescriptions.answer(remoteOffer, local(version));
        String body = a.sdp();
        if (changed(body)) {
            version++;
            body = SessionDescriptions.answer(remoteOffer, local(version)).sdp();
        }
        lastLocal = body;
        return new SessionDescriptions.Answer(body, a.negotiated());
    }

    /** Our answer to a WebRTC offer (ICE-lite, DTLS-SRTP): {@code secure} holds our ICE, DTLS and candidate lines. */
    WebRtcSessions.Answer answerWebRtc(String remoteOffer, WebRtcSecure secure) throws SdpException {
        WebRtcSessions.Answer a = WebRtcSessions.answer(remoteOffer, secure.local(local(version), config));
        if (changed(a.sdp())) {
            version++;
            a = WebRtcSessions.answer(remoteOffer, secure.local(local(version), config));
        }
        lastLocal = a.sdp();
        return a;
    }

    /** The secure lines of a WebRTC answer, fixed for the leg's life. */
    record WebRtcSecure(String iceLines, String fingerprint, String setup, String candidateLines) {
        WebRtcSessions.Local local(SessionDescriptions.Local base, MediaConfig config) {
            return new WebRtcSessions.Local(base, iceLines, fingerprint, setup, candidateLines, config.webrtcCodecs(),
                    config.webrtcSendOpus());
        }
    }

    Negotiated applyAnswer(String remoteAnswer) throws SdpException {
        return SessionDescriptions.applyAnswer(remoteAnswer, local(version));
    }

    private String versioned(LongFunction<String> make) {
        String body = make.apply(version);
        if (changed(body)) {
            version++;
            body = make.apply(version);
        }
        lastLocal = body;
        return body;
    }

    private boolean changed(String body) {
        return lastLocal != null && !withoutOrigin(body).equals(withoutOrigin(lastLocal));
    }

    private static String withoutOrigin(String sdp) {
        int o = sdp.indexOf("o=");
        int e = sdp.indexOf('\n', o);
        return o < 0 || e < 0 ? sdp : sdp.substring(0, o) + sdp.substring(e + 1);
    }

    private SessionDescriptions.Local local(long v) {
        return new SessionDescriptions.Local(config.advertisedAddress(), port, sessionId, v, config.telephoneEventPt(),
                config.ptimeMillis());
    }
}
