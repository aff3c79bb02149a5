package io.kinline.media.sdp;

/** An SDP media direction attribute (RFC 3264 section 5.1, 6.1). */
public enum Direction {
    SENDRECV(true, true),
    SENDONLY(true, false),
    RECVONLY(false, true),
    INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    Direction(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    public boolean sends() {
        return sends;
    }

    public boolean receives() {
        return receives;
    }

    /** The direction the other side must take: sendonly answers recvonly and so on. */
    public Direction reverse() {
        return of(receives, sends);
    }

    public Direction withoutSend() {
        return of(false, receives);
    }

    public static Direction of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? SENDRECV : SENDONLY;
        }
        return receives ? RECVONLY : INACTIVE;
    }

    /** The attribute name ({@code sendrecv}...). */
    public String attribute() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses an attribute name, or returns null when it is not a direction. */
    public static Direction parse(String attr) {
        return switch (attr == null ? "" : attr.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }
}
