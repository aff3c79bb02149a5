package io.kinline.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys of admin API requests (issue 11): per token, the first response to a key, kept for a
 * day. A key is claimed inside the transaction of the change it answers ({@link Store#inTransaction}), so
 * the key and the change commit together or not at all, and a second request with the key waits on the
 * first's row lock and then finds its response.
 */
public interface IdempotencyKeys {

    /** A stored answer; {@code body} is the response's JSON text (may be null). */
    record Stored(String requestHash, int status, String location, String body, Instant createdAt) {
    }

    /** The answer stored for (token, key) at or after {@code notBefore}. */
    Optional<Stored> find(long tokenId, String key, Instant notBefore);

    /**
     * Claims (token, key) for a request: removes a row older than {@code notBefore}, then inserts this one.
     *
     * @throws ConflictException if the key is taken (by a committed request, or one committing now)
     */
    void claim(long tokenId, String key, String requestHash, Instant now, Instant notBefore);

    /** Stores the answer of a claimed key (same transaction as the claim). */
    void complete(long tokenId, String key, int status, String location, String body);

    /** Deletes the keys created before {@code before}; returns how many. */
    int purge(Instant before);
}
