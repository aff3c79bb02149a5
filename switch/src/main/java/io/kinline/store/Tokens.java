package io.kinline.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Admin API tokens. Tokens are random 32-byte values; only their SHA-256 is stored. */
public interface Tokens {

    /** Issues an unlimited token that does not expire; the secret is returned once. */
    default ApiToken.Issued issue(String name, ApiToken.Role role) {
        return issue(name, role, null, Set.of());
    }

    /**
     * Issues a token; the secret is returned once.
     *
     * @param expiresAt  null = never
     * @param facilities the facilities it is limited to (each must exist); empty = all
     */
    ApiToken.Issued issue(String name, ApiToken.Role role, Instant expiresAt, Set<String> facilities);

    /** Stores a token with a known secret (bootstrap from configuration). */
    ApiToken importToken(String name, ApiToken.Role role, String secret);

    /**
     * The token with this secret if it is neither revoked nor expired. Notes its use ({@code lastUsedAt})
     * when the last noted use is a minute old or more, so a busy token costs no write per request.
     */
    Optional<ApiToken> authenticate(String secret);

    /** Of these token ids, those neither revoked nor expired at {@code now} (live-listen sessions ask). */
    Set<Long> stillActive(Collection<Long> ids, Instant now);

    List<ApiToken> list();

    Optional<ApiToken> get(long id);

    boolean revoke(long id);
}
