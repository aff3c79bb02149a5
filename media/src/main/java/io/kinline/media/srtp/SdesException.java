package io.kinline.media.srtp;

/** An {@code a=crypto} line we cannot use, with the reason (for logs and for a 488's Warning). */
public final class SdesException extends Exception {

    public SdesException(String reason) {
        super(reason);
    }
}
