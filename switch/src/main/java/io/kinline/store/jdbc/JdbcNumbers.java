package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.Numbers;
import io.kinline.store.PrivilegedNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcNumbers implements Numbers {

    private final Db db;

    JdbcNumbers(Db db) {
        this.db = db;
    }

    @Override
    public PrivilegedNumber addPrivileged(PrivilegedNumber p) {
        return db.tx(c -> {
            long id = Db.insertReturningId(c,
                    "INSERT INTO privileged_number (facility_id, number, kind, label) VALUES (?,?,?,?)",
                    str(p.facilityId()), p.number(), p.kind(), str(p.label()));
            return new PrivilegedNumber(id, p.facilityId(), p.number(), p.kind(), p.label());
        });
    }

    @Override
    public boolean removePrivileged(long id) {
        return db.tx(c -> Db.update(c, "DELETE FROM privileged_number WHERE id = ?", id) > 0);
    }

    @Override
    public List<PrivilegedNumber> privileged(String facilityId) {
        return db.tx(c -> Db.list(c,
                "SELECT * FROM privileged_number WHERE facility_id IS NULL OR facility_id = ? ORDER BY number, id",
                JdbcNumbers::map, str(facilityId)));
    }

    @Override
    public Optional<PrivilegedNumber> findPrivileged(String facilityId, String number) {
        // Facility-specific entries first, then global ones.
        return db.tx(c -> Db.one(c, "SELECT * FROM privileged_number WHERE number = ? "
                        + "AND (facility_id IS NULL OR facility_id = ?) ORDER BY facility_id NULLS LAST, id",
                JdbcNumbers::map, number, str(facilityId)));
    }

    static PrivilegedNumber map(ResultSet rs) throws SQLException {
        return new PrivilegedNumber(rs.getLong("id"), rs.getString("facility_id"), rs.getString("number"),
                PrivilegedNumber.Kind.valueOf(rs.getString("kind")), rs.getString("label"));
    }
}
