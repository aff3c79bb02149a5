package io.kinline.media.srtp;

/**
 * The SRTP protection profile Kinline speaks: AES_CM_128_HMAC_SHA1_80 (RFC 3711 §5, RFC 4568 §6.2.1,
 * RFC 5764 §4.1.2). It is the one profile every WebRTC browser, libsrtp, Asterisk, FreeSWITCH and
 * baresip implement, so it is the only one offered or accepted; the 32-bit-tag variant saves 6 bytes
 * a packet at the price of a weaker tag, and GCM profiles are not offered by SIP gateways.
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80("AES_CM_128_HMAC_SHA1_80", 0x0001, 16, 14, 10);

    private final String sdesName;
    private final int dtlsId;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(String sdesName, int dtlsId, int keyLength, int saltLength, int tagLength) {
        this.sdesName = sdesName;
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The crypto-suite name in an SDES {@code a=crypto} line. */
    public String sdesName() {
        return sdesName;
    }

    /** The SRTPProtectionProfile value of the DTLS {@code use_srtp} extension (SRTP_AES128_CM_HMAC_SHA1_80). */
    public int dtlsId() {
        return dtlsId;
    }

    /** Master (and session) encryption key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Authentication tag length in bytes, for SRTP and SRTCP alike. */
    public int tagLength() {
        return tagLength;
    }

    /** The profile named in an SDES line, or null. Names are case sensitive (RFC 4568 §9.2). */
    public static SrtpProfile forSdesName(String name) {
        for (SrtpProfile p : values()) {
            if (p.sdesName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The profile of a {@code use_srtp} profile number, or null. */
    public static SrtpProfile forDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return p;
            }
        }
        return null;
    }
}
