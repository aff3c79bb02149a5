package io.kinline.store;

import java.time.Instant;
import java.util.List;

/** Incidents for investigators. */
public interface Incidents {

    Incident record(Incident incident);

    /** Newest first; any filter may be {@code null}. */
    default List<Incident> list(String facilityId, String inmateId, Incident.Type type, Instant from, Instant to,
                                int limit) {
        return list(facilityId, inmateId, type, from, to, limit, null);
    }

    /** As above, within {@code facilities} only (a facility-limited API token; null = all), in the query. */
    List<Incident> list(String facilityId, String inmateId, Incident.Type type, Instant from, Instant to, int limit,
                        java.util.Set<String> facilities);
}
