package io.kinline.admin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Admin API settings.
 *
 * @param bindHost      address to bind; 127.0.0.1 by default so the API is not exposed by accident
 * @param port          TCP port ({@code --admin-port}, default 8080; 0 picks a free port)
 * @param dataDir       the data directory (the bootstrap admin token file lives here)
 * @param recordingsDir where call recordings ({@code <callId>.wav}) are stored
 * @param maxBodyBytes  largest request body accepted; larger bodies get 413
 * @param metricsAuth   whether {@code /metrics} requires a token (admin or investigator)
 */
public record AdminConfig(String bindHost, int port, Path dataDir, Path recordingsDir, int maxBodyBytes,
                          boolean metricsAuth) {

    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public AdminConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(recordingsDir, "recordingsDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes too small: " + maxBodyBytes);
        }
    }

    public AdminConfig(String bindHost, int port, Path dataDir, Path recordingsDir, int maxBodyBytes) {
        this(bindHost, port, dataDir, recordingsDir, maxBodyBytes, false);
    }

    /** Defaults: 127.0.0.1:8080, recordings under {@code <dataDir>/recordings}, 1 MiB bodies, open metrics. */
    public static AdminConfig defaults(Path dataDir) {
        return new AdminConfig(DEFAULT_BIND_HOST, DEFAULT_PORT, dataDir, dataDir.resolve("recordings"),
                DEFAULT_MAX_BODY_BYTES, false);
    }

    public AdminConfig withPort(int newPort) {
        return new AdminConfig(bindHost, newPort, dataDir, recordingsDir, maxBodyBytes, metricsAuth);
    }

    public AdminConfig withBindHost(String host) {
        return new AdminConfig(host, port, dataDir, recordingsDir, maxBodyBytes, metricsAuth);
    }

    public AdminConfig withRecordingsDir(Path dir) {
        return new AdminConfig(bindHost, port, dataDir, dir, maxBodyBytes, metricsAuth);
    }

    public AdminConfig withMaxBodyBytes(int max) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, max, metricsAuth);
    }

    public AdminConfig withMetricsAuth(boolean required) {
        return new AdminConfig(bindHost, port, dataDir, recordingsDir, maxBodyBytes, required);
    }
}
