package io.kinline.store.jdbc;

import io.kinline.store.ApiToken;
import io.kinline.store.PinHasher;
import io.kinline.store.Tokens;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

final class JdbcTokens implements Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** lastUsedAt is written at most this often per token: a use is a read, not a write. */
    private static final Duration USE_GRANULARITY = Duration.ofMinutes(1);

    private final Db db;

    JdbcTokens(Db db) {
        this.db = db;
    }

    @Override
    public ApiToken.Issued issue(String name, ApiToken.Role role, Instant expiresAt, Set<String> facilities) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String secret = "kl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        return new ApiToken.Issued(insert(name, role, secret, expiresAt, facilities), secret);
    }

    @Override
    public ApiToken importToken(String name, ApiToken.Role role, String secret) {
        return insert(name, role, secret, null, Set.of());
    }

    private ApiToken insert(String name, ApiToken.Role role, String secret, Instant expiresAt, Set<String> facilities) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("token secret too short (16 characters minimum)");
        }
        String hash = PinHasher.sha256Hex(secret);
        // Microsecond precision: what both databases keep, so the returned value equals the stored one.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant exp = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        return db.tx(c -> {
            long id = Db.insertReturningId(c, "INSERT INTO api_token (name, role, token_hash, created_at, expires_at) "
                    + "VALUES (?,?,?,?,?)", name, role, hash, now, Db.ts(exp));
            for (String f : new TreeSet<>(facilities)) {
                Db.update(c, "INSERT INTO api_token_facility (token_id, facility_id) VALUES (?,?)", id, f);
            }
            return new ApiToken(id, name, role, hash, now, null, exp, null, facilities);
        });
    }

    @Override
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        String hash = PinHasher.sha256Hex(secret);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return db.tx(c -> {
            Optional<ApiToken> t = Db.one(c, "SELECT * FROM api_token WHERE token_hash = ? AND revoked_at IS NULL "
                    + "AND (expires_at IS NULL OR expires_at > ?)", rs -> map(rs, Set.of()), hash, now);
            if (t.isEmpty()) {
                return t;
            }
            ApiToken x = t.get();
            Instant used = x.lastUsedAt();
            if (used == null || !used.plus(USE_GRANULARITY).isAfter(now)) {
                Db.update(c, "UPDATE api_token SET last_used_at = ? WHERE id = ?", now, x.id());
                used = now;
            }
            return Optional.of(new ApiToken(x.id(), x.name(), x.role(), x.tokenHash(), x.createdAt(), x.revokedAt(),
                    x.expiresAt(), used, facilities(c, x.id())));
        });
    }

    @Override
    public Set<Long> stillActive(Collection<Long> ids, Instant now) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<Long> list = List.copyOf(new HashSet<>(ids));
        String marks = String.join(",", java.util.Collections.nCopies(list.size(), "?"));
        List<Object> args = new ArrayList<>(list);
        args.add(now);
        return db.tx(c -> new HashSet<>(Db.list(c, "SELECT id FROM api_token WHERE id IN (" + marks + ") "
                + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", rs -> rs.getLong(1),
                args.toArray())));
    }

    @Override
    public List<ApiToken> list() {
        return db.tx(c -> {
            Map<Long, Set<String>> scopes = new HashMap<>();
            for (Object[] row : Db.list(c, "SELECT token_id, facility_id FROM api_token_facility",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)})) {
                scopes.computeIfAbsent((Long) row[0], k -> new TreeSet<>()).add((String) row[1]);
            }
            return Db.list(c, "SELECT * FROM api_token ORDER BY id",
                    rs -> map(rs, scopes.getOrDefault(rs.getLong("id"), Set.of())));
        });
    }

    @Override
    public Optional<ApiToken> get(long id) {
        return db.tx(c -> {
            Optional<ApiToken> t = Db.one(c, "SELECT * FROM api_token WHERE id = ?", rs -> map(rs, Set.of()), id);
            if (t.isEmpty()) {
                return t;
            }
            Set<String> f = facilities(c, id);
            return t.map(x -> new ApiToken(x.id(), x.name(), x.role(), x.tokenHash(), x.createdAt(), x.revokedAt(),
                    x.expiresAt(), x.lastUsedAt(), f));
        });
    }

    private static Set<String> facilities(Connection c, long id) throws SQLException {
        return new TreeSet<>(Db.list(c, "SELECT facility_id FROM api_token_facility WHERE token_id = ?",
                rs -> rs.getString(1), id));
    }

    @Override
    public boolean revoke(long id) {
        return db.tx(c -> Db.update(c, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                Instant.now(), id) > 0);
    }

    static ApiToken map(ResultSet rs, Set<String> facilities) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), ApiToken.Role.valueOf(rs.getString("role")),
                rs.getString("token_hash"), Db.instant(rs, "created_at"), Db.instant(rs, "revoked_at"),
                Db.instant(rs, "expires_at"), Db.instant(rs, "last_used_at"), facilities);
    }
}
