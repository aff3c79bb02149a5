package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;
import static io.kinline.store.jdbc.Db.ts;

import io.kinline.store.ApprovedNumber;
import io.kinline.store.ConflictException;
import io.kinline.store.Inmate;
import io.kinline.store.Inmates;
import io.kinline.store.NotFoundException;
import io.kinline.store.PinHasher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcInmates implements Inmates {

    /** Verified (pin_hash, pin_index) pairs kept in memory; see {@link #findByPin}. */
    static final int VERIFIED_CACHE_SIZE = 8192;

    private final Db db;
    private final PinHasher pins;
    /**
     * pin_hash -> the pin_index that was verified against it. LRU, bounded. A PIN change writes a new
     * salted hash, so an old entry can never match a row again and simply ages out.
     */
    private final java.util.Map<String, String> verified = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
                    return size() > VERIFIED_CACHE_SIZE;
                }
            });

    JdbcInmates(Db db, PinHasher pins) {
        this.db = db;
        this.pins = pins;
    }

    @Override
    public Inmate create(Inmate in, String pin) {
        // Hash outside the transaction: PBKDF2 is slow and must not hold a connection.
        String index = pins.index(in.facilityId(), pin);
        String hash = pins.hash(pin);
        return db.tx(c -> {
            if (Db.one(c, "SELECT id FROM inmate WHERE id = ?", rs -> rs.getString(1), in.id()).isPresent()) {
                throw new ConflictException("inmate " + in.id() + " exists");
            }
            checkPinFree(c, in.facilityId(), index, null);
            Db.update(c, "INSERT INTO inmate (id, facility_id, name, pin_index, pin_hash, language, status, status_until, "
                            + "housing_unit_id, name_prompt_path, pin_failures, pin_locked_until) "
                            + "VALUES (?,?,?,?,?,?,?,?,?,?,0,?)",
                    in.id(), in.facilityId(), in.name(), index, hash, in.language(), in.status(), ts(in.statusUntil()),
                    str(in.housingUnitId()), str(in.namePromptPath()), Db.Null.TIMESTAMP);
            return Db.one(c, "SELECT * FROM inmate WHERE id = ?", JdbcInmates::inmate, in.id()).orElseThrow();
        });
    }

    private static void checkPinFree(Connection c, String facilityId, String index, String exceptInmate)
            throws SQLException {
        Optional<String> owner = Db.one(c, "SELECT id FROM inmate WHERE facility_id = ? AND pin_index = ?",
                rs -> rs.getString(1), facilityId, index);
        if (owner.isPresent() && !owner.get().equals(exceptInmate)) {
            // Do not say whose PIN it is: the error may reach an operator's screen.
            throw new ConflictException("PIN already in use in facility " + facilityId);
        }
    }

    @Override
    public Optional<Inmate> get(String id) {
        return db.tx(c -> Db.one(c, "SELECT * FROM inmate WHERE id = ?", JdbcInmates::inmate, id));
    }

    @Override
    public List<Inmate> list(String facilityId) {
        return db.tx(c -> Db.list(c, "SELECT * FROM inmate WHERE facility_id = ? ORDER BY id", JdbcInmates::inmate,
                facilityId));
    }

    @Override
    public Inmate update(Inmate in) {
        return db.tx(c -> {
            int n = Db.update(c, "UPDATE inmate SET name = ?, language = ?, status = ?, status_until = ?, "
                            + "housing_unit_id = ?, name_prompt_path = ? WHERE id = ?",
                    in.name(), in.language(), in.status(), ts(in.statusUntil()), str(in.housingUnitId()),
                    str(in.namePromptPath()), in.id());
            if (n == 0) {
                throw new NotFoundException("no inmate " + in.id());
            }
            return Db.one(c, "SELECT * FROM inmate WHERE id = ?", JdbcInmates::inmate, in.id()).orElseThrow();
        });
    }

    @Override
    public void setPin(String inmateId, String pin) {
        String facility = get(inmateId).orElseThrow(() -> new NotFoundException("no inmate " + inmateId)).facilityId();
        String index = pins.index(facility, pin);
        String hash = pins.hash(pin);
        db.tx(c -> {
            checkPinFree(c, facility, index, inmateId);
            int n = Db.update(c, "UPDATE inmate SET pin_index = ?, pin_hash = ?, pin_failures = 0, pin_locked_until = NULL "
                    + "WHERE id = ?", index, hash, inmateId);
            if (n == 0) {
                throw new NotFoundException("no inmate " + inmateId);
            }
            return null;
        });
    }

    @Override
    public Optional<Inmate> findByPin(String facilityId, String pin) {
        String index;
        try {
            index = pins.index(facilityId, pin);
        } catch (IllegalArgumentException notDigits) {
            return Optional.empty();
        }
        Optional<Inmate> found = db.tx(c -> Db.one(c,
                "SELECT * FROM inmate WHERE facility_id = ? AND pin_index = ?", JdbcInmates::inmate, facilityId, index));
        // Defense in depth: the index matched, now the salted verifier must match too. PBKDF2 costs
        // tens of milliseconds of CPU (60,000 iterations) and every call enters a PIN: under load it
        // was the largest CPU consumer of call setup (tests/load, docs/PERFORMANCE.md). So a
        // (pin_hash, pin_index) pair that verified once is remembered: the next call with the same
        // PIN finds the same row by the same HMAC index and skips the stretch. The defense is kept:
        // a row whose pin_index or pin_hash was altered in the database forms a pair never verified,
        // and goes through PBKDF2 again.
        String idx = index;
        return found.filter(in -> idx.equals(verified.get(in.pinHash())) || verifyAndRemember(pin, in.pinHash(), idx));
    }

    /** Compared against when a number names nobody, so that path costs what a wrong PIN costs. */
    private static final String NOBODY_INDEX = "0".repeat(64);

    @Override
    public NumberAndPin findByNumber(String facilityId, String number, String pin) {
        String index;
        try {
            index = pins.index(facilityId, pin);
        } catch (IllegalArgumentException notDigits) {
            index = null;
        }
        Inmate in = null;
        String storedIndex = NOBODY_INDEX;
        if (number != null && !number.isEmpty() && number.length() <= 32 && Inmate.numberOf(number).equals(number)) {
            // '%1%0%0%1%' matches every id whose digits, in order, contain 1001 (a superset, narrowed by an
            // indexed facility filter); the exact rule is applied here, and a shared number names nobody.
            String like = "%" + String.join("%", number.split("")) + "%";
            // One query either way (the row comes whole): a second read for a known number would be a timing tell.
            List<java.util.Map.Entry<Inmate, String>> named = db.tx(c -> Db.list(c,
                    "SELECT * FROM inmate WHERE facility_id = ? AND id LIKE ?",
                    rs -> java.util.Map.entry(inmate(rs), rs.getString("pin_index")), facilityId, like)).stream()
                    .filter(r -> r.getKey().number().equals(number)).toList();
            if (named.size() == 1) {
                in = named.get(0).getKey();
                storedIndex = named.get(0).getValue();
            }
        }
        boolean indexMatches = java.security.MessageDigest.isEqual(
                (index == null ? NOBODY_INDEX : index).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                storedIndex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (in == null || index == null || !indexMatches) {
            return new NumberAndPin(in, false);
        }
        // As findByPin: the index matched, the salted verifier must too (remembered once verified).
        boolean ok = index.equals(verified.get(in.pinHash())) || verifyAndRemember(pin, in.pinHash(), index);
        return new NumberAndPin(in, ok);
    }

    @Override
    public java.util.SortedMap<String, List<String>> numberCollisions(String facilityId) {
        java.util.SortedMap<String, List<String>> byNumber = new java.util.TreeMap<>();
        for (String id : db.tx(c -> Db.list(c, "SELECT id FROM inmate WHERE facility_id = ? ORDER BY id",
                rs -> rs.getString(1), facilityId))) {
            byNumber.computeIfAbsent(Inmate.numberOf(id), k -> new java.util.ArrayList<>()).add(id);
        }
        byNumber.entrySet().removeIf(e -> !e.getKey().isEmpty() && e.getValue().size() < 2);
        return byNumber;
    }

    private boolean verifyAndRemember(String pin, String pinHash, String index) {
        if (!PinHasher.verify(pin, pinHash)) {
            return false;
        }
        verified.put(pinHash, index);
        return true;
    }

    @Override
    public Inmate recordPinFailure(String inmateId, int maxAttempts, Duration lockFor, Instant now) {
        return db.tx(c -> {
            Inmate in = Db.one(c, "SELECT * FROM inmate WHERE id = ? FOR UPDATE", JdbcInmates::inmate, inmateId)
                    .orElseThrow(() -> new NotFoundException("no inmate " + inmateId));
            int failures = in.pinFailures() + 1;
            Instant lockedUntil = in.pinLockedUntil();
            if (failures >= maxAttempts) {
                lockedUntil = now.plus(lockFor);
                failures = 0;
            }
            Db.update(c, "UPDATE inmate SET pin_failures = ?, pin_locked_until = ? WHERE id = ?",
                    failures, ts(lockedUntil), inmateId);
            return Db.one(c, "SELECT * FROM inmate WHERE id = ?", JdbcInmates::inmate, inmateId).orElseThrow();
        });
    }

    @Override
    public void resetPinFailures(String inmateId) {
        db.tx(c -> Db.update(c, "UPDATE inmate SET pin_failures = 0, pin_locked_until = NULL WHERE id = ?", inmateId));
    }

    static Inmate inmate(ResultSet rs) throws SQLException {
        return new Inmate(rs.getString("id"), rs.getString("facility_id"), rs.getString("name"),
                rs.getString("pin_hash"), rs.getString("language"), Inmate.Status.valueOf(rs.getString("status")),
                Db.instant(rs, "status_until"), rs.getString("housing_unit_id"), rs.getString("name_prompt_path"),
                rs.getInt("pin_failures"), Db.instant(rs, "pin_locked_until"));
    }

    // --- approved numbers ---

    @Override
    public void addApproved(ApprovedNumber a) {
        db.tx(c -> {
            int n = Db.update(c, "UPDATE approved_number SET label = ? WHERE inmate_id = ? AND number = ?",
                    str(a.label()), a.inmateId(), a.number());
            if (n == 0) {
                Db.update(c, "INSERT INTO approved_number (inmate_id, number, label) VALUES (?,?,?)",
                        a.inmateId(), a.number(), str(a.label()));
            }
            return null;
        });
    }

    @Override
    public boolean removeApproved(String inmateId, String number) {
        return db.tx(c -> Db.update(c, "DELETE FROM approved_number WHERE inmate_id = ? AND number = ?",
                inmateId, number) > 0);
    }

    @Override
    public List<ApprovedNumber> approved(String inmateId) {
        return db.tx(c -> Db.list(c, "SELECT * FROM approved_number WHERE inmate_id = ? ORDER BY number",
                rs -> new ApprovedNumber(rs.getString("inmate_id"), rs.getString("number"), rs.getString("label")),
                inmateId));
    }

    @Override
    public boolean isApproved(String inmateId, String number) {
        return db.tx(c -> Db.one(c, "SELECT 1 FROM approved_number WHERE inmate_id = ? AND number = ?",
                rs -> Boolean.TRUE, inmateId, number).isPresent());
    }
}
