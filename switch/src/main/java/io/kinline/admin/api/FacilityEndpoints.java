package io.kinline.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.CallType;
import io.kinline.store.Facility;
import io.kinline.store.HousingUnit;
import io.kinline.store.PhoneHours;
import io.kinline.store.RateTable;
import io.kinline.store.Store;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Facilities and their housing units. */
final class FacilityEndpoints {

    /** A sane ceiling for a per-minute rate; regulators cap far below this. */
    static final BigDecimal MAX_RATE = new BigDecimal("5.0000");

    private final Store store;
    private final Audit audit;

    FacilityEndpoints(Store store, Audit audit) {
        this.store = store;
        this.audit = audit;
    }

    void register(Router r) {
        r.add("GET", "/api/facilities", Roles.ALL, this::list);
        r.add("POST", "/api/facilities", Roles.ADMIN, this::create);
        r.add("GET", "/api/facilities/{id}", Roles.ALL, this::get);
        r.add("PATCH", "/api/facilities/{id}", Roles.ADMIN, this::patch);
        r.add("GET", "/api/facilities/{id}/housing-units", Roles.ALL, this::listUnits);
        r.add("POST", "/api/facilities/{id}/housing-units", Roles.ADMIN, this::createUnit);
        r.add("GET", "/api/facilities/{id}/housing-units/{unit}", Roles.ALL, this::getUnit);
        r.add("PATCH", "/api/facilities/{id}/housing-units/{unit}", Roles.ADMIN, this::patchUnit);
        r.add("GET", "/api/facilities/{id}/stations", Roles.STAFF, this::listStations);
    }

    /** The facility, if it exists and the caller's token sees it; else 404. */
    Facility require(ApiRequest req, String id) {
        Scope.check(req, id, () -> ApiException.notFound("no facility " + id));
        return store.facilities().get(id).orElseThrow(() -> ApiException.notFound("no facility " + id));
    }

    private ApiResponse list(ApiRequest req) {
        List<Map<String, Object>> out = new ArrayList<>();
        store.facilities().list().stream().filter(f -> req.principal().sees(f.id()))
                .forEach(f -> out.add(Views.facility(f)));
        return ApiResponse.ok(Map.of("facilities", out));
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(Views.facility(require(req, req.pathParam("id"))));
    }

    private ApiResponse create(ApiRequest req) {
        Scope.requireUnscoped(req, "create facilities");
        JsonBody b = req.json();
        String id = Inputs.id("id", b.requiredText("id"));
        Facility.Builder fb = Facility.builder(id).name(b.requiredText("name"))
                .timezone(Inputs.timezone("timezone", b.requiredText("timezone")));
        apply(b, fb, null);
        b.finish();
        Facility f = build(fb);
        Facility saved = Tx.run(store, () -> {
            Facility s = StoreErrors.call("id", "facility " + id + " already exists",
                    () -> store.facilities().create(f));
            audit.record(req.principal(), "facility.create", "facility:" + id, Views.facility(s));
            return s;
        });
        return ApiResponse.created(Views.facility(saved), "/api/facilities/" + id);
    }

    private ApiResponse patch(ApiRequest req) {
        String id = req.pathParam("id");
        JsonBody b = req.json();
        Facility saved = Tx.run(store, () -> {
            Facility current = require(req, id);
            Facility.Builder fb = current.toBuilder();
            b.optionalText("name").ifPresent(fb::name);
            b.optionalText("timezone").ifPresent(tz -> fb.timezone(Inputs.timezone("timezone", tz)));
            apply(b, fb, current);
            b.finish();
            Facility f = build(fb);
            if (f.pinLength() != current.pinLength() && !store.inmates().list(id).isEmpty()) {
                throw ApiException.conflict("pinLength",
                        "pinLength cannot change while the facility has inmates (their PINs would not fit)");
            }
            if (f.identification() == Facility.Identification.ID_PIN
                    && current.identification() != Facility.Identification.ID_PIN) {
                requireDistinctNumbers(id);
            }
            Facility s = StoreErrors.call("id", "facility changed concurrently", () -> store.facilities().update(f));
            audit.record(req.principal(), "facility.update", "facility:" + id, changes(b, s));
            return s;
        });
        return ApiResponse.ok(Views.facility(saved));
    }

    /**
     * id_pin needs every inmate of the facility to have a number of their own (the digits of the id): refused
     * with 409 naming the clashes otherwise, since a shared number would lock those inmates out of calling.
     * A new facility has no inmates, so only a PATCH asks.
     */
    private void requireDistinctNumbers(String facilityId) {
        var clashes = store.inmates().numberCollisions(facilityId);
        if (clashes.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>();
        clashes.forEach((number, ids) -> {
            if (shown.size() < 10) {
                shown.add((number.isEmpty() ? "no digits" : number) + ": " + String.join(", ", ids));
            }
        });
        throw ApiException.conflict("identification", "id_pin needs a distinct inmate number (the digits of the "
                + "inmate id) for every inmate; " + clashes.size() + " shared: " + String.join("; ", shown)
                + (clashes.size() > shown.size() ? "; ..." : ""));
    }

    /** The fields a PATCH named, with their new values, for the audit line. */
    private static Map<String, Object> changes(JsonBody b, Facility s) {
        Map<String, Object> all = Views.facility(s);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : all.keySet()) {
            if (b.has(k)) {
                out.put(k, all.get(k));
            }
        }
        return out;
    }

    private static Facility build(Facility.Builder fb) {
        try {
            return fb.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(null, e.getMessage());
        } catch (NullPointerException e) {
            // A required value is missing; the JVM's own message would name classes, not fields.
            throw ApiException.validation(null, "a required field is missing");
        }
    }

    /** Fields shared by POST and PATCH (everything except id, name, timezone). */
    private void apply(JsonBody b, Facility.Builder fb, Facility current) {
        b.optionalBoolean("languageMenu").ifPresent(fb::languageMenu);
        b.optionalText("defaultLanguage").ifPresent(l -> fb.defaultLanguage(Inputs.language("defaultLanguage", l)));
        b.optionalObject("phoneHours").ifPresent(o -> fb.phoneHours(hours(o)));
        if (b.isNull("phoneHours")) {
            fb.phoneHours(PhoneHours.ALWAYS);
        }
        b.optionalInt("maxCallMinutes", 1, 240).ifPresent(fb::maxCallMinutes);
        b.optionalInt("callsPerDay", 0, 1000).ifPresent(fb::callsPerDay);
        if (b.isNull("monthlyMinutes")) {
            fb.monthlyMinutes(null);
        } else {
            b.optionalInt("monthlyMinutes", 0, 100_000).ifPresent(fb::monthlyMinutes);
        }
        b.optionalInt("cooldownSeconds", 0, 86_400).ifPresent(fb::cooldownSeconds);
        b.optionalInt("reminderMinutes", 0, 120).ifPresent(fb::reminderMinutes);
        b.optionalInt("warningSeconds", 0, 600).ifPresent(fb::warningSeconds);
        b.optionalInt("pinLength", 4, 12).ifPresent(fb::pinLength);
        b.optionalInt("pinMaxAttempts", 1, 20).ifPresent(fb::pinMaxAttempts);
        b.optionalInt("pinLockMinutes", 0, 1440).ifPresent(fb::pinLockMinutes);
        b.optionalBoolean("approvedListRequired").ifPresent(fb::approvedListRequired);
        b.optionalBoolean("allowInternational").ifPresent(fb::allowInternational);
        b.optionalInt("answerTimeoutSeconds", 5, 180).ifPresent(fb::answerTimeoutSeconds);
        b.optionalInt("consentRepeats", 1, 5).ifPresent(fb::consentRepeats);
        b.optionalBoolean("consentDuringNotice").ifPresent(fb::consentDuringNotice);
        b.optionalInt("billingRoundingSeconds", 1, 60).ifPresent(fb::billingRoundingSeconds);
        b.optionalText("threeWay").ifPresent(v -> fb.threeWay(Facility.ThreeWay.valueOf(
                Inputs.oneOf("threeWay", v, "flag", "warn", "disconnect").toUpperCase(Locale.ROOT))));
        b.optionalText("identification").ifPresent(v -> fb.identification(Facility.Identification.valueOf(
                Inputs.oneOf("identification", v, "pin", "id_pin").toUpperCase(Locale.ROOT))));
        b.optionalText("namePrompt").ifPresent(v -> fb.namePrompt(Inputs.promptName("namePrompt", v)));
        if (b.isNull("namePrompt")) {
            fb.namePrompt(null);
        }
        b.optionalText("state").ifPresent(s -> {
            if (!s.matches("[A-Za-z]{2}")) {
                throw ApiException.validation("state", "state must be a two-letter code such as \"MO\"");
            }
            fb.state(s.toUpperCase(Locale.ROOT));
        });
        npas(b, "localNpas", 200).ifPresent(fb::localNpas);
        npas(b, "stateNpas", 400).ifPresent(fb::stateNpas);
        RateTable rates = current == null ? RateTable.flat(new BigDecimal("0.06")) : current.rates();
        boolean ratesChanged = false;
        Optional<BigDecimal> def = b.optionalAmount("ratePerMinute", BigDecimal.ZERO, MAX_RATE, 4);
        if (def.isPresent()) {
            rates = new RateTable(def.get(), rates.rates());
            ratesChanged = true;
        }
        Optional<JsonBody> perType = b.optionalObject("rates");
        if (perType.isPresent()) {
            JsonBody o = perType.get();
            for (CallType t : CallType.values()) {
                String key = Views.wire(t);
                if (o.isNull(key)) {
                    rates = rates.with(t, null);
                } else {
                    Optional<BigDecimal> v = o.optionalAmount(key, BigDecimal.ZERO, MAX_RATE, 4);
                    if (v.isPresent()) {
                        rates = rates.with(t, v.get());
                    }
                }
            }
            o.finish();
            ratesChanged = true;
        }
        if (ratesChanged || current == null) {
            fb.rates(rates);
        }
    }

    /** An array of distinct NPAs (the store keeps them comma-separated in a bounded column). */
    private static Optional<List<String>> npas(JsonBody b, String field, int max) {
        Optional<JsonNode> n = b.optionalNode(field);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (!n.get().isArray()) {
            throw ApiException.validation(field, field + " must be an array of 3-digit area codes");
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode e : n.get()) {
            if (!e.isTextual() || !e.textValue().matches("[2-9][0-9]{2}")) {
                throw ApiException.validation(field, field + " must be an array of 3-digit area codes");
            }
            out.add(e.textValue());
        }
        if (out.size() > max) {
            throw ApiException.validation(field, field + " may hold at most " + max + " area codes");
        }
        return Optional.of(List.copyOf(out));
    }

    static PhoneHours hours(JsonBody o) {
        int[] m = Inputs.phoneHours(o);
        LocalTime s = LocalTime.of(m[0] / 60, m[0] % 60);
        LocalTime e = m[1] == 1440 ? LocalTime.MIDNIGHT : LocalTime.of(m[1] / 60, m[1] % 60);
        if (m[1] == 0) {
            // "00:00" as an end is the same instant as "24:00"
            e = LocalTime.MIDNIGHT;
        }
        try {
            return new PhoneHours(s, e);
        } catch (IllegalArgumentException ex) {
            throw o.invalid("end", "does not form a valid window with start");
        }
    }

    // ---- housing units ----

    private ApiResponse listUnits(ApiRequest req) {
        String id = req.pathParam("id");
        require(req, id);
        List<Map<String, Object>> out = new ArrayList<>();
        store.facilities().units(id).forEach(u -> out.add(Views.unit(u)));
        return ApiResponse.ok(Map.of("housingUnits", out));
    }

    private HousingUnit requireUnit(String facilityId, String unitId) {
        return store.facilities().unit(unitId).filter(u -> u.facilityId().equals(facilityId))
                .orElseThrow(() -> ApiException.notFound("no housing unit " + unitId + " in facility " + facilityId));
    }

    private ApiResponse getUnit(ApiRequest req) {
        String id = req.pathParam("id");
        require(req, id);
        return ApiResponse.ok(Views.unit(requireUnit(id, req.pathParam("unit"))));
    }

    private ApiResponse createUnit(ApiRequest req) {
        String facilityId = req.pathParam("id");
        JsonBody b = req.json();
        String unitId = Inputs.id("id", b.requiredText("id"));
        String name = b.requiredText("name");
        PhoneHours hours = b.optionalObject("phoneHours").map(FacilityEndpoints::hours).orElse(null);
        boolean seg = b.optionalBoolean("segregation").orElse(false);
        PhoneHours segHours = b.optionalObject("segregationHours").map(FacilityEndpoints::hours).orElse(null);
        Integer segCalls = b.optionalInt("segregationCallsPerDay", 0, 1000).orElse(null);
        b.finish();
        HousingUnit u = new HousingUnit(unitId, facilityId, name, hours, seg, segHours, segCalls);
        HousingUnit saved = Tx.run(store, () -> {
            require(req, facilityId);
            if (store.facilities().unit(unitId).isPresent()) {
                throw ApiException.conflict("id", "housing unit " + unitId + " already exists");
            }
            HousingUnit s = StoreErrors.call("id", "housing unit " + unitId + " already exists",
                    () -> store.facilities().createUnit(u));
            audit.record(req.principal(), "housing-unit.create", "housing-unit:" + unitId, Views.unit(s));
            return s;
        });
        return ApiResponse.created(Views.unit(saved), "/api/facilities/" + facilityId + "/housing-units/" + unitId);
    }

    private ApiResponse patchUnit(ApiRequest req) {
        String facilityId = req.pathParam("id");
        String unitId = req.pathParam("unit");
        JsonBody b = req.json();
        HousingUnit saved = Tx.run(store, () -> {
            require(req, facilityId);
            HousingUnit cur = requireUnit(facilityId, unitId);
            String name = b.optionalText("name").orElse(cur.name());
            PhoneHours hours = b.isNull("phoneHours") ? null
                    : b.optionalObject("phoneHours").map(FacilityEndpoints::hours).orElse(cur.phoneHours());
            boolean seg = b.optionalBoolean("segregation").orElse(cur.segregation());
            PhoneHours segHours = b.isNull("segregationHours") ? null
                    : b.optionalObject("segregationHours").map(FacilityEndpoints::hours).orElse(cur.segregationHours());
            Integer segCalls = b.isNull("segregationCallsPerDay") ? null
                    : b.optionalInt("segregationCallsPerDay", 0, 1000).orElse(cur.segregationCallsPerDay());
            b.finish();
            HousingUnit s = StoreErrors.call("id", "conflict", () -> store.facilities()
                    .updateUnit(new HousingUnit(unitId, facilityId, name, hours, seg, segHours, segCalls)));
            audit.record(req.principal(), "housing-unit.update", "housing-unit:" + unitId, Views.unit(s));
            return s;
        });
        return ApiResponse.ok(Views.unit(saved));
    }

    private ApiResponse listStations(ApiRequest req) {
        String id = req.pathParam("id");
        require(req, id);
        List<Map<String, Object>> out = new ArrayList<>();
        store.facilities().stations(id).forEach(s -> out.add(Views.station(s)));
        return ApiResponse.ok(Map.of("stations", out));
    }
}
