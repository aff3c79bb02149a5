package io.kinline.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An admin API token. Only the SHA-256 of the token is stored.
 *
 * @param expiresAt  when it stops working by itself; null = never
 * @param lastUsedAt the last request it authenticated, to the minute; null = never used
 * @param facilities the facilities it is limited to; empty = all
 */
public record ApiToken(long id, String name, Role role, String tokenHash, Instant createdAt, Instant revokedAt,
                       Instant expiresAt, Instant lastUsedAt, Set<String> facilities) {

    public enum Role { ADMIN, INVESTIGATOR, CUSTOMER_SERVICE }

    public ApiToken {
        facilities = Set.copyOf(Objects.requireNonNullElse(facilities, Set.of()));
    }

    /** An unlimited token that never expires and was never used. */
    public ApiToken(long id, String name, Role role, String tokenHash, Instant createdAt, Instant revokedAt) {
        this(id, name, role, tokenHash, createdAt, revokedAt, null, null, Set.of());
    }

    /** Neither revoked nor expired now. */
    public boolean active() {
        return activeAt(Instant.now());
    }

    /** Neither revoked nor expired at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** A freshly issued token: {@code secret} is shown to the caller once and never stored. */
    public record Issued(ApiToken token, String secret) {
    }
}
