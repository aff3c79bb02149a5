package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.AuditEntry;
import io.kinline.store.AuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

final class JdbcAuditLog implements AuditLog {

    private final Db db;

    JdbcAuditLog(Db db) {
        this.db = db;
    }

    @Override
    public AuditEntry append(AuditEntry e) {
        return db.tx(c -> {
            long id = Db.insertReturningId(c, "INSERT INTO audit_log (at, actor, action, target, details) VALUES (?,?,?,?,?)",
                    e.at(), e.actor(), e.action(), str(e.target()), str(e.details()));
            return new AuditEntry(id, e.at(), e.actor(), e.action(), e.target(), e.details());
        });
    }

    @Override
    public List<AuditEntry> list(String actor, String target, Instant from, Instant to, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (actor != null) {
            sql.append(" AND actor = ?");
            args.add(actor);
        }
        if (target != null) {
            sql.append(" AND target = ?");
            args.add(target);
        }
        if (from != null) {
            sql.append(" AND at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" AND at < ?");
            args.add(to);
        }
        int lim = limit <= 0 || limit > 10_000 ? 1_000 : limit;
        sql.append(" ORDER BY id DESC LIMIT ").append(lim);
        return db.tx(c -> Db.list(c, sql.toString(), JdbcAuditLog::map, args.toArray()));
    }

    static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Db.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("target"), rs.getString("details"));
    }
}
