package io.kinline.media.srtp;

/**
 * The three session keys of one master key for RTP or for RTCP, held as keyed primitives, plus the
 * IV construction of RFC 3711 §4.1.1: {@code IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)}.
 */
final class SessionKeys {

    final AesCounterMode aes;
    final HmacSha1 hmac;
    private final byte[] salt;
    private final byte[] iv = new byte[16];

    private SessionKeys(AesCounterMode aes, HmacSha1 hmac, byte[] salt) {
        this.aes = aes;
        this.hmac = hmac;
        this.salt = salt;
    }

    static SessionKeys rtp(SrtpMasterKey master, SrtpCrypto crypto) {
        SrtpProfile p = master.profile();
        return new SessionKeys(crypto.aes(SrtpKdf.derive(master, SrtpKdf.LABEL_RTP_ENCRYPTION, p.keyLength())),
                crypto.hmac(SrtpKdf.derive(master, SrtpKdf.LABEL_RTP_AUTH, SrtpKdf.AUTH_KEY_LENGTH)),
                SrtpKdf.derive(master, SrtpKdf.LABEL_RTP_SALT, p.saltLength()));
    }

    static SessionKeys rtcp(SrtpMasterKey master, SrtpCrypto crypto) {
        SrtpProfile p = master.profile();
        return new SessionKeys(crypto.aes(SrtpKdf.derive(master, SrtpKdf.LABEL_RTCP_ENCRYPTION, p.keyLength())),
                crypto.hmac(SrtpKdf.derive(master, SrtpKdf.LABEL_RTCP_AUTH, SrtpKdf.AUTH_KEY_LENGTH)),
                SrtpKdf.derive(master, SrtpKdf.LABEL_RTCP_SALT, p.saltLength()));
    }

    /** Builds the IV for {@code ssrc} and the 48-bit packet index (SRTP) or 31-bit SRTCP index. */
    byte[] iv(long ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
        iv[14] = 0;
        iv[15] = 0;
        return iv;
    }
}
