package io.kinline.admin;

import io.kinline.admin.http.HttpLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Admin API settings.
 *
 * @param bindHost      address to bind; 127.0.0.1 by default so the API is not exposed by accident
 * @param port          TCP port ({@code --admin-port}, default 8080; 0 picks a free port)
 * @param dataDir       the data directory (the bootstrap admin token file lives here)
 * @param recordingsDir where call recordings ({@code <callId>.wav}) are stored
 * @param maxBodyBytes  largest request body accepted; larger bodies get 413
 * @param metrics       who may read {@code /metrics} without a token
 * @param limits        connection caps and request-read deadlines
 * @param tokenLifetime how long an investigator or customer-service token lives when its creator gives no
 *                      {@code expiresAt}; zero = until revoked
 * @param listen        live-listen caps
 */
public record AdminConfig(String bindHost, int port, Path dataDir, Path recordingsDir, int maxBodyBytes,
                          MetricsAccess metrics, HttpLimits limits, Duration tokenLifetime, ListenLimits listen) {

    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(30);

    /** Who may read {@code /metrics} without a token (anyone else needs an admin or investigator token). */
    public enum MetricsAccess {
        /** Anyone who can reach the port. */
        OPEN,
        /** Callers on the loopback interface (a Prometheus on the same host); the default. */
        LOOPBACK,
        /** Nobody: always a token. */
        TOKEN;

        /** {@code open}, {@code loopback} or {@code token}. */
        public static MetricsAccess parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("admin.metrics must be open, loopback or token, not " + s);
            }
        }
    }

    /**
     * Live-listen caps: WebSockets open at once per token and per call (an investigator needs one or two;
     * thirty on one call is not monitoring).
     */
    public record ListenLimits(int perToken, int perCall) {
        public static final ListenLimits DEFAULTS = new ListenLimits(2, 5);

        public ListenLimits {
            if (perToken < 1 || perCall < 1) {
                throw new IllegalArgumentException("listen caps must be at least 1");
            }
        }
    }

    public AdminConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(recordingsDir, "recordingsDir");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(listen, "listen");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes too small: " + maxBodyBytes);
        }
        if (tokenLifetime.isNegative()) {
            throw new IllegalArgumentException("tokenLifetime must not be negative");
        }
    }

    public AdminConfig(String bindHost, int port, Path dataDir, Path recordingsDir, int maxBodyBytes) {
        this(bindHost, port, dataDir, recordingsDir, maxBodyBytes, MetricsAccess.LOOPBACK, HttpLimits.DEFAULTS,
                DEFAULT_TOKEN_LIFETIME, ListenLimits.DEFAULTS);
    }

    /**
     * Defaults: 127.0.0.1:8080, recordings under {@code <dataDir>/recordings}, 1 MiB bodies, {@code /metrics}
     * open on loopback only, {@link HttpLimits#DEFAULTS}, 30-day non-admin tokens, 2 listeners per token and 5
     * per call.
     */
    public static AdminConfig defaults(Path dataDir) {
        return new AdminConfig(DEFAULT_BIND_HOST, DEFAULT_PORT, dataDir, dataDir.resolve("recordings"),
                DEFAULT_MAX_BODY_BYTES);
    }

    public AdminConfig withPort(int newPort) {
        return new AdminConfig(bindHost, newPort, dataDir, recordingsDir, maxBodyBytes, metrics, limits, tokenLifetime,
                listen);
    }

    public AdminConfig withBindHost(String host) {
        return new AdminConfig(host, port, dataDir, recordingsDir, maxBodyBytes, metrics, limits, tokenLifetime, listen);
    }

    public AdminConfig withRecordingsDir(Path dir) {
        return new AdminConfig(bindHost, port, dataDir, dir, maxBodyBytes, metrics, limits, tokenLifetime, listen);
    }

    public AdminConfig withMaxBodyBytes(int max) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, max, metrics, limits, tokenLifetime, listen);
    }

    public AdminConfig withMetrics(MetricsAccess access) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, maxBodyBytes, access, limits, tokenLifetime,
                listen);
    }

    /** {@code true}: {@code /metrics} always needs a token; {@code false}: the default (open on loopback). */
    public AdminConfig withMetricsAuth(boolean required) {
        return withMetrics(required ? MetricsAccess.TOKEN : MetricsAccess.LOOPBACK);
    }

    public AdminConfig withLimits(HttpLimits l) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, maxBodyBytes, metrics, l, tokenLifetime, listen);
    }

    public AdminConfig withTokenLifetime(Duration d) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, maxBodyBytes, metrics, limits, d, listen);
    }

    public AdminConfig withListenLimits(ListenLimits l) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, maxBodyBytes, metrics, limits, tokenLifetime, l);
    }
}
