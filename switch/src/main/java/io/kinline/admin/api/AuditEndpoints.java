package io.kinline.admin.api;

import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Router;
import io.kinline.store.AuditEntry;
import io.kinline.store.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the audit log (admin only). */
final class AuditEndpoints {

    private final Store store;

    AuditEndpoints(Store store) {
        this.store = store;
    }

    void register(Router r) {
        r.add("GET", "/api/audit", Roles.ADMIN, this::list);
    }

    private ApiResponse list(ApiRequest req) {
        Scope.requireUnscoped(req, "read the audit log, which spans every facility");
        String actor = req.query("actor").orElse(null);
        String target = req.query("target").orElse(null);
        Instant from = req.query("from").map(v -> Inputs.instant("from", v)).orElse(null);
        Instant to = req.query("to").map(v -> Inputs.instant("to", v)).orElse(null);
        int limit = Inputs.limit(req, 100, CallEndpoints.MAX_LIMIT);
        List<Map<String, Object>> out = new ArrayList<>();
        for (AuditEntry e : store.audit().list(actor, target, from, to, limit)) {
            out.add(Views.obj("id", e.id(), "at", e.at(), "actor", e.actor(), "action", e.action(),
                    "target", e.target(), "details", e.details()));
        }
        return ApiResponse.ok(Views.obj("count", out.size(), "entries", out));
    }
}
