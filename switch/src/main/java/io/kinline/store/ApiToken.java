package io.kinline.store;

import java.time.Instant;

/** An admin API token. Only the SHA-256 of the token is stored. */
public record ApiToken(long id, String name, Role role, String tokenHash, Instant createdAt, Instant revokedAt) {

    public enum Role { ADMIN, INVESTIGATOR, CUSTOMER_SERVICE }

    public boolean active() {
        return revokedAt == null;
    }

    /** A freshly issued token: {@code secret} is shown to the caller once and never stored. */
    public record Issued(ApiToken token, String secret) {
    }
}
