package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.Block;
import io.kinline.store.Blocks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcBlocks implements Blocks {

    private final Db db;

    JdbcBlocks(Db db) {
        this.db = db;
    }

    @Override
    public Block add(Block b) {
        if (b.type() == Block.Type.FACILITY && (b.note() == null || b.note().isBlank())) {
            throw new IllegalArgumentException("a facility block requires a reason (note)");
        }
        return db.tx(c -> {
            long id = Db.insertReturningId(c, "INSERT INTO number_block (number, facility_id, type, inmate_id, set_by, "
                            + "set_at, note) VALUES (?,?,?,?,?,?,?)",
                    b.number(), str(b.facilityId()), b.type(), str(b.inmateId()), b.setBy(), b.setAt(), str(b.note()));
            return Db.one(c, "SELECT * FROM number_block WHERE id = ?", JdbcBlocks::map, id).orElseThrow();
        });
    }

    @Override
    public Optional<Block> get(long id) {
        return db.tx(c -> Db.one(c, "SELECT * FROM number_block WHERE id = ?", JdbcBlocks::map, id));
    }

    @Override
    public Optional<Block> lift(long id, String liftedBy, Instant at) {
        return db.tx(c -> {
            int n = Db.update(c, "UPDATE number_block SET lifted_by = ?, lifted_at = ? WHERE id = ? AND lifted_at IS NULL",
                    liftedBy, at, id);
            if (n == 0) {
                return Optional.empty();
            }
            return Db.one(c, "SELECT * FROM number_block WHERE id = ?", JdbcBlocks::map, id);
        });
    }

    @Override
    public List<Block> list(String number, String facilityId, String inmateId, boolean activeOnly) {
        StringBuilder sql = new StringBuilder("SELECT * FROM number_block WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (number != null) {
            sql.append(" AND number = ?");
            args.add(number);
        }
        if (facilityId != null) {
            sql.append(" AND (facility_id IS NULL OR facility_id = ?)");
            args.add(facilityId);
        }
        if (inmateId != null) {
            sql.append(" AND (inmate_id IS NULL OR inmate_id = ?)");
            args.add(inmateId);
        }
        if (activeOnly) {
            sql.append(" AND lifted_at IS NULL");
        }
        sql.append(" ORDER BY set_at DESC, id DESC");
        return db.tx(c -> Db.list(c, sql.toString(), JdbcBlocks::map, args.toArray()));
    }

    @Override
    public List<Block> findActive(String facilityId, String inmateId, String number) {
        return db.tx(c -> Db.list(c, "SELECT * FROM number_block WHERE number = ? AND lifted_at IS NULL "
                        + "AND (facility_id IS NULL OR facility_id = ?) AND (inmate_id IS NULL OR inmate_id = ?) "
                        + "ORDER BY set_at DESC, id DESC",
                JdbcBlocks::map, number, str(facilityId), str(inmateId)));
    }

    static Block map(ResultSet rs) throws SQLException {
        return new Block(rs.getLong("id"), rs.getString("number"), rs.getString("facility_id"),
                Block.Type.valueOf(rs.getString("type")), rs.getString("inmate_id"), rs.getString("set_by"),
                Db.instant(rs, "set_at"), rs.getString("note"), rs.getString("lifted_by"), Db.instant(rs, "lifted_at"));
    }
}
