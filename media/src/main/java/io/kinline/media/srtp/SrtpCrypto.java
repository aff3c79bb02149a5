package io.kinline.media.srtp;

/**
 * Where the AES and HMAC-SHA1 of SRTP come from. Both implementations are keyed once per context and
 * reuse their instances and scratch arrays for every packet: nothing is allocated per packet.
 *
 * <ul>
 *   <li>{@link #JCA}: AES through {@code javax.crypto} ({@code AES/ECB/NoPadding} over a block of
 *       counters, which HotSpot compiles to AES-NI), SHA-1 through {@code java.security.MessageDigest}
 *       (SHA-NI where the CPU has it) with the two HMAC passes written out here, because
 *       {@code javax.crypto.Mac.doFinal} allocates its result and rehashes the padded key every packet.</li>
 *   <li>{@link #BOUNCY_CASTLE}: BouncyCastle's lightweight {@code AESEngine} and {@code HMac(SHA1Digest)},
 *       pure Java; {@code HMac} keeps the padded-key states and restores them instead of rehashing.</li>
 * </ul>
 *
 * {@link #DEFAULT} is the faster one on the project's machine (docs/PERFORMANCE.md, "SRTP").
 */
public enum SrtpCrypto {
    JCA,
    BOUNCY_CASTLE;

    /** Measured: JCA is 3-4 times faster per packet (AES-NI and SHA-NI intrinsics). */
    public static final SrtpCrypto DEFAULT = JCA;

    AesCounterMode aes(byte[] key) {
        return this == JCA ? new JcaAesCounterMode(key) : new BcAesCounterMode(key);
    }

    HmacSha1 hmac(byte[] key) {
        return this == JCA ? new JcaHmacSha1(key) : new BcHmacSha1(key);
    }
}
