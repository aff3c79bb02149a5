package io.kinline.media.codec;

/** The audio codecs Kinline speaks. Both are 8 kHz, one byte per sample. */
public enum Codec {
    PCMU(0, "PCMU"),
    PCMA(8, "PCMA");

    public static final int SAMPLE_RATE = 8000;

    private final int staticPayloadType;
    private final String encodingName;

    Codec(int staticPayloadType, String encodingName) {
        this.staticPayloadType = staticPayloadType;
        this.encodingName = encodingName;
    }

    /** The RFC 3551 static payload type. */
    public int staticPayloadType() {
        return staticPayloadType;
    }

    /** The name used in SDP {@code a=rtpmap}. */
    public String encodingName() {
        return encodingName;
    }

    public byte encode(short linear) {
        return this == PCMU ? G711.linearToUlaw(linear) : G711.linearToAlaw(linear);
    }

    public short decode(byte encoded) {
        return this == PCMU ? G711.ulawToLinear(encoded) : G711.alawToLinear(encoded);
    }

    /** Encodes {@code len} samples from {@code src} into {@code dst}. */
    public void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        if (this == PCMU) {
            G711.encodeUlaw(src, srcOff, dst, dstOff, len);
        } else {
            G711.encodeAlaw(src, srcOff, dst, dstOff, len);
        }
    }

    /** Decodes {@code len} bytes from {@code src} into {@code dst}. */
    public void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        if (this == PCMU) {
            G711.decodeUlaw(src, srcOff, dst, dstOff, len);
        } else {
            G711.decodeAlaw(src, srcOff, dst, dstOff, len);
        }
    }

    public static Codec forPayloadType(int pt) {
        return switch (pt) {
            case 0 -> PCMU;
            case 8 -> PCMA;
            default -> null;
        };
    }

    public static Codec forEncodingName(String name) {
        for (Codec c : values()) {
            if (c.encodingName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }
}
