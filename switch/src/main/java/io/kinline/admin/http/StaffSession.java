package io.kinline.admin.http;

import io.kinline.admin.Principal;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A person's signed-in console session as the HTTP layer sees it: who (a {@link Principal} of kind
 * {@code staff}), the session's anti-CSRF token, and which API route templates the person's role may use
 * beyond the token role's own matrix (facility staff carry an admin role limited to their facilities, but
 * never reach call records, recordings or live calls).
 */
public record StaffSession(String id, Principal principal, String staffRole, String csrfToken,
                           Predicate<String> routeAllowed) {
    public StaffSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(routeAllowed, "routeAllowed");
    }
}
