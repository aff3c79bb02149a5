package io.kinline.media.rtp;

import io.kinline.media.SdpException;
import io.kinline.media.dtls.DtlsCertificate;
import io.kinline.media.dtls.DtlsSetup;
import io.kinline.media.dtls.Fingerprint;
import io.kinline.media.ice.IceCandidates;
import io.kinline.media.ice.IceCredentials;
import io.kinline.media.ice.IceLiteAgent;
import io.kinline.media.opus.OpusCodec;
import io.kinline.media.sdp.SecureMediaAttributes;
import io.kinline.media.sdp.WebRtcSessions;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * What a leg that answered a WebRTC offer keeps for its life: our ICE credentials and agent, the
 * peer's ICE credentials and DTLS fingerprints, our {@code a=setup}, and, once the first answer chose
 * it, the wire format. A re-offer (hold, resume) must keep the same ICE and DTLS session: an ICE
 * restart or a new certificate is refused with 488 rather than half-supported.
 *
 * <p>Used under the endpoint's lock (SDP work), apart from the transport, which the loop owns.
 */
final class WebRtcLeg {

    private static final SecureRandom RANDOM = new SecureRandom();

    final IceLiteAgent ice;
    final List<Fingerprint> peerFingerprints;
    final DtlsSetup setup;
    final SdpNegotiation.WebRtcSecure secure;
    private final String peerUfrag;
    WebRtcSessions.Wire wire; // set by the first answer
    WebRtcTransport transport; // set by the first answer

    private WebRtcLeg(IceLiteAgent ice, String peerUfrag, List<Fingerprint> peer, DtlsSetup setup,
            SdpNegotiation.WebRtcSecure secure) {
        this.ice = ice;
        this.peerUfrag = peerUfrag;
        this.peerFingerprints = peer;
        this.setup = setup;
        this.secure = secure;
    }

    /** Validates a first WebRTC offer and prepares our side. Every refusal is a 488 with the reason. */
    static WebRtcLeg fromOffer(SecureMediaAttributes sec, DtlsCertificate certificate, InetSocketAddress candidate)
            throws SdpException {
        WebRtcSessions.requireDtls(sec);
        try {
            IceCredentials remote = new IceCredentials(sec.iceUfrag(), sec.icePwd());
            List<Fingerprint> peer = new ArrayList<>();
            for (String f : sec.fingerprints()) {
                peer.add(Fingerprint.parse(f));
            }
            DtlsSetup setup = DtlsSetup.answerTo(sec.setup());
            IceCredentials local = IceCredentials.random(RANDOM);
            IceLiteAgent agent = new IceLiteAgent(local);
            agent.remoteCredentials(remote);
            if (candidate.getAddress() == null) {
                throw new IllegalArgumentException("the media address " + candidate.getHostString() + " does not resolve");
            }
            SdpNegotiation.WebRtcSecure secure = new SdpNegotiation.WebRtcSecure(local.sdpLines(),
                    certificate.fingerprint().sdpValue(), setup.sdpValue(), IceCandidates.hostLine(candidate));
            return new WebRtcLeg(agent, remote.ufrag(), List.copyOf(peer), setup, secure);
        } catch (IllegalArgumentException e) {
            throw SdpException.noCommonCodec(e.getMessage());
        }
    }

    /** A re-offer on this leg: the same ICE session and DTLS certificate, or 488. */
    void checkReoffer(SecureMediaAttributes sec) throws SdpException {
        WebRtcSessions.requireDtls(sec);
        if (!peerUfrag.equals(sec.iceUfrag())) {
            throw SdpException.noCommonCodec("ICE restart is not supported on a call in progress");
        }
        for (String f : sec.fingerprints()) {
            Fingerprint fp;
            try {
                fp = Fingerprint.parse(f);
            } catch (IllegalArgumentException e) {
                throw SdpException.noCommonCodec(e.getMessage());
            }
            if (!peerFingerprints.contains(fp)) {
                throw SdpException.noCommonCodec("a new DTLS certificate on a call in progress is not supported");
            }
        }
    }

    /** The wire codec for a first answer: Opus through Concentus, or G.711 as is. */
    static WireTranslation translation(WebRtcSessions.Wire wire) {
        return new WireTranslation(wire, wire.opus() ? new OpusCodec() : null);
    }
}
