package io.kinline.media.dtls;

import java.util.Locale;

/**
 * The {@code a=setup} attribute (RFC 4145 §4, RFC 5763 §5, RFC 8842 §5.3): who is the DTLS client.
 *
 * <p>We offer {@code actpass}. Answering {@code actpass} we take {@code passive} (DTLS server): the
 * browser sends its ClientHello as soon as its ICE check succeeds, to the address it checked, so we
 * need not know the peer's address before the first DTLS datagram arrives, and the handshake starts
 * one round trip earlier than if we had to wait for the nomination to send a ClientHello ourselves.
 */
public enum DtlsSetup {
    ACTIVE, PASSIVE, ACTPASS;

    /** The attribute value. */
    public String sdpValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Our role when we answer. */
    public DtlsRole role() {
        return this == ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
    }

    /**
     * What we answer to the offer's {@code a=setup} (null when absent: RFC 4145's default for the
     * offerer is {@code active}). {@code holdconn} and unknown values are refused (answer 488).
     */
    public static DtlsSetup answerTo(String offered) {
        String v = offered == null ? "active" : offered.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "actpass", "active" -> PASSIVE;
            case "passive" -> ACTIVE;
            default -> throw new IllegalArgumentException("a=setup:" + (v.length() > 16 ? v.substring(0, 16) : v)
                    + " cannot set up DTLS");
        };
    }

    /** Our role after our {@code actpass} offer was answered with {@code answered}. */
    public static DtlsRole roleAfterAnswer(String answered) {
        String v = answered == null ? "" : answered.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "active" -> DtlsRole.SERVER;
            case "passive" -> DtlsRole.CLIENT;
            default -> throw new IllegalArgumentException("an answer must say a=setup:active or passive");
        };
    }
}
