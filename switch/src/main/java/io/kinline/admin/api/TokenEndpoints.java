package io.kinline.admin.api;

import io.kinline.admin.Role;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.ApiToken;
import io.kinline.store.Store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * API tokens: issue (secret shown once), list, revoke. Tokens may expire ({@code expiresAt}; non-admin
 * tokens get a configurable default lifetime) and be limited to facilities. Only an admin token that is
 * not itself limited to facilities manages tokens: a limited one could otherwise mint an unlimited one.
 */
final class TokenEndpoints {

    private final Store store;
    private final Audit audit;
    private final Clock clock;
    private final Duration defaultLifetime;
    private final LongConsumer revoked;

    /**
     * @param defaultLifetime how long a non-admin token lives when its creator does not say; zero = for ever
     * @param revoked         told the id of each token revoked here (live-listen sessions end at once)
     */
    TokenEndpoints(Store store, Audit audit, Clock clock, Duration defaultLifetime, LongConsumer revoked) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.defaultLifetime = defaultLifetime;
        this.revoked = revoked;
    }

    void register(Router r) {
        r.add("GET", "/api/tokens", Roles.ADMIN, this::list);
        r.add("POST", "/api/tokens", Roles.ADMIN, this::create);
        r.add("DELETE", "/api/tokens/{id}", Roles.ADMIN, this::revoke);
    }

    static ApiToken.Role toStore(Role r) {
        return ApiToken.Role.valueOf(r.name());
    }

    static Role fromStore(ApiToken.Role r) {
        return Role.valueOf(r.name());
    }

    private ApiResponse list(ApiRequest req) {
        Scope.requireUnscoped(req, "manage tokens");
        List<Map<String, Object>> out = new ArrayList<>();
        Instant now = clock.instant();
        store.tokens().list().forEach(t -> out.add(Views.token(t, now)));
        return ApiResponse.ok(Map.of("tokens", out));
    }

    private ApiResponse create(ApiRequest req) {
        Scope.requireUnscoped(req, "manage tokens");
        JsonBody b = req.json();
        String roleText = b.requiredText("role");
        Role role = Role.parse(roleText).orElseThrow(() ->
                ApiException.validation("role", "role must be one of admin, investigator, customer_service"));
        // The name is part of the audit actor "token:<id>(<name>)", which has to fit its column.
        String name = b.optionalText("name", 100).orElseThrow(() -> b.missing("name"));
        Instant now = clock.instant();
        Instant expiresAt;
        if (b.isNull("expiresAt")) {
            expiresAt = null; // asked for explicitly: a token that does not expire
        } else {
            expiresAt = b.optionalText("expiresAt").map(v -> Inputs.instant("expiresAt", v)).orElse(
                    role == Role.ADMIN || defaultLifetime.isZero() ? null : now.plus(defaultLifetime));
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.validation("expiresAt", "expiresAt must be in the future");
        }
        Set<String> facilities = facilities(b);
        b.finish();
        ApiToken.Issued issued = Tx.run(store, () -> {
            for (String f : facilities) {
                if (store.facilities().get(f).isEmpty()) {
                    throw ApiException.unknownReference("facilities", "no facility " + f);
                }
            }
            ApiToken.Issued i = store.tokens().issue(name, toStore(role), expiresAt, facilities);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("role", role.wireName());
            details.put("expiresAt", expiresAt);
            details.put("facilities", new TreeSet<>(facilities));
            audit.record(req.principal(), "token.create", "token:" + i.token().id(), details);
            return i;
        });
        Map<String, Object> view = new LinkedHashMap<>(Views.token(issued.token(), now));
        view.put("token", issued.secret());
        return ApiResponse.created(view, "/api/tokens/" + issued.token().id());
    }

    /** {@code "facilities":["scc",...]}: ids of existing facilities, at most 100; absent or empty = all. */
    private static Set<String> facilities(JsonBody b) {
        Optional<JsonNode> n = b.optionalNode("facilities");
        if (n.isEmpty()) {
            return Set.of();
        }
        if (!n.get().isArray() || n.get().size() > 100) {
            throw ApiException.validation("facilities", "facilities must be an array of at most 100 facility ids");
        }
        Set<String> out = new TreeSet<>();
        for (JsonNode e : n.get()) {
            if (!e.isTextual()) {
                throw ApiException.validation("facilities", "facilities must be an array of facility ids");
            }
            out.add(Inputs.id("facilities", e.textValue()));
        }
        return out;
    }

    private ApiResponse revoke(ApiRequest req) {
        Scope.requireUnscoped(req, "manage tokens");
        long id;
        try {
            id = Long.parseLong(req.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no token " + req.pathParam("id"));
        }
        Tx.run(store, () -> {
            if (!store.tokens().revoke(id)) {
                throw ApiException.notFound("no active token " + id);
            }
            audit.record(req.principal(), "token.revoke", "token:" + id, Map.of());
        });
        revoked.accept(id);
        return ApiResponse.noContent();
    }
}
