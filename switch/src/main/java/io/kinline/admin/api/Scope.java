package io.kinline.admin.api;

import io.kinline.admin.Principal;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Facility scope of a token (issue 11). A scoped token sees and changes only its facilities' data, calls,
 * recordings and live calls. Something outside its scope is answered exactly as if it did not exist
 * (the same 404, or the same 400 unknown-reference), so the scope does not reveal what lies beyond it.
 * What spans every facility (tokens, the audit log, global privileged numbers, new facilities) needs an
 * unscoped token.
 */
final class Scope {

    private Scope() {
    }

    /** Throws {@code notFound} unless the caller sees {@code facilityId}. */
    static void check(ApiRequest req, String facilityId, Supplier<ApiException> notFound) {
        if (!req.principal().sees(facilityId)) {
            throw notFound.get();
        }
    }

    /** 403 for a facility-scoped token: {@code what} spans every facility. */
    static void requireUnscoped(ApiRequest req, String what) {
        if (req.principal().scoped()) {
            throw ApiException.forbidden("a token limited to facilities may not " + what);
        }
    }

    /** The facilities a query must stay within; null = all. */
    static Set<String> facilities(ApiRequest req) {
        Principal p = req.principal();
        return p.scoped() ? p.facilities() : null;
    }
}
