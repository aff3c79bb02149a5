package io.kinline.media.ice;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A decoded STUN message (RFC 8489 §5, §14): immutable, over a private copy of the datagram so that
 * MESSAGE-INTEGRITY can be checked later against the exact bytes received.
 *
 * <p>{@link #decode} checks everything that does not need a key: header bits, magic cookie, length
 * (the datagram must be exactly one message), every attribute's bounds and padding, the lengths of
 * the attributes ICE reads, at most {@link Stun#MAX_ATTRIBUTES} attributes, MESSAGE-INTEGRITY only
 * followed by FINGERPRINT, FINGERPRINT last and correct. Each refusal is a {@link StunException}
 * saying which rule was broken. Only the first attribute of each type counts (RFC 8489 §14).
 */
public final class StunMessage {

    private final byte[] raw;
    private final int type;
    private final int count;
    private final int[] types;
    private final int[] offsets;
    private final int[] lengths;
    private final int integrityAt;
    private final boolean fingerprint;

    private StunMessage(byte[] raw, int count, int[] types, int[] offsets, int[] lengths, int integrityAt,
            boolean fingerprint) {
        this.raw = raw;
        this.type = ((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF);
        this.count = count;
        this.types = types;
        this.offsets = offsets;
        this.lengths = lengths;
        this.integrityAt = integrityAt;
        this.fingerprint = fingerprint;
    }

    /** Decodes the readable bytes of {@code datagram} (not consumed). */
    public static StunMessage decode(ByteBuf datagram) throws StunException {
        int n = datagram.readableBytes();
        if (n < Stun.HEADER) {
            throw new StunException("shorter than the 20-byte STUN header: " + n);
        }
        if (n > Stun.MAX_LENGTH) {
            throw new StunException("longer than " + Stun.MAX_LENGTH + " bytes: " + n);
        }
        byte[] raw = new byte[n];
        datagram.getBytes(datagram.readerIndex(), raw);
        if ((raw[0] & 0xC0) != 0) {
            throw new StunException("first two bits are not zero");
        }
        if (int32(raw, 4) != Stun.MAGIC_COOKIE) {
            throw new StunException("no magic cookie");
        }
        int length = uint16(raw, 2);
        if ((length & 3) != 0 || Stun.HEADER + length != n) {
            throw new StunException("length field " + length + " does not match the " + n + "-byte datagram");
        }
        int[] types = new int[Stun.MAX_ATTRIBUTES];
        int[] offsets = new int[Stun.MAX_ATTRIBUTES];
        int[] lengths = new int[Stun.MAX_ATTRIBUTES];
        int count = 0;
        int integrityAt = -1;
        boolean fingerprint = false;
        int p = Stun.HEADER;
        while (p < n) {
            if (fingerprint) {
                throw new StunException("attribute after FINGERPRINT");
            }
            if (count == Stun.MAX_ATTRIBUTES) {
                throw new StunException("more than " + Stun.MAX_ATTRIBUTES + " attributes");
            }
            if (p + 4 > n) {
                throw new StunException("truncated attribute header at " + p);
            }
            int at = uint16(raw, p);
            int len = uint16(raw, p + 2);
            int end = p + 4 + ((len + 3) & ~3);
            if (end > n) {
                throw new StunException(String.format("attribute 0x%04X of length %d runs past the end", at, len));
            }
            if (at == Stun.FINGERPRINT) {
                checkFingerprint(raw, p, len);
                fingerprint = true;
            } else if (integrityAt < 0) { // attributes after MESSAGE-INTEGRITY are ignored (RFC 8489 §14.5)
                checkLength(at, len);
                if (at == Stun.MESSAGE_INTEGRITY) {
                    integrityAt = p;
                }
                types[count] = at;
                offsets[count] = p + 4;
                lengths[count] = len;
                count++;
            }
            p = end;
        }
        return new StunMessage(raw, count, types, offsets, lengths, integrityAt, fingerprint);
    }

    private static void checkLength(int at, int len) throws StunException {
        boolean ok = switch (at) {
            case Stun.MESSAGE_INTEGRITY -> len == 20;
            case Stun.PRIORITY -> len == 4;
            case Stun.USE_CANDIDATE -> len == 0;
            case Stun.ICE_CONTROLLED, Stun.ICE_CONTROLLING -> len == 8;
            case Stun.XOR_MAPPED_ADDRESS, Stun.MAPPED_ADDRESS -> len == 8 || len == 20;
            case Stun.USERNAME -> len > 0 && len <= Stun.MAX_USERNAME;
            case Stun.ERROR_CODE -> len >= 4 && len <= 4 + 763;
            default -> true;
        };
        if (!ok) {
            throw new StunException(String.format("attribute 0x%04X has a bad length %d", at, len));
        }
    }

    private static void checkFingerprint(byte[] raw, int p, int len) throws StunException {
        if (len != 4) {
            throw new StunException("FINGERPRINT length " + len);
        }
        CRC32 crc = new CRC32();
        crc.update(raw, 0, p);
        if (((int) crc.getValue() ^ Stun.FINGERPRINT_XOR) != int32(raw, p + 4)) {
            throw new StunException("FINGERPRINT does not match");
        }
    }

    public int type() {
        return type;
    }

    public boolean isRequest() {
        return (type & 0x0110) == 0;
    }

    /** The 12-byte transaction ID. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(raw, 8, 20);
    }

    /** Whether the message carried a FINGERPRINT (decoding already proved it right). */
    public boolean hasFingerprint() {
        return fingerprint;
    }

    public boolean hasIntegrity() {
        return integrityAt >= 0;
    }

    /**
     * Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 with {@code key} over the message up to the
     * attribute, with the header's length set as if the message ended right after it.
     */
    public boolean verifyIntegrity(byte[] key) {
        if (integrityAt < 0) {
            return false;
        }
        byte[] head = Arrays.copyOf(raw, integrityAt);
        int adjusted = integrityAt + 24 - Stun.HEADER;
        head[2] = (byte) (adjusted >>> 8);
        head[3] = (byte) adjusted;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] expected = mac.doFinal(head);
            return MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, integrityAt + 4, integrityAt + 24));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** The value of the first attribute of {@code attributeType}, or null. */
    public byte[] attribute(int attributeType) {
        int i = index(attributeType);
        return i < 0 ? null : Arrays.copyOfRange(raw, offsets[i], offsets[i] + lengths[i]);
    }

    public boolean has(int attributeType) {
        return index(attributeType) >= 0;
    }

    /** The comprehension-required attributes this agent does not understand, for a 420 answer. */
    public int[] unknownComprehensionRequired() {
        return Arrays.stream(types, 0, count).filter(t -> !Stun.understood(t)).distinct().toArray();
    }

    public String username() {
        byte[] v = attribute(Stun.USERNAME);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** PRIORITY, or -1. */
    public long priority() {
        int i = index(Stun.PRIORITY);
        return i < 0 ? -1 : int32(raw, offsets[i]) & 0xFFFFFFFFL;
    }

    /** The tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED (whichever {@code attributeType}), or null. */
    public Long tieBreaker(int attributeType) {
        int i = index(attributeType);
        return i < 0 ? null : ((long) int32(raw, offsets[i]) << 32) | (int32(raw, offsets[i] + 4) & 0xFFFFFFFFL);
    }

    /** ERROR-CODE as a number (class * 100 + number), or -1. */
    public int errorCode() {
        int i = index(Stun.ERROR_CODE);
        return i < 0 ? -1 : (raw[offsets[i] + 2] & 0x07) * 100 + (raw[offsets[i] + 3] & 0xFF);
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2), or null. */
    public InetSocketAddress xorMappedAddress() throws StunException {
        int i = index(Stun.XOR_MAPPED_ADDRESS);
        if (i < 0) {
            return null;
        }
        int o = offsets[i];
        int family = raw[o + 1] & 0xFF;
        int port = uint16(raw, o + 2) ^ (Stun.MAGIC_COOKIE >>> 16);
        byte[] addr = new byte[family == 1 ? 4 : 16];
        if ((family != 1 || lengths[i] != 8) && (family != 2 || lengths[i] != 20)) {
            throw new StunException("XOR-MAPPED-ADDRESS family " + family + " with length " + lengths[i]);
        }
        for (int k = 0; k < addr.length; k++) {
            addr[k] = (byte) (raw[o + 4 + k] ^ raw[4 + k]); // cookie then transaction ID, as RFC 8489 §14.2
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new StunException("bad address length");
        }
    }

    private int index(int attributeType) {
        for (int i = 0; i < count; i++) {
            if (types[i] == attributeType) {
                return i;
            }
        }
        return -1;
    }

    static int uint16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    static int int32(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }
}
