package io.kinline.store;

import java.time.Instant;

/**
 * One line of the append-only audit log of administrative actions.
 *
 * @param details JSON text (may be {@code null})
 */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String details) {

    public static AuditEntry of(Instant at, String actor, String action, String target, String details) {
        return new AuditEntry(0, at, actor, action, target, details);
    }
}
