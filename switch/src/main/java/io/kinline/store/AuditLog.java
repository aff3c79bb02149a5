package io.kinline.store;

import java.time.Instant;
import java.util.List;

/** Append-only audit log. */
public interface AuditLog {

    AuditEntry append(AuditEntry entry);

    /** Newest first; any filter may be {@code null}. */
    List<AuditEntry> list(String actor, String target, Instant from, Instant to, int limit);
}
