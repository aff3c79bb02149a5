package io.kinline.store.jdbc;

import io.kinline.store.IdempotencyKeys;
import java.time.Instant;
import java.util.Optional;

final class JdbcIdempotencyKeys implements IdempotencyKeys {

    private final Db db;

    JdbcIdempotencyKeys(Db db) {
        this.db = db;
    }

    @Override
    public Optional<Stored> find(long tokenId, String key, Instant notBefore) {
        return db.tx(c -> Db.one(c, "SELECT request_hash, status, location, response_body, created_at "
                        + "FROM idempotency_key WHERE token_id = ? AND idem_key = ? AND created_at >= ?",
                rs -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), Db.instant(rs, 5)),
                tokenId, key, notBefore));
    }

    @Override
    public void claim(long tokenId, String key, String requestHash, Instant now, Instant notBefore) {
        db.tx(c -> {
            Db.update(c, "DELETE FROM idempotency_key WHERE token_id = ? AND idem_key = ? AND created_at < ?",
                    tokenId, key, notBefore);
            // status 0 until complete(): never visible to others, the row commits with the answer.
            return Db.update(c, "INSERT INTO idempotency_key (token_id, idem_key, request_hash, status, created_at) "
                    + "VALUES (?,?,?,0,?)", tokenId, key, requestHash, now);
        });
    }

    @Override
    public void complete(long tokenId, String key, int status, String location, String body) {
        db.tx(c -> Db.update(c, "UPDATE idempotency_key SET status = ?, location = ?, response_body = ? "
                + "WHERE token_id = ? AND idem_key = ?", status, Db.str(location), Db.str(body), tokenId, key));
    }

    @Override
    public int purge(Instant before) {
        return db.tx(c -> Db.update(c, "DELETE FROM idempotency_key WHERE created_at < ?", before));
    }
}
