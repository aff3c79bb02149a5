package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.Incident;
import io.kinline.store.Incidents;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

final class JdbcIncidents implements Incidents {

    private final Db db;

    JdbcIncidents(Db db) {
        this.db = db;
    }

    @Override
    public Incident record(Incident i) {
        return db.tx(c -> {
            long id = Db.insertReturningId(c, "INSERT INTO incident (facility_id, inmate_id, call_id, type, at, details) "
                    + "VALUES (?,?,?,?,?,?)", str(i.facilityId()), str(i.inmateId()), str(i.callId()), i.type(), i.at(),
                    str(i.details()));
            return new Incident(id, i.facilityId(), i.inmateId(), i.callId(), i.type(), i.at(), i.details());
        });
    }

    @Override
    public List<Incident> list(String facilityId, String inmateId, Incident.Type type, Instant from, Instant to,
                               int limit, java.util.Set<String> facilities) {
        StringBuilder sql = new StringBuilder("SELECT * FROM incident WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (facilityId != null) {
            sql.append(" AND facility_id = ?");
            args.add(facilityId);
        }
        if (inmateId != null) {
            sql.append(" AND inmate_id = ?");
            args.add(inmateId);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type.name());
        }
        if (from != null) {
            sql.append(" AND at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" AND at < ?");
            args.add(to);
        }
        if (facilities != null) {
            if (facilities.isEmpty()) {
                return List.of();
            }
            sql.append(" AND facility_id IN (").append(String.join(",", java.util.Collections.nCopies(facilities.size(), "?")))
                    .append(')');
            args.addAll(new java.util.TreeSet<>(facilities));
        }
        int lim = limit <= 0 || limit > 10_000 ? 1_000 : limit;
        sql.append(" ORDER BY at DESC, id DESC LIMIT ").append(lim);
        return db.tx(c -> Db.list(c, sql.toString(), JdbcIncidents::map, args.toArray()));
    }

    static Incident map(ResultSet rs) throws SQLException {
        return new Incident(rs.getLong("id"), rs.getString("facility_id"), rs.getString("inmate_id"),
                rs.getString("call_id"), Incident.Type.valueOf(rs.getString("type")), Db.instant(rs, "at"),
                rs.getString("details"));
    }
}
