package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.PrivilegedNumber;
import io.kinline.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Privileged numbers: attorneys and hotlines, never recorded or monitored. */
final class NumberEndpoints {

    private final Store store;
    private final Audit audit;

    NumberEndpoints(Store store, Audit audit) {
        this.store = store;
        this.audit = audit;
    }

    void register(Router r) {
        r.add("GET", "/api/privileged-numbers", Roles.STAFF, this::list);
        r.add("POST", "/api/privileged-numbers", Roles.ADMIN, this::create);
        r.add("DELETE", "/api/privileged-numbers/{id}", Roles.ADMIN, this::delete);
    }

    private ApiResponse list(ApiRequest req) {
        String facility = req.query("facility").orElse(null);
        if (facility != null && (!req.principal().sees(facility) || store.facilities().get(facility).isEmpty())) {
            throw ApiException.unknownReference("facility", "no facility " + facility);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<PrivilegedNumber> found = new ArrayList<>();
        if (facility == null && req.principal().scoped()) {
            // Global entries plus those of each facility in scope, each once.
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (String f : new java.util.TreeSet<>(req.principal().facilities())) {
                store.numbers().privileged(f).stream().filter(p -> seen.add(p.id())).forEach(found::add);
            }
        } else {
            found.addAll(store.numbers().privileged(facility));
        }
        found.forEach(p -> out.add(Views.privileged(p)));
        return ApiResponse.ok(Map.of("numbers", out));
    }

    private ApiResponse create(ApiRequest req) {
        JsonBody b = req.json();
        String number = NumberInput.e164("number", b.requiredText("number"));
        PrivilegedNumber.Kind kind = PrivilegedNumber.Kind.valueOf(Inputs.oneOf("kind", b.requiredText("kind"),
                "attorney", "hotline", "consulate", "clergy", "ombudsman", "other").toUpperCase(Locale.ROOT));
        String label = b.optionalText("label").orElse(null);
        String facility = b.optionalText("facility").orElse(null);
        b.finish();
        if (facility == null) {
            Scope.requireUnscoped(req, "add a privileged number for every facility (give \"facility\")");
        }
        PrivilegedNumber saved = Tx.run(store, () -> {
            if (facility != null && (!req.principal().sees(facility) || store.facilities().get(facility).isEmpty())) {
                throw ApiException.unknownReference("facility", "no facility " + facility);
            }
            boolean dup = store.numbers().privileged(facility).stream()
                    .anyMatch(p -> p.number().equals(number) && java.util.Objects.equals(p.facilityId(), facility));
            if (dup) {
                throw ApiException.conflict("number", number + " is already privileged"
                        + (facility == null ? "" : " in " + facility));
            }
            PrivilegedNumber p = StoreErrors.call("number", number + " is already privileged",
                    () -> store.numbers().addPrivileged(new PrivilegedNumber(0, facility, number, kind, label)));
            audit.record(req.principal(), "privileged-number.add", "number:" + number, Views.privileged(p));
            return p;
        });
        return ApiResponse.created(Views.privileged(saved), "/api/privileged-numbers/" + saved.id());
    }

    private ApiResponse delete(ApiRequest req) {
        long id;
        try {
            id = Long.parseLong(req.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no privileged number " + req.pathParam("id"));
        }
        if (req.principal().scoped()) {
            PrivilegedNumber p = null;
            for (String f : req.principal().facilities()) {
                for (PrivilegedNumber x : store.numbers().privileged(f)) {
                    if (x.id() == id) {
                        p = x;
                    }
                }
            }
            if (p == null) {
                throw ApiException.notFound("no privileged number " + id);
            }
            if (p.facilityId() == null) {
                Scope.requireUnscoped(req, "remove a privileged number of every facility");
            }
        }
        Tx.run(store, () -> {
            if (!store.numbers().removePrivileged(id)) {
                throw ApiException.notFound("no privileged number " + id);
            }
            audit.record(req.principal(), "privileged-number.remove", "privileged-number:" + id, Map.of());
        });
        return ApiResponse.noContent();
    }
}
