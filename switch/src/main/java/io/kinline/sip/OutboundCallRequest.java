package io.kinline.sip;

import java.util.Map;
import java.util.Objects;

/**
 * An outbound call to the configured trunk.
 *
 * @param number       the dialled number (E.164 or local), Request-URI is {@code sip:<number>@<trunk>}
 * @param sdpOffer     SDP offer of the INVITE (required)
 * @param callerId     user part of From; null uses {@link SipConfig#callerId()}
 * @param displayName  display name of From, or null
 * @param extraHeaders extra headers for the INVITE (e.g. P-Asserted-Identity)
 */
public record OutboundCallRequest(String number, String sdpOffer, String callerId, String displayName,
                                  Map<String, String> extraHeaders) {
    public OutboundCallRequest {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(sdpOffer, "sdpOffer");
        extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    }

    public static OutboundCallRequest of(String number, String sdpOffer) {
        return new OutboundCallRequest(number, sdpOffer, null, null, Map.of());
    }

    public OutboundCallRequest withCallerId(String id) {
        return new OutboundCallRequest(number, sdpOffer, id, displayName, extraHeaders);
    }
}
