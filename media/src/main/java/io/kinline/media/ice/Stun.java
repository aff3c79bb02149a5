package io.kinline.media.ice;

/** STUN constants (RFC 8489, RFC 8445 §16.1): message types, attribute types, error codes. */
public final class Stun {

    public static final int HEADER = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Largest message we read: a full Ethernet payload. ICE checks are about 100 bytes. */
    public static final int MAX_LENGTH = 1500;
    /** Most attributes we walk in one message; an ICE check has six. */
    public static final int MAX_ATTRIBUTES = 32;
    /** USERNAME must be shorter than 513 bytes (RFC 8489 §14.3). */
    public static final int MAX_USERNAME = 512;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    public static final int FINGERPRINT_XOR = 0x5354554E;

    public static final int ERROR_BAD_REQUEST = 400;
    public static final int ERROR_UNAUTHORIZED = 401;
    public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;
    public static final int ERROR_ROLE_CONFLICT = 487;

    private Stun() {
    }

    /** Whether a comprehension-required attribute (0x0000-0x7FFF) is one this agent understands. */
    static boolean understood(int type) {
        return switch (type) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
                    MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, PRIORITY,
                    USE_CANDIDATE -> true;
            default -> type >= 0x8000;
        };
    }
}
