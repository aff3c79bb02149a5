package io.kinline.admin.api;

import io.kinline.admin.Role;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.ApiToken;
import io.kinline.store.Store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API tokens: issue (secret shown once), list, revoke. */
final class TokenEndpoints {

    private final Store store;
    private final Audit audit;

    TokenEndpoints(Store store, Audit audit) {
        this.store = store;
        this.audit = audit;
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
        List<Map<String, Object>> out = new ArrayList<>();
        store.tokens().list().forEach(t -> out.add(Views.token(t)));
        return ApiResponse.ok(Map.of("tokens", out));
    }

    private ApiResponse create(ApiRequest req) {
        JsonBody b = req.json();
        String roleText = b.requiredText("role");
        Role role = Role.parse(roleText).orElseThrow(() ->
                ApiException.validation("role", "role must be one of admin, investigator, customer_service"));
        // The name is part of the audit actor "token:<id>(<name>)", which has to fit its column.
        String name = b.optionalText("name", 100).orElseThrow(() -> b.missing("name"));
        b.finish();
        ApiToken.Issued issued = Tx.run(store, () -> {
            ApiToken.Issued i = store.tokens().issue(name, toStore(role));
            audit.record(req.principal(), "token.create", "token:" + i.token().id(),
                    Map.of("name", name, "role", role.wireName()));
            return i;
        });
        Map<String, Object> view = new LinkedHashMap<>(Views.token(issued.token()));
        view.put("token", issued.secret());
        return ApiResponse.created(view, "/api/tokens/" + issued.token().id());
    }

    private ApiResponse revoke(ApiRequest req) {
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
        return ApiResponse.noContent();
    }
}
