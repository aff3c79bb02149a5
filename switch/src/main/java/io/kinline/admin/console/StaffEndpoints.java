package io.kinline.admin.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.Principal;
import io.kinline.admin.Role;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Json;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.AuditEntry;
import io.kinline.store.ConflictException;
import io.kinline.store.StaffAccount;
import io.kinline.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * {@code /api/staff}: console accounts, managed by an admin that is not limited to facilities (a limited one
 * could otherwise create an unlimited one); {@code GET /api/session}: who the caller is. Each change is one
 * transaction with its audit line; a change of role, facilities or password, and a disable, end the
 * account's sessions at once. Password hashes are never returned or audited.
 */
public final class StaffEndpoints {

    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

    private final Store store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final LongConsumer sessionsEnd;

    public StaffEndpoints(Store store, PasswordHasher hasher, Clock clock, LongConsumer sessionsEnd) {
        this.store = store;
        this.hasher = hasher;
        this.clock = clock;
        this.sessionsEnd = sessionsEnd;
    }

    public void register(Router r) {
        r.add("GET", "/api/staff", ADMIN, this::list);
        r.add("POST", "/api/staff", ADMIN, this::create);
        r.add("PATCH", "/api/staff/{id}", ADMIN, this::patch);
        r.add("DELETE", "/api/staff/{id}", ADMIN, this::disable);
        r.add("GET", "/api/session", EnumSet.allOf(Role.class), this::session);
    }

    private ApiResponse session(ApiRequest req) {
        Principal p = req.principal();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", p.kind());
        m.put("id", p.tokenId());
        m.put("name", p.name());
        m.put("role", p.role().wireName());
        if (!p.isToken()) {
            m.put("staffRole", req.session() == null ? null : req.session().staffRole());
        }
        m.put("facilities", new TreeSet<>(p.facilities()));
        return new ApiResponse.JsonResponse(200, m, Map.of());
    }

    private static void requireUnscoped(ApiRequest req) {
        if (req.principal().scoped()) {
            throw ApiException.forbidden("an account limited to facilities may not manage staff");
        }
    }

    private ApiResponse list(ApiRequest req) {
        requireUnscoped(req);
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        store.staff().list().forEach(a -> out.add(view(a, now)));
        return new ApiResponse.JsonResponse(200, Map.of("staff", out), Map.of());
    }

    private ApiResponse create(ApiRequest req) {
        requireUnscoped(req);
        JsonBody b = req.json();
        String username = username(b.requiredText("username"));
        String display = b.optionalText("displayName", 100).orElse(username);
        StaffRole role = role(b.requiredText("role"));
        char[] password = password(b.requiredText("password"));
        Set<String> facilities = facilities(b).orElse(Set.of());
        b.finish();
        checkScope(role, facilities);
        String hash = hasher.hash(password);
        StaffAccount a = store.inTransaction(() -> {
            requireFacilities(facilities);
            StaffAccount created;
            try {
                created = store.staff().create(username, display, role.wireName(), hash, facilities);
            } catch (ConflictException e) {
                throw ApiException.conflict("username", "username " + username + " is taken");
            }
            audit(req, "staff.create", created.id(), Map.of("username", username, "role", role.wireName(),
                    "facilities", new TreeSet<>(facilities)));
            return created;
        });
        return new ApiResponse.JsonResponse(201, view(a, clock.instant()), Map.of("Location", "/api/staff/" + a.id()));
    }

    private ApiResponse patch(ApiRequest req) {
        requireUnscoped(req);
        long id = id(req);
        JsonBody b = req.json();
        StaffRole role = b.optionalText("role").map(StaffEndpoints::role).orElse(null);
        Optional<Set<String>> facilities = facilities(b);
        char[] password = b.optionalText("password").map(StaffEndpoints::password).orElse(null);
        boolean unlock = b.optionalBoolean("unlock").orElse(false);
        b.finish();
        String hash = password == null ? null : hasher.hash(password);
        StaffAccount after = store.inTransaction(() -> {
            StaffAccount before = store.staff().get(id).orElseThrow(() -> ApiException.notFound("no staff account " + id));
            StaffRole r = role != null ? role : StaffRole.parse(before.role()).orElseThrow();
            checkScope(r, facilities.orElse(before.facilities()));
            facilities.ifPresent(this::requireFacilities);
            store.staff().update(id, role == null ? null : role.wireName(), facilities.orElse(null), hash, unlock);
            Map<String, Object> d = new LinkedHashMap<>();
            if (role != null) {
                d.put("role", role.wireName());
            }
            facilities.ifPresent(f -> d.put("facilities", new TreeSet<>(f)));
            if (hash != null) {
                d.put("password", "reset");
            }
            if (unlock) {
                d.put("unlock", true);
            }
            audit(req, "staff.update", id, d);
            return store.staff().get(id).orElseThrow();
        });
        if (role != null || facilities.isPresent() || hash != null) {
            sessionsEnd.accept(id); // the old rights must not outlive the change
        }
        return new ApiResponse.JsonResponse(200, view(after, clock.instant()), Map.of());
    }

    private ApiResponse disable(ApiRequest req) {
        requireUnscoped(req);
        long id = id(req);
        store.inTransaction(() -> {
            if (!store.staff().disable(id, clock.instant())) {
                throw ApiException.notFound("no enabled staff account " + id);
            }
            audit(req, "staff.disable", id, Map.of());
            return null;
        });
        sessionsEnd.accept(id);
        return new ApiResponse.JsonResponse(204, null, Map.of());
    }

    private static long id(ApiRequest req) {
        try {
            return Long.parseLong(req.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no staff account " + req.pathParam("id"));
        }
    }

    static String username(String v) {
        String u = v.strip().toLowerCase(java.util.Locale.ROOT);
        if (!SignIn.USERNAME.matcher(u).matches()) {
            throw ApiException.validation("username",
                    "username must be 1-64 of a-z, 0-9, '.', '_', '@', '-', starting with a letter or digit");
        }
        return u;
    }

    static StaffRole role(String v) {
        return StaffRole.parse(v).orElseThrow(() -> ApiException.validation("role",
                "role must be one of admin, investigator, customer_service, facility_staff"));
    }

    static char[] password(String v) {
        if (v.length() < PasswordHasher.MIN_PASSWORD || v.length() > PasswordHasher.MAX_PASSWORD) {
            throw ApiException.validation("password", "password must be " + PasswordHasher.MIN_PASSWORD + "-"
                    + PasswordHasher.MAX_PASSWORD + " characters");
        }
        return v.toCharArray();
    }

    private static void checkScope(StaffRole role, Set<String> facilities) {
        if (role.needsFacilities() && facilities.isEmpty()) {
            throw ApiException.validation("facilities", "facility staff must be limited to at least one facility");
        }
    }

    private void requireFacilities(Set<String> facilities) {
        for (String f : facilities) {
            if (store.facilities().get(f).isEmpty()) {
                throw ApiException.unknownReference("facilities", "no facility " + f);
            }
        }
    }

    private static Optional<Set<String>> facilities(JsonBody b) {
        Optional<JsonNode> n = b.optionalNode("facilities");
        if (n.isEmpty() || n.get().isNull()) {
            return Optional.empty();
        }
        if (!n.get().isArray() || n.get().size() > 100) {
            throw ApiException.validation("facilities", "facilities must be an array of at most 100 facility ids");
        }
        Set<String> out = new TreeSet<>();
        for (JsonNode e : n.get()) {
            if (!e.isTextual() || !e.textValue().matches("[A-Za-z0-9._-]{1,64}")) {
                throw ApiException.validation("facilities", "facilities must be an array of facility ids");
            }
            out.add(e.textValue());
        }
        return Optional.of(out);
    }

    private void audit(ApiRequest req, String action, long id, Map<String, ?> details) {
        String json = null;
        try {
            json = details.isEmpty() ? null : Json.mapper().writeValueAsString(details);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the line matters more than its details
        }
        store.audit().append(AuditEntry.of(clock.instant(), req.principal().actor(), action, "staff:" + id, json));
    }

    static Map<String, Object> view(StaffAccount a, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.valueOf(a.id()));
        m.put("username", a.username());
        m.put("displayName", a.displayName());
        m.put("role", a.role());
        m.put("facilities", new TreeSet<>(a.facilities()));
        m.put("failedAttempts", a.failedAttempts());
        m.put("locked", a.lockedAt(now));
        m.put("lockedUntil", a.lockedAt(now) ? a.lockedUntil() : null);
        m.put("lastSignInAt", a.lastSignInAt());
        m.put("createdAt", a.createdAt());
        m.put("disabledAt", a.disabledAt());
        m.put("active", !a.disabled());
        return m;
    }
}
