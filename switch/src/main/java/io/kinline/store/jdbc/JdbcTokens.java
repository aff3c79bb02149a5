package io.kinline.store.jdbc;

import io.kinline.store.ApiToken;
import io.kinline.store.PinHasher;
import io.kinline.store.Tokens;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

final class JdbcTokens implements Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;

    JdbcTokens(Db db) {
        this.db = db;
    }

    @Override
    public ApiToken.Issued issue(String name, ApiToken.Role role) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String secret = "kl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        return new ApiToken.Issued(importToken(name, role, secret), secret);
    }

    @Override
    public ApiToken importToken(String name, ApiToken.Role role, String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("token secret too short (16 characters minimum)");
        }
        String hash = PinHasher.sha256Hex(secret);
        // Microsecond precision: what both databases keep, so the returned value equals the stored one.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return db.tx(c -> {
            long id = Db.insertReturningId(c, "INSERT INTO api_token (name, role, token_hash, created_at) VALUES (?,?,?,?)",
                    name, role, hash, now);
            return new ApiToken(id, name, role, hash, now, null);
        });
    }

    @Override
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        String hash = PinHasher.sha256Hex(secret);
        return db.tx(c -> Db.one(c, "SELECT * FROM api_token WHERE token_hash = ? AND revoked_at IS NULL",
                JdbcTokens::map, hash));
    }

    @Override
    public List<ApiToken> list() {
        return db.tx(c -> Db.list(c, "SELECT * FROM api_token ORDER BY id", JdbcTokens::map));
    }

    @Override
    public boolean revoke(long id) {
        return db.tx(c -> Db.update(c, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                Instant.now(), id) > 0);
    }

    static ApiToken map(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), ApiToken.Role.valueOf(rs.getString("role")),
                rs.getString("token_hash"), Db.instant(rs, "created_at"), Db.instant(rs, "revoked_at"));
    }
}
