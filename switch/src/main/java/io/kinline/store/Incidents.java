package io.kinline.store;

import java.time.Instant;
import java.util.List;

/** Incidents for investigators. */
public interface Incidents {

    Incident record(Incident incident);

    /** Newest first; any filter may be {@code null}. */
    List<Incident> list(String facilityId, String inmateId, Incident.Type type, Instant from, Instant to, int limit);
}
