package io.kinline.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Dispatcher;
import io.kinline.admin.http.Handler;
import io.kinline.admin.http.Json;
import io.kinline.store.ConflictException;
import io.kinline.store.IdempotencyKeys;
import io.kinline.store.Store;
import io.kinline.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Idempotency-Key} on POST, as payment APIs do it (Stripe; draft-ietf-httpapi-idempotency-key):
 * the first response to a key is stored in the database with the change it answers, in one transaction,
 * and a retry with the same key and the same request (method, path, body, byte for byte) gets that
 * response again for 24 hours, marked {@code Idempotent-Replayed: true}; the same key with another request
 * is 422. Keys belong to the token that sent them. Only a change that committed records its key: a
 * refused request (4xx) can be retried with the same key once corrected. Two requests with one key at
 * once: the second waits for the first's row and replays its answer, or gets 409 if it is still running.
 */
final class IdempotentRequests implements Dispatcher.Idempotency {

    static final Duration KEPT = Duration.ofHours(24);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    static final int MAX_KEY = 255;

    private final Store store;
    private final Clock clock;
    private final AtomicLong nextPurge = new AtomicLong();

    IdempotentRequests(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public ApiResponse run(ApiRequest req, String key, Handler handler) {
        validate(key);
        // Keys belong to their sender: a token by its id, a console account by its id negated (one column).
        long token = req.principal().isToken() ? Long.parseLong(req.principal().tokenId())
                : -Long.parseLong(req.principal().tokenId());
        String hash = fingerprint(req);
        Instant now = clock.instant();
        Instant notBefore = now.minus(KEPT);
        purge(now);
        IdempotencyKeys keys = store.idempotencyKeys();
        Optional<IdempotencyKeys.Stored> done = keys.find(token, key, notBefore);
        if (done.isPresent()) {
            return replay(done.get(), hash);
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return store.inTransaction(() -> {
                    keys.claim(token, key, hash, now, notBefore);
                    ApiResponse r = execute(handler, req);
                    if (r instanceof ApiResponse.JsonResponse j) {
                        keys.complete(token, key, j.status(), j.headers().get("Location"), stored(req, j));
                    }
                    return r;
                });
            } catch (StoreException e) {
                // The key was taken meanwhile (the row lock made us wait for its answer), or the change
                // itself lost a race and its transaction is dead (PostgreSQL): look, then try once more.
                Optional<IdempotencyKeys.Stored> other = keys.find(token, key, notBefore);
                if (other.isPresent()) {
                    return replay(other.get(), hash);
                }
                if (attempt >= 1) {
                    if (e instanceof ConflictException) {
                        throw ApiException.conflict("Idempotency-Key",
                                "a request with this Idempotency-Key is still being processed; retry it");
                    }
                    throw e;
                }
            }
        }
    }

    private static ApiResponse execute(Handler handler, ApiRequest req) {
        try {
            return handler.handle(req);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** 1 to 255 printable ASCII characters (a UUID is the usual choice). */
    static void validate(String key) {
        boolean ok = !key.isEmpty() && key.length() <= MAX_KEY && key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
        if (!ok) {
            throw ApiException.validation("Idempotency-Key",
                    "Idempotency-Key must be 1 to " + MAX_KEY + " printable ASCII characters, e.g. a UUID");
        }
    }

    /** SHA-256 over method, path with query, and body: "the same request", byte for byte. */
    static String fingerprint(ApiRequest req) {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
        StringBuilder head = new StringBuilder(req.method()).append(' ').append(req.path());
        new java.util.TreeMap<>(req.queryParams()).forEach((k, v) -> head.append('&').append(k).append('=').append(v));
        md.update(head.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        if (req.body() != null) {
            md.update(req.body());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The response as stored: JSON text; a new token's secret is shown once and is never stored. */
    private static String stored(ApiRequest req, ApiResponse.JsonResponse j) {
        if (j.body() == null) {
            return null;
        }
        try {
            Object body = j.body();
            if ("/api/tokens".equals(req.route()) && body instanceof Map<?, ?> m && m.containsKey("token")) {
                ObjectNode n = Json.mapper().valueToTree(body);
                n.putNull("token");
                return Json.mapper().writeValueAsString(n);
            }
            return Json.mapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot store the response of an idempotent request", e);
        }
    }

    private static ApiResponse replay(IdempotencyKeys.Stored s, String hash) {
        if (!s.requestHash().equals(hash)) {
            throw ApiException.unprocessable("Idempotency-Key", "this Idempotency-Key was used with another "
                    + "request (method, path or body) in the last 24 hours; use a new key for a new request");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (s.location() != null) {
            headers.put("Location", s.location());
        }
        headers.put("Idempotent-Replayed", "true");
        // The stored text verbatim: the replay is the first response, byte for byte.
        return new ApiResponse.JsonResponse(s.status(), s.body() == null ? null : new RawValue(s.body()), headers);
    }

    private void purge(Instant now) {
        long next = nextPurge.get();
        if (now.toEpochMilli() >= next && nextPurge.compareAndSet(next, now.plus(PURGE_EVERY).toEpochMilli())) {
            try {
                store.idempotencyKeys().purge(now.minus(KEPT));
            } catch (StoreException e) {
                org.slf4j.LoggerFactory.getLogger(IdempotentRequests.class).warn("cannot purge old idempotency keys", e);
            }
        }
    }
}
