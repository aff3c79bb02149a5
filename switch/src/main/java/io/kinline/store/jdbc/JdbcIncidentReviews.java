package io.kinline.store.jdbc;

import io.kinline.store.IncidentReviews;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

final class JdbcIncidentReviews implements IncidentReviews {

    private final Db db;

    JdbcIncidentReviews(Db db) {
        this.db = db;
    }

    @Override
    public Optional<String> facilityOf(long incidentId) {
        return db.tx(c -> Db.one(c, "SELECT facility_id FROM incident WHERE id = ?",
                rs -> rs.getString(1) == null ? "" : rs.getString(1), incidentId));
    }

    @Override
    public boolean acknowledge(long incidentId, String by, Instant at) {
        return db.tx(c -> {
            if (Db.one(c, "SELECT incident_id FROM incident_ack WHERE incident_id = ?", rs -> rs.getLong(1), incidentId)
                    .isPresent()) {
                return false;
            }
            Db.update(c, "INSERT INTO incident_ack (incident_id, acknowledged_at, acknowledged_by) VALUES (?,?,?)",
                    incidentId, at.truncatedTo(ChronoUnit.MICROS), by);
            return true;
        });
    }

    @Override
    public Note addNote(long incidentId, String author, Instant at, String text) {
        Instant t = at.truncatedTo(ChronoUnit.MICROS);
        return db.tx(c -> new Note(Db.insertReturningId(c, "INSERT INTO incident_note (incident_id, at, author, text) "
                + "VALUES (?,?,?,?)", incidentId, t, author, text), incidentId, t, author, text));
    }

    @Override
    public Map<Long, Review> reviews(Collection<Long> incidentIds) {
        List<Long> ids = new ArrayList<>(new TreeSet<>(incidentIds));
        Map<Long, Review> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        return db.tx(c -> {
            Map<Long, Object[]> acks = new LinkedHashMap<>();
            for (Object[] a : Db.list(c, "SELECT incident_id, acknowledged_at, acknowledged_by FROM incident_ack "
                    + "WHERE incident_id IN (" + marks + ")", rs -> new Object[] {rs.getLong(1), Db.instant(rs, 2),
                    rs.getString(3)}, ids.toArray())) {
                acks.put((Long) a[0], a);
            }
            Map<Long, List<Note>> notes = new LinkedHashMap<>();
            for (Note n : Db.list(c, "SELECT id, incident_id, at, author, text FROM incident_note WHERE incident_id IN ("
                    + marks + ") ORDER BY at, id", rs -> new Note(rs.getLong(1), rs.getLong(2), Db.instant(rs, 3),
                    rs.getString(4), rs.getString(5)), ids.toArray())) {
                notes.computeIfAbsent(n.incidentId(), k -> new ArrayList<>()).add(n);
            }
            for (Long id : ids) {
                Object[] a = acks.get(id);
                out.put(id, new Review(id, a == null ? null : (Instant) a[1], a == null ? null : (String) a[2],
                        List.copyOf(notes.getOrDefault(id, List.of()))));
            }
            return out;
        });
    }
}
