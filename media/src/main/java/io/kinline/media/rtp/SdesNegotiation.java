package io.kinline.media.rtp;

import io.kinline.media.SdpException;
import io.kinline.media.sdp.SecureMediaAttributes;
import io.kinline.media.srtp.SdesCrypto;
import io.kinline.media.srtp.SdesException;
import io.kinline.media.srtp.SdesPolicy;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SDES (RFC 4568) on top of the plain offer/answer: an {@code RTP/SAVP} offer with a usable {@code a=crypto} line is
 * answered as if it were {@code RTP/AVP} (codecs, ptime, direction as for any leg), and that answer is then made
 * {@code RTP/SAVP} with our own key under the offer's tag. Only AES_CM_128_HMAC_SHA1_80 is accepted
 * ({@link SdesCrypto}); anything the policy cannot take is an {@link SdpException} the SIP side answers with 488.
 */
final class SdesNegotiation {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SAVP_OFFER = Pattern.compile("(?m)^(m=audio \\d+(?:/\\d+)? )RTP/SAVP ");
    private static final Pattern AVP_ANSWER = Pattern.compile("(?m)^(m=audio \\d+(?:/\\d+)? )RTP/AVP ([^\\r\\n]*)\\r?\\n");

    /** The offer to negotiate as plain RTP, and the keys both ways. */
    record Secured(String plainOffer, SdesCrypto.Answer keys) {
        /** {@code plainAnswer} made RTP/SAVP with our a=crypto line right after the audio m= line. */
        String answer(String plainAnswer) {
            Matcher m = AVP_ANSWER.matcher(plainAnswer);
            if (!m.find()) {
                return plainAnswer; // cannot happen: our answer always has the audio line we negotiated
            }
            return plainAnswer.substring(0, m.start()) + m.group(1) + "RTP/SAVP " + m.group(2) + "\r\n"
                    + "a=crypto:" + keys.local().format() + "\r\n" + plainAnswer.substring(m.end());
        }
    }

    private SdesNegotiation() {
    }

    /** Null when the leg stays plain RTP; the keys and plain offer when it is SRTP. */
    static Secured of(String offer, SdesPolicy policy) throws SdpException {
        if (policy == null || policy == SdesPolicy.OFF) {
            return null;
        }
        SecureMediaAttributes attrs = SecureMediaAttributes.parse(offer);
        boolean sdes = attrs.protocol() != null && attrs.protocol().toUpperCase(Locale.ROOT).equals("RTP/SAVP");
        if (!sdes) {
            if (policy == SdesPolicy.MANDATORY) {
                throw SdpException.noCommonCodec("SRTP required: offer RTP/SAVP with a=crypto "
                        + "AES_CM_128_HMAC_SHA1_80, not " + attrs.protocol());
            }
            return null;
        }
        try {
            SdesCrypto.Answer keys = SdesCrypto.answer(attrs.cryptos(), RANDOM);
            return new Secured(SAVP_OFFER.matcher(offer).replaceFirst("$1RTP/AVP "), keys);
        } catch (SdesException e) {
            throw SdpException.noCommonCodec("SRTP: " + e.getMessage());
        }
    }
}
