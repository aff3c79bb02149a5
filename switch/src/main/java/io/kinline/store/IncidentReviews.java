package io.kinline.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Acknowledgements and notes on incidents (the console's incident queue). */
public interface IncidentReviews {

    /** An incident's review: when and by whom it was acknowledged (null: not yet), and its notes, oldest first. */
    record Review(long incidentId, Instant acknowledgedAt, String acknowledgedBy, List<Note> notes) {
    }

    record Note(long id, long incidentId, Instant at, String author, String text) {
    }

    /** The facility of incident {@code id} (empty string for none), or empty when there is no such incident. */
    Optional<String> facilityOf(long incidentId);

    /** Acknowledges; false when it already was (the first acknowledgement stands). */
    boolean acknowledge(long incidentId, String by, Instant at);

    Note addNote(long incidentId, String author, Instant at, String text);

    /** The reviews of these incidents (every id gets one, maybe empty). */
    Map<Long, Review> reviews(Collection<Long> incidentIds);
}
