package io.kinline.admin.console;

import io.kinline.admin.Principal;
import io.kinline.admin.Role;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.AuditEntry;
import io.kinline.store.IncidentReviews;
import io.kinline.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incident queue's actions, for admins and investigators (as {@code GET /api/incidents}): acknowledge an
 * incident (once), add a note, read the reviews of a page of incidents. An incident outside a limited
 * caller's facilities is answered as if it did not exist. Each change is audited in its transaction.
 */
public final class IncidentReviewEndpoints {

    private static final Set<Role> STAFF = EnumSet.of(Role.ADMIN, Role.INVESTIGATOR);
    private static final int MAX_IDS = 500;

    private final Store store;
    private final Clock clock;

    public IncidentReviewEndpoints(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void register(Router r) {
        r.add("GET", "/api/incidents/reviews", STAFF, this::reviews);
        r.add("POST", "/api/incidents/{id}/acknowledge", STAFF, this::acknowledge);
        r.add("POST", "/api/incidents/{id}/notes", STAFF, this::note);
    }

    private long visible(ApiRequest req) {
        long id;
        try {
            id = Long.parseLong(req.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no incident " + req.pathParam("id"));
        }
        String facility = store.incidentReviews().facilityOf(id).orElse(null);
        if (facility == null || !req.principal().sees(facility.isEmpty() ? null : facility)) {
            throw ApiException.notFound("no incident " + id);
        }
        return id;
    }

    private ApiResponse acknowledge(ApiRequest req) {
        long id = visible(req);
        Principal who = req.principal();
        Instant now = clock.instant();
        store.inTransaction(() -> {
            if (!store.incidentReviews().acknowledge(id, who.actor(), now)) {
                throw ApiException.conflict(null, "incident " + id + " is already acknowledged");
            }
            store.audit().append(AuditEntry.of(now, who.actor(), "incident.acknowledge", "incident:" + id, null));
            return null;
        });
        return new ApiResponse.JsonResponse(200, view(store.incidentReviews().reviews(List.of(id)).get(id)), Map.of());
    }

    private ApiResponse note(ApiRequest req) {
        long id = visible(req);
        JsonBody b = req.json();
        String text = b.optionalText("text", 2000).orElseThrow(() -> b.missing("text"));
        b.finish();
        Principal who = req.principal();
        Instant now = clock.instant();
        IncidentReviews.Note n = store.inTransaction(() -> {
            IncidentReviews.Note x = store.incidentReviews().addNote(id, who.actor(), now, text);
            store.audit().append(AuditEntry.of(now, who.actor(), "incident.note", "incident:" + id,
                    "{\"note\":" + x.id() + "}"));
            return x;
        });
        return new ApiResponse.JsonResponse(201, note(n), Map.of());
    }

    /** {@code ?ids=1,2,3} (at most 500): ids outside the caller's facilities are left out. */
    private ApiResponse reviews(ApiRequest req) {
        List<Long> ids = new ArrayList<>();
        String raw = req.query("ids").orElse("");
        for (String s : raw.isEmpty() ? new String[0] : raw.split(",", MAX_IDS + 2)) {
            try {
                ids.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                throw ApiException.validation("ids", "ids must be incident ids separated by commas");
            }
        }
        if (ids.size() > MAX_IDS) {
            throw ApiException.validation("ids", "at most " + MAX_IDS + " ids");
        }
        if (req.principal().scoped()) {
            ids.removeIf(id -> store.incidentReviews().facilityOf(id).map(f -> !req.principal().sees(f)).orElse(true));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        store.incidentReviews().reviews(ids).values().forEach(r -> out.add(view(r)));
        return new ApiResponse.JsonResponse(200, Map.of("reviews", out), Map.of());
    }

    private static Map<String, Object> view(IncidentReviews.Review r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("incidentId", r.incidentId());
        m.put("acknowledgedAt", r.acknowledgedAt());
        m.put("acknowledgedBy", r.acknowledgedBy());
        m.put("notes", r.notes().stream().map(IncidentReviewEndpoints::note).toList());
        return m;
    }

    private static Map<String, Object> note(IncidentReviews.Note n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("at", n.at());
        m.put("author", n.author());
        m.put("text", n.text());
        return m;
    }
}
