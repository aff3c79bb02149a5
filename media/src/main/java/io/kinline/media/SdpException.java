package io.kinline.media;

/** An SDP that cannot be used: malformed (400) or with no codec in common (488). */
public class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean noCommonCodec;

    private SdpException(String message, boolean noCommonCodec, Throwable cause) {
        super(message, cause);
        this.noCommonCodec = noCommonCodec;
    }

    public static SdpException malformed(String message, Throwable cause) {
        return new SdpException(message, false, cause);
    }

    public static SdpException noCommonCodec(String message) {
        return new SdpException(message, true, null);
    }

    /** True when the answer should be 488 Not Acceptable Here. */
    public boolean noCommonCodec() {
        return noCommonCodec;
    }
}
