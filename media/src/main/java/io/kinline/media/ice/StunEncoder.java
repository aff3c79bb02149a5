package io.kinline.media.ice;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes one STUN message: header, attributes (each padded to 4 bytes), then optionally
 * MESSAGE-INTEGRITY (HMAC-SHA1 with the short-term password) and FINGERPRINT, in that order and last,
 * with the header length adjusted before each is computed (RFC 8489 §14.5, §14.7).
 */
public final class StunEncoder {

    private final int type;
    private final byte[] transactionId;
    private final ByteArrayOutputStream attributes = new ByteArrayOutputStream(128);

    public StunEncoder(int type, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction ID must be 12 bytes");
        }
        this.type = type;
        this.transactionId = transactionId.clone();
    }

    public StunEncoder attribute(int attributeType, byte[] value) {
        attributes.write(attributeType >>> 8);
        attributes.write(attributeType);
        attributes.write(value.length >>> 8);
        attributes.write(value.length);
        attributes.writeBytes(value);
        for (int i = value.length; (i & 3) != 0; i++) {
            attributes.write(0);
        }
        return this;
    }

    public StunEncoder username(String username) {
        return attribute(Stun.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    public StunEncoder priority(long priority) {
        return attribute(Stun.PRIORITY, int32((int) priority));
    }

    public StunEncoder useCandidate() {
        return attribute(Stun.USE_CANDIDATE, new byte[0]);
    }

    public StunEncoder tieBreaker(int attributeType, long tieBreaker) {
        byte[] v = new byte[8];
        System.arraycopy(int32((int) (tieBreaker >>> 32)), 0, v, 0, 4);
        System.arraycopy(int32((int) tieBreaker), 0, v, 4, 4);
        return attribute(attributeType, v);
    }

    /** XOR-MAPPED-ADDRESS of {@code address} (IPv4 or IPv6). */
    public StunEncoder xorMappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 1 : 2);
        int port = address.getPort() ^ (Stun.MAGIC_COOKIE >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        byte[] mask = new byte[16];
        System.arraycopy(int32(Stun.MAGIC_COOKIE), 0, mask, 0, 4);
        System.arraycopy(transactionId, 0, mask, 4, 12);
        for (int i = 0; i < ip.length; i++) {
            v[4 + i] = (byte) (ip[i] ^ mask[i]);
        }
        return attribute(Stun.XOR_MAPPED_ADDRESS, v);
    }

    /** ERROR-CODE with a reason phrase (RFC 8489 §14.8). */
    public StunEncoder errorCode(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] v = new byte[4 + r.length];
        v[2] = (byte) (code / 100);
        v[3] = (byte) (code % 100);
        System.arraycopy(r, 0, v, 4, r.length);
        return attribute(Stun.ERROR_CODE, v);
    }

    public StunEncoder unknownAttributes(int[] types) {
        byte[] v = new byte[2 * Math.min(types.length, 16)];
        for (int i = 0; i < v.length / 2; i++) {
            v[2 * i] = (byte) (types[i] >>> 8);
            v[2 * i + 1] = (byte) types[i];
        }
        return attribute(Stun.UNKNOWN_ATTRIBUTES, v);
    }

    /**
     * The message bytes.
     *
     * @param integrityKey the short-term password (UTF-8 bytes), or null for no MESSAGE-INTEGRITY
     * @param fingerprint  whether to end with FINGERPRINT (ICE always does)
     */
    public byte[] encode(byte[] integrityKey, boolean fingerprint) {
        byte[] attrs = attributes.toByteArray();
        int total = Stun.HEADER + attrs.length + (integrityKey != null ? 24 : 0) + (fingerprint ? 8 : 0);
        byte[] out = new byte[total];
        out[0] = (byte) (type >>> 8);
        out[1] = (byte) type;
        System.arraycopy(int32(Stun.MAGIC_COOKIE), 0, out, 4, 4);
        System.arraycopy(transactionId, 0, out, 8, 12);
        System.arraycopy(attrs, 0, out, Stun.HEADER, attrs.length);
        int p = Stun.HEADER + attrs.length;
        if (integrityKey != null) {
            setLength(out, p + 24);
            byte[] mac = hmacSha1(integrityKey, out, p);
            out[p] = 0;
            out[p + 1] = Stun.MESSAGE_INTEGRITY;
            out[p + 3] = 20;
            System.arraycopy(mac, 0, out, p + 4, 20);
            p += 24;
        }
        if (fingerprint) {
            setLength(out, p + 8);
            CRC32 crc = new CRC32();
            crc.update(out, 0, p);
            out[p] = (byte) (Stun.FINGERPRINT >>> 8);
            out[p + 1] = (byte) Stun.FINGERPRINT;
            out[p + 3] = 4;
            System.arraycopy(int32((int) crc.getValue() ^ Stun.FINGERPRINT_XOR), 0, out, p + 4, 4);
            p += 8;
        }
        setLength(out, p);
        return out;
    }

    private static void setLength(byte[] out, int end) {
        int len = end - Stun.HEADER;
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
    }

    private static byte[] hmacSha1(byte[] key, byte[] data, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
