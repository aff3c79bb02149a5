package io.kinline.media.srtp;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with a key derivation rate of 0, the only rate
 * WebRTC, DTLS-SRTP and SDES without a {@code KDR} parameter use: each session key is derived once.
 *
 * <p>{@code x = (label << 48) XOR master_salt} (the label sits in byte 7 of the 14-byte salt), and
 * the session key is the AES-CM keystream of the master key at IV {@code x * 2^16}.
 */
final class SrtpKdf {

    static final int LABEL_RTP_ENCRYPTION = 0;
    static final int LABEL_RTP_AUTH = 1;
    static final int LABEL_RTP_SALT = 2;
    static final int LABEL_RTCP_ENCRYPTION = 3;
    static final int LABEL_RTCP_AUTH = 4;
    static final int LABEL_RTCP_SALT = 5;

    /** Session authentication key length for HMAC-SHA1 (RFC 3711 §4.2.1: n_a = 160). */
    static final int AUTH_KEY_LENGTH = 20;

    private SrtpKdf() {
    }

    static byte[] derive(SrtpMasterKey master, int label, int length) {
        byte[] salt = master.salt();
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, salt.length);
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        new JcaAesCounterMode(master.key()).apply(iv, out, 0, length);
        return out;
    }
}
