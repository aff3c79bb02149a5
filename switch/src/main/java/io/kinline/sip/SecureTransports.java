package io.kinline.sip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The secure SIP listeners: SIP over TLS (RFC 3261 §26) and SIP over WebSocket (RFC 7118).
 *
 * @param tlsPort           SIP over TLS port (0 = ephemeral, -1 = off); 5061 is the standard port
 * @param wssPort           SIP over secure WebSocket port (0 = ephemeral, -1 = off)
 * @param wsPort            SIP over plain WebSocket port (-1 = off); only allowed when binding loopback (tests)
 * @param certificate       PEM certificate chain, leaf first (required when TLS or WSS is on)
 * @param privateKey        PEM private key (PKCS#8, or the PKCS#1/SEC1 forms OpenSSL writes)
 * @param handshakeTimeout  a TLS handshake (or WebSocket upgrade) not finished in this time is closed: a slowloris
 *                          handshake costs one socket for this long and no more
 * @param maxFrame          largest WebSocket frame payload accepted, bytes; a bigger frame closes the connection
 *                          with status 1009
 * @param pingInterval      a WebSocket connection silent for this long gets a Ping (keeps NATs open and finds
 *                          dead peers); 0 = no pings
 * @param portsDerived      the TLS and WSS ports were not configured but derived from the SIP port (+1, +2): when
 *                          one is taken the listener takes a free port instead (and says so), as TCP does when the
 *                          UDP port is taken for TCP
 */
public record SecureTransports(int tlsPort, int wssPort, int wsPort, Path certificate, Path privateKey,
                               Duration handshakeTimeout, int maxFrame, Duration pingInterval, boolean portsDerived) {

    /** Everything off: the default of {@link SipConfig}. */
    public static final SecureTransports OFF = new SecureTransports(-1, -1, -1, null, null, Duration.ofSeconds(10),
            64 * 1024, Duration.ofSeconds(30), false);

    public SecureTransports {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if ((tlsPort >= 0 || wssPort >= 0) && (certificate == null || privateKey == null)) {
            throw new IllegalArgumentException("SIP over TLS or WSS needs a certificate and a private key");
        }
        if (maxFrame < 1024) {
            throw new IllegalArgumentException("maxFrame must be at least 1024 bytes: " + maxFrame);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
    }

    /** Listeners on the given ports with the given certificate and the default limits. */
    public static SecureTransports of(int tlsPort, int wssPort, int wsPort, Path certificate, Path privateKey) {
        return new SecureTransports(tlsPort, wssPort, wsPort, certificate, privateKey, OFF.handshakeTimeout,
                OFF.maxFrame, OFF.pingInterval, false);
    }

    public SecureTransports withLimits(Duration handshakeTimeout, int maxFrame, Duration pingInterval) {
        return new SecureTransports(tlsPort, wssPort, wsPort, certificate, privateKey, handshakeTimeout, maxFrame,
                pingInterval, portsDerived);
    }

    public SecureTransports withPortsDerived(boolean derived) {
        return new SecureTransports(tlsPort, wssPort, wsPort, certificate, privateKey, handshakeTimeout, maxFrame,
                pingInterval, derived);
    }
}
