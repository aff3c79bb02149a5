package io.kinline.store;

import java.util.List;
import java.util.Optional;

/** Admin API tokens. Tokens are random 32-byte values; only their SHA-256 is stored. */
public interface Tokens {

    /** Issues a token; the secret is returned once. */
    ApiToken.Issued issue(String name, ApiToken.Role role);

    /** Stores a token with a known secret (bootstrap from configuration). */
    ApiToken importToken(String name, ApiToken.Role role, String secret);

    /** The active token with this secret, if any. */
    Optional<ApiToken> authenticate(String secret);

    List<ApiToken> list();

    boolean revoke(long id);
}
