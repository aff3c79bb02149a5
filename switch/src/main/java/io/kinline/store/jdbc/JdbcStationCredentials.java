package io.kinline.store.jdbc;

import io.kinline.store.StationCredentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

final class JdbcStationCredentials implements StationCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    JdbcStationCredentials(Db db) {
        this.db = db;
        db.tx(c -> Db.list(c, "SELECT station_id, ha1 FROM station_credential",
                rs -> Map.entry(rs.getString(1), rs.getString(2)))).forEach(e -> cache.put(e.getKey(), e.getValue()));
    }

    @Override
    public Issued issue(String stationId, String realm) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        String ha1 = md5(stationId + ':' + realm + ':' + password);
        db.tx(c -> {
            Db.update(c, "DELETE FROM station_credential WHERE station_id = ?", stationId);
            return Db.update(c, "INSERT INTO station_credential (station_id, realm, ha1, created_at) VALUES (?,?,?,?)",
                    stationId, realm, ha1, Db.ts(Instant.now()));
        });
        return new Issued(stationId, realm, password);
    }

    @Override
    public boolean revoke(String stationId) {
        return db.tx(c -> Db.update(c, "DELETE FROM station_credential WHERE station_id = ?", stationId)) > 0;
    }

    @Override
    public Optional<String> ha1(String stationId) {
        return stationId == null ? Optional.empty() : Optional.ofNullable(cache.get(stationId));
    }

    @Override
    public boolean any() {
        return !cache.isEmpty();
    }

    @Override
    public void reload(String stationId) {
        Optional<String> row = db.tx(c -> Db.one(c, "SELECT ha1 FROM station_credential WHERE station_id = ?",
                rs -> rs.getString(1), stationId));
        row.ifPresentOrElse(h -> cache.put(stationId, h), () -> cache.remove(stationId));
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
