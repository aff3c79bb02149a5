package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.ApprovedNumber;
import io.kinline.store.Facility;
import io.kinline.store.Inmate;
import io.kinline.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Inmates, PINs and approved-number lists. */
final class InmateEndpoints {

    /** Lists are 15–30 numbers in practice; the cap keeps a runaway script from filling the table. */
    static final int MAX_APPROVED = 100;

    private final Store store;
    private final Audit audit;
    private final Clock clock;

    InmateEndpoints(Store store, Audit audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    void register(Router r) {
        r.add("GET", "/api/inmates", Roles.ALL, this::list);
        r.add("POST", "/api/inmates", Roles.ADMIN, this::create);
        r.add("GET", "/api/inmates/{id}", Roles.ALL, this::get);
        r.add("PATCH", "/api/inmates/{id}", Roles.ADMIN, this::patch);
        r.add("GET", "/api/inmates/{id}/approved-numbers", Roles.ALL, this::listApproved);
        r.add("POST", "/api/inmates/{id}/approved-numbers", Roles.ADMIN, this::addApproved);
        r.add("DELETE", "/api/inmates/{id}/approved-numbers", Roles.ADMIN,
                req -> {
                    JsonBody b = req.json();
                    String number = NumberInput.e164("number", b.requiredText("number"));
                    b.finish();
                    return removeApproved(req, number);
                });
        r.add("DELETE", "/api/inmates/{id}/approved-numbers/{number}", Roles.ADMIN,
                req -> removeApproved(req, NumberInput.e164("number", req.pathParam("number"))));
    }

    /** The inmate, if it exists in a facility the caller's token sees; else 404. */
    Inmate require(ApiRequest req, String id) {
        Inmate i = store.inmates().get(id).orElseThrow(() -> ApiException.notFound("no inmate " + id));
        Scope.check(req, i.facilityId(), () -> ApiException.notFound("no inmate " + id));
        return i;
    }

    private ApiResponse list(ApiRequest req) {
        String facility = req.query("facility")
                .orElseThrow(() -> ApiException.validation("facility", "query parameter facility is required"));
        if (!req.principal().sees(facility) || store.facilities().get(facility).isEmpty()) {
            throw ApiException.unknownReference("facility", "no facility " + facility);
        }
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        store.inmates().list(facility).forEach(i -> out.add(Views.inmate(i, now)));
        return ApiResponse.ok(Views.obj("facility", facility, "inmates", out));
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(Views.inmate(require(req, req.pathParam("id")), clock.instant()));
    }

    private ApiResponse create(ApiRequest req) {
        JsonBody b = req.json();
        String id = Inputs.id("id", b.requiredText("id"));
        String name = b.requiredText("name");
        String facilityId = b.requiredText("facility");
        String unit = b.optionalText("housingUnit").orElse(null);
        String pin = b.requiredText("pin");
        Optional<String> language = b.optionalText("language").map(l -> Inputs.language("language", l));
        b.finish();
        Inmate saved = Tx.run(store, () -> {
            Facility f = store.facilities().get(facilityId).filter(x -> req.principal().sees(x.id()))
                    .orElseThrow(() -> ApiException.unknownReference("facility", "no facility " + facilityId));
            Inputs.pin("pin", pin, f.pinLength());
            checkUnit(unit, f);
            if (store.inmates().get(id).isPresent()) {
                throw ApiException.conflict("id", "inmate " + id + " already exists");
            }
            if (f.identification() == Facility.Identification.ID_PIN) {
                requireOwnNumber(id, f);
            }
            Inmate i = Inmate.of(id, f.id(), name, language.orElse(f.defaultLanguage()), unit);
            Inmate s = StoreErrors.call("pin", "this PIN is already in use in facility " + f.id(),
                    () -> store.inmates().create(i, pin));
            Map<String, Object> details = Views.inmate(s, clock.instant());
            audit.record(req.principal(), "inmate.create", "inmate:" + id, details);
            return s;
        });
        return ApiResponse.created(Views.inmate(saved, clock.instant()), "/api/inmates/" + id);
    }

    /** id_pin: the new inmate's number (the digits of the id) must name them alone, or they could not call. */
    private void requireOwnNumber(String id, Facility f) {
        String number = Inmate.numberOf(id);
        if (number.isEmpty()) {
            throw ApiException.validation("id", "facility " + f.id() + " identifies callers by inmate number "
                    + "(the digits of the id): an id needs digits");
        }
        List<String> same = store.inmates().list(f.id()).stream().map(Inmate::id)
                .filter(other -> Inmate.numberOf(other).equals(number)).toList();
        if (!same.isEmpty()) {
            throw ApiException.conflict("id", "facility " + f.id() + " identifies callers by inmate number; "
                    + number + " is already " + same.get(0) + "'s");
        }
    }

    private void checkUnit(String unit, Facility f) {
        if (unit != null && store.facilities().unit(unit).filter(u -> u.facilityId().equals(f.id())).isEmpty()) {
            throw ApiException.unknownReference("housingUnit", "no housing unit " + unit + " in facility " + f.id());
        }
    }

    private ApiResponse patch(ApiRequest req) {
        String id = req.pathParam("id");
        JsonBody b = req.json();
        Optional<String> name = b.optionalText("name");
        Optional<String> language = b.optionalText("language").map(l -> Inputs.language("language", l));
        Optional<Inmate.Status> status = b.optionalText("status").map(s -> Inmate.Status.valueOf(
                Inputs.oneOf("status", s, "active", "restricted", "segregation").toUpperCase(Locale.ROOT)));
        boolean untilGiven = b.has("until");
        Instant until = b.optionalText("until").map(u -> Inputs.instant("until", u)).orElse(null);
        boolean unitGiven = b.has("housingUnit");
        String unit = b.optionalText("housingUnit").orElse(null);
        Optional<String> pin = b.optionalText("pin");
        boolean unlock = b.optionalBoolean("unlock").orElse(false);
        b.finish();
        if (untilGiven && until != null && status.orElse(null) == Inmate.Status.ACTIVE) {
            throw ApiException.validation("until", "until applies only to status restricted or segregation");
        }
        if (until != null && !until.isAfter(clock.instant())) {
            throw ApiException.validation("until", "until must be in the future");
        }
        Inmate saved = Tx.run(store, () -> {
            Inmate cur = require(req, id);
            Facility f = store.facilities().get(cur.facilityId())
                    .orElseThrow(() -> new IllegalStateException("inmate without facility: " + id));
            Map<String, Object> changes = new LinkedHashMap<>();
            Inmate next = cur;
            if (name.isPresent()) {
                next = next.withName(name.get());
                changes.put("name", name.get());
            }
            if (language.isPresent()) {
                next = next.withLanguage(language.get());
                changes.put("language", language.get());
            }
            if (status.isPresent() || untilGiven) {
                Inmate.Status st = status.orElse(next.status());
                Instant u = st == Inmate.Status.ACTIVE ? null : (untilGiven ? until : next.statusUntil());
                if (status.isEmpty() && st == Inmate.Status.ACTIVE && until != null) {
                    throw ApiException.validation("until", "until applies only to status restricted or segregation");
                }
                next = next.withStatus(st, u);
                changes.put("status", Views.wire(st));
                changes.put("until", u);
            }
            if (unitGiven) {
                checkUnit(unit, f);
                next = next.withHousingUnit(unit);
                changes.put("housingUnit", unit);
            }
            if (next != cur) {
                Inmate n = next;
                StoreErrors.call("id", "conflict", () -> store.inmates().update(n));
            }
            if (pin.isPresent()) {
                Inputs.pin("pin", pin.get(), f.pinLength());
                StoreErrors.call("pin", "this PIN is already in use in facility " + f.id(), () -> {
                    store.inmates().setPin(id, pin.get());
                    return null;
                });
                changes.put("pin", "reset"); // never the PIN itself
            } else if (unlock) {
                store.inmates().resetPinFailures(id);
                changes.put("unlock", true);
            }
            if (!changes.isEmpty()) {
                audit.record(req.principal(), "inmate.update", "inmate:" + id, changes);
            }
            return require(req, id);
        });
        return ApiResponse.ok(Views.inmate(saved, clock.instant()));
    }

    // ---- approved numbers ----

    private ApiResponse listApproved(ApiRequest req) {
        String id = req.pathParam("id");
        require(req, id);
        List<Map<String, Object>> out = new ArrayList<>();
        store.inmates().approved(id).forEach(a -> out.add(Views.approved(a)));
        return ApiResponse.ok(Views.obj("inmateId", id, "numbers", out));
    }

    private ApiResponse addApproved(ApiRequest req) {
        String id = req.pathParam("id");
        JsonBody b = req.json();
        String number = NumberInput.e164("number", b.requiredText("number"));
        String label = b.optionalText("label").orElse(null);
        b.finish();
        ApprovedNumber a = new ApprovedNumber(id, number, label);
        Tx.run(store, () -> {
            require(req, id);
            if (store.inmates().isApproved(id, number)) {
                throw ApiException.conflict("number", number + " is already on the approved list");
            }
            if (store.inmates().approved(id).size() >= MAX_APPROVED) {
                throw ApiException.conflict("number", "the approved list is full (" + MAX_APPROVED + " numbers)");
            }
            StoreErrors.call("number", number + " is already on the approved list", () -> {
                store.inmates().addApproved(a);
                return null;
            });
            audit.record(req.principal(), "approved-number.add", "inmate:" + id,
                    label == null ? Map.of("number", number) : Map.of("number", number, "label", label));
        });
        return ApiResponse.created(Views.approved(a), "/api/inmates/" + id + "/approved-numbers/" + number);
    }

    private ApiResponse removeApproved(ApiRequest req, String number) {
        String id = req.pathParam("id");
        Tx.run(store, () -> {
            require(req, id);
            if (!store.inmates().removeApproved(id, number)) {
                throw ApiException.notFound(number + " is not on the approved list of " + id);
            }
            audit.record(req.principal(), "approved-number.remove", "inmate:" + id, Map.of("number", number));
        });
        return ApiResponse.noContent();
    }
}
