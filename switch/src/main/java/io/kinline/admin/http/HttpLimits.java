package io.kinline.admin.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one admin API connection, and all of them together, may hold. The admin server shares the process's
 * file descriptors with SIP and RTP, so a slow or hostile client must not be able to pin them.
 *
 * @param maxConnections           connections open at once; beyond it a new one is closed at accept
 * @param maxConnectionsPerAddress connections open at once from one IP address (0 = no per-address cap;
 *                                 behind a reverse proxy every client has the proxy's address)
 * @param headerTimeout            from the first byte of a request (or the connection's start) to the end
 *                                 of its head; not reset by each byte, so a head sent a byte at a time
 *                                 cannot keep a connection forever
 * @param bodyTimeout              from the end of the head to the end of the body
 */
public record HttpLimits(int maxConnections, int maxConnectionsPerAddress, Duration headerTimeout,
                         Duration bodyTimeout) {

    public static final HttpLimits DEFAULTS = new HttpLimits(512, 64, Duration.ofSeconds(10), Duration.ofSeconds(30));

    public HttpLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public HttpLimits withHeaderTimeout(Duration d) {
        return new HttpLimits(maxConnections, maxConnectionsPerAddress, d, bodyTimeout);
    }

    public HttpLimits withConnections(int max, int perAddress) {
        return new HttpLimits(max, perAddress, headerTimeout, bodyTimeout);
    }
}
