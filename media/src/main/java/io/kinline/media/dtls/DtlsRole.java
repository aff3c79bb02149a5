package io.kinline.media.dtls;

/** Which side of the DTLS handshake we play. */
public enum DtlsRole {
    CLIENT, SERVER
}
