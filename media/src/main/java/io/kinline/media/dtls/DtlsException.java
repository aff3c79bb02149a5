package io.kinline.media.dtls;

/** Why a DTLS-SRTP handshake failed: timeout, refused fingerprint, no SRTP profile, peer alert. */
public final class DtlsException extends Exception {

    public DtlsException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
