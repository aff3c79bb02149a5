package io.kinline.media.ice;

/**
 * A datagram that is not a STUN message we accept, with the precise reason. Thrown by the decoder;
 * the caller counts it and drops the datagram (a lite agent answers nothing it cannot parse).
 */
public final class StunException extends Exception {

    public StunException(String reason) {
        super(reason, null, false, false); // no stack trace: garbage from the network is routine
    }
}
