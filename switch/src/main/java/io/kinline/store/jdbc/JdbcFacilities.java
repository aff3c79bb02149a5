package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.dec;
import static io.kinline.store.jdbc.Db.num;
import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.CallType;
import io.kinline.store.Facilities;
import io.kinline.store.Facility;
import io.kinline.store.HousingUnit;
import io.kinline.store.NotFoundException;
import io.kinline.store.PhoneHours;
import io.kinline.store.RateTable;
import io.kinline.store.Station;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcFacilities implements Facilities {

    private static final String COLS = "name, name_prompt, timezone, language_menu, default_language, "
            + "allow_international, hours_start, hours_end, max_call_minutes, calls_per_day, monthly_minutes, "
            + "cooldown_seconds, reminder_minutes, warning_seconds, pin_length, pin_max_attempts, "
            + "pin_lock_minutes, approved_list_required, rate_default, rate_local, rate_in_state, "
            + "rate_interstate, rate_international, answer_timeout_seconds, consent_repeats, "
            + "billing_rounding_seconds, state, local_npas, state_npas, consent_during_notice, three_way, identification";

    private final Db db;

    JdbcFacilities(Db db) {
        this.db = db;
    }

    private static Object[] values(Facility f) {
        RateTable r = f.rates();
        Map<CallType, BigDecimal> m = r.rates();
        return new Object[] {
            f.name(), str(f.namePrompt()), f.timezone().getId(), f.languageMenu(), f.defaultLanguage(),
            f.allowInternational(), f.phoneHours().startText(), f.phoneHours().endText(), f.maxCallMinutes(),
            f.callsPerDay(), num(f.monthlyMinutes()), f.cooldownSeconds(), f.reminderMinutes(), f.warningSeconds(),
            f.pinLength(), f.pinMaxAttempts(), f.pinLockMinutes(), f.approvedListRequired(), r.defaultRate(),
            dec(m.get(CallType.LOCAL)), dec(m.get(CallType.IN_STATE)), dec(m.get(CallType.INTERSTATE)),
            dec(m.get(CallType.INTERNATIONAL)), f.answerTimeoutSeconds(), f.consentRepeats(),
            f.billingRoundingSeconds(), str(f.state()), String.join(",", f.localNpas()),
            String.join(",", f.stateNpas()), f.consentDuringNotice(), f.threeWay().name(),
            f.identification().name()
        };
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public Facility create(Facility f) {
        return db.tx(c -> {
            Object[] args = concat(new Object[] {f.id()}, values(f));
            Db.update(c, "INSERT INTO facility (id, " + COLS + ") VALUES (" + "?,".repeat(args.length - 1) + "?)", args);
            return f;
        });
    }

    @Override
    public Optional<Facility> get(String id) {
        return db.tx(c -> Db.one(c, "SELECT * FROM facility WHERE id = ?", JdbcFacilities::facility, id));
    }

    @Override
    public List<Facility> list() {
        return db.tx(c -> Db.list(c, "SELECT * FROM facility ORDER BY id", JdbcFacilities::facility));
    }

    @Override
    public Facility update(Facility f) {
        return db.tx(c -> {
            String set = String.join(" = ?, ", COLS.split(",\\s*")) + " = ?";
            int n = Db.update(c, "UPDATE facility SET " + set + " WHERE id = ?", concat(values(f), f.id()));
            if (n == 0) {
                throw new NotFoundException("no facility " + f.id());
            }
            return f;
        });
    }

    static Facility facility(ResultSet rs) throws SQLException {
        Map<CallType, BigDecimal> m = new EnumMap<>(CallType.class);
        putRate(m, CallType.LOCAL, Db.rate(rs, "rate_local"));
        putRate(m, CallType.IN_STATE, Db.rate(rs, "rate_in_state"));
        putRate(m, CallType.INTERSTATE, Db.rate(rs, "rate_interstate"));
        putRate(m, CallType.INTERNATIONAL, Db.rate(rs, "rate_international"));
        return new Facility(
                rs.getString("id"), rs.getString("name"), rs.getString("name_prompt"),
                ZoneId.of(rs.getString("timezone")), rs.getBoolean("language_menu"),
                rs.getString("default_language"), rs.getBoolean("allow_international"),
                hours(rs.getString("hours_start"), rs.getString("hours_end")),
                rs.getInt("max_call_minutes"), rs.getInt("calls_per_day"), Db.intOrNull(rs, "monthly_minutes"),
                rs.getInt("cooldown_seconds"), rs.getInt("reminder_minutes"), rs.getInt("warning_seconds"),
                rs.getInt("pin_length"), rs.getInt("pin_max_attempts"), rs.getInt("pin_lock_minutes"),
                rs.getBoolean("approved_list_required"), new RateTable(Db.rate(rs, "rate_default"), m),
                rs.getInt("answer_timeout_seconds"), rs.getInt("consent_repeats"),
                rs.getInt("billing_rounding_seconds"), rs.getString("state"),
                csv(rs.getString("local_npas")), csv(rs.getString("state_npas")),
                rs.getBoolean("consent_during_notice"), threeWay(rs.getString("three_way")),
                identification(rs.getString("identification")));
    }

    /**
     * Stored by name. A name this version does not know reads as ID_PIN, the stricter: read as PIN it would
     * let a PIN alone name an inmate at a facility that asked for more.
     */
    private static Facility.Identification identification(String name) {
        try {
            return name == null ? Facility.Identification.PIN : Facility.Identification.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Facility.Identification.ID_PIN;
        }
    }

    /** Stored by name; a name this version does not know reads as the default rather than failing the call. */
    private static Facility.ThreeWay threeWay(String name) {
        try {
            return name == null ? Facility.ThreeWay.FLAG : Facility.ThreeWay.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Facility.ThreeWay.FLAG;
        }
    }

    private static void putRate(Map<CallType, BigDecimal> m, CallType t, BigDecimal v) {
        if (v != null) {
            m.put(t, v);
        }
    }

    static List<String> csv(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    static PhoneHours hours(String start, String end) {
        if (start == null || end == null) {
            return null;
        }
        return new PhoneHours(PhoneHours.parseTime(start, false), PhoneHours.parseTime(end, true));
    }

    // --- housing units ---

    @Override
    public HousingUnit createUnit(HousingUnit u) {
        return db.tx(c -> {
            Db.update(c, "INSERT INTO housing_unit (id, facility_id, name, hours_start, hours_end, segregation, "
                            + "seg_hours_start, seg_hours_end, seg_calls_per_day) VALUES (?,?,?,?,?,?,?,?,?)",
                    u.id(), u.facilityId(), u.name(), start(u.phoneHours()), end(u.phoneHours()), u.segregation(),
                    start(u.segregationHours()), end(u.segregationHours()), num(u.segregationCallsPerDay()));
            return u;
        });
    }

    private static Object start(PhoneHours h) {
        return h == null ? Db.Null.VARCHAR : h.startText();
    }

    private static Object end(PhoneHours h) {
        return h == null ? Db.Null.VARCHAR : h.endText();
    }

    @Override
    public Optional<HousingUnit> unit(String unitId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM housing_unit WHERE id = ?", JdbcFacilities::unit, unitId));
    }

    @Override
    public List<HousingUnit> units(String facilityId) {
        return db.tx(c -> Db.list(c, "SELECT * FROM housing_unit WHERE facility_id = ? ORDER BY id",
                JdbcFacilities::unit, facilityId));
    }

    @Override
    public HousingUnit updateUnit(HousingUnit u) {
        return db.tx(c -> {
            int n = Db.update(c, "UPDATE housing_unit SET name = ?, hours_start = ?, hours_end = ?, segregation = ?, "
                            + "seg_hours_start = ?, seg_hours_end = ?, seg_calls_per_day = ? WHERE id = ? AND facility_id = ?",
                    u.name(), start(u.phoneHours()), end(u.phoneHours()), u.segregation(),
                    start(u.segregationHours()), end(u.segregationHours()), num(u.segregationCallsPerDay()),
                    u.id(), u.facilityId());
            if (n == 0) {
                throw new NotFoundException("no housing unit " + u.id() + " in " + u.facilityId());
            }
            return u;
        });
    }

    static HousingUnit unit(ResultSet rs) throws SQLException {
        return new HousingUnit(rs.getString("id"), rs.getString("facility_id"), rs.getString("name"),
                hours(rs.getString("hours_start"), rs.getString("hours_end")), rs.getBoolean("segregation"),
                hours(rs.getString("seg_hours_start"), rs.getString("seg_hours_end")),
                Db.intOrNull(rs, "seg_calls_per_day"));
    }

    // --- stations ---

    @Override
    public Station createStation(Station s) {
        return db.tx(c -> {
            Db.update(c, "INSERT INTO station (id, facility_id, kind, housing_unit_id) VALUES (?,?,?,?)",
                    s.id(), s.facilityId(), s.kind(), str(s.housingUnitId()));
            return s;
        });
    }

    @Override
    public Optional<Station> station(String stationId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM station WHERE id = ?", JdbcFacilities::station, stationId));
    }

    @Override
    public List<Station> stations(String facilityId) {
        return db.tx(c -> Db.list(c, "SELECT * FROM station WHERE facility_id = ? ORDER BY id",
                JdbcFacilities::station, facilityId));
    }

    @Override
    public Station updateStation(Station s) {
        return db.tx(c -> {
            int n = Db.update(c, "UPDATE station SET facility_id = ?, kind = ?, housing_unit_id = ? WHERE id = ?",
                    s.facilityId(), s.kind(), str(s.housingUnitId()), s.id());
            if (n == 0) {
                throw new NotFoundException("no station " + s.id());
            }
            return s;
        });
    }

    @Override
    public boolean deleteStation(String stationId) {
        return db.tx(c -> Db.update(c, "DELETE FROM station WHERE id = ?", stationId) > 0);
    }

    static Station station(ResultSet rs) throws SQLException {
        return new Station(rs.getString("id"), rs.getString("facility_id"),
                Station.Kind.valueOf(rs.getString("kind")), rs.getString("housing_unit_id"));
    }
}
