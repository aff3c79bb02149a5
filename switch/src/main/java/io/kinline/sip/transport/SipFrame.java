package io.kinline.sip.transport;

/**
 * Output of framing: a complete message ({@code bytes} = header block + exactly Content-Length body bytes), a
 * keep-alive ping, or a framing error carrying whatever header bytes were seen so an error response can still be
 * routed ({@code status} 400 or 513).
 */
public record SipFrame(Kind kind, byte[] bytes, int status, String reason) {

    public enum Kind { MESSAGE, PING, ERROR }

    static final SipFrame PING = new SipFrame(Kind.PING, new byte[0], 0, null);

    static SipFrame message(byte[] bytes) {
        return new SipFrame(Kind.MESSAGE, bytes, 0, null);
    }

    static SipFrame error(byte[] headerBytes, int status, String reason) {
        return new SipFrame(Kind.ERROR, headerBytes, status, reason);
    }
}
