package io.kinline.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kinline.admin.Principal;
import io.kinline.admin.http.Json;
import io.kinline.store.AuditEntry;
import io.kinline.store.Store;

import java.time.Clock;
import java.util.Map;

/** Writes audit lines: who (token id and name), when, what, on which subject. Never secrets or PINs. */
final class Audit {

    static final int MAX_DETAILS = 8000;

    private final Store store;
    private final Clock clock;

    Audit(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void record(Principal who, String action, String target, Map<String, ?> details) {
        String json;
        try {
            json = details == null || details.isEmpty() ? null : Json.mapper().writeValueAsString(details);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (json != null && json.length() > MAX_DETAILS) {
            // The details column is bounded; an over-long snapshot is replaced, the line itself is kept.
            json = "{\"truncated\":true,\"length\":" + json.length() + "}";
        }
        store.audit().append(AuditEntry.of(clock.instant(), who.actor(), action, target, json));
    }
}
