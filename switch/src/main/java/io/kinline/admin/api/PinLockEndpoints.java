package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Router;
import io.kinline.store.Inmate;
import io.kinline.store.PinLocks.StationPinGuard;
import io.kinline.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PIN lockouts (issue 10.3): the stations locked after too many wrong PINs and the inmates whose PIN is locked,
 * and clearing them. Admins only; every clear is audited, with what it cleared.
 */
final class PinLockEndpoints {

    private final Store store;
    private final Audit audit;
    private final Clock clock;

    PinLockEndpoints(Store store, Audit audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    void register(Router r) {
        r.add("GET", "/api/pin-locks", Roles.ADMIN, this::list);
        r.add("DELETE", "/api/pin-locks/stations/{id}", Roles.ADMIN, this::clearStation);
        r.add("DELETE", "/api/pin-locks/inmates/{id}", Roles.ADMIN, this::clearInmate);
    }

    private ApiResponse list(ApiRequest req) {
        Instant now = clock.instant();
        List<Map<String, Object>> stations = new ArrayList<>();
        for (StationPinGuard g : store.pinLocks().lockedStations(now, Scope.facilities(req))) {
            stations.add(Views.obj("station", g.stationId(), "facility", g.facilityId(),
                    "lockedUntil", g.lockedUntil(), "lastFailureAt", g.lastFailureAt()));
        }
        List<Map<String, Object>> inmates = new ArrayList<>();
        for (Inmate in : store.pinLocks().lockedInmates(now, Scope.facilities(req))) {
            inmates.add(Views.obj("inmateId", in.id(), "facility", in.facilityId(), "lockedUntil",
                    in.pinLockedUntil()));
        }
        return ApiResponse.ok(Views.obj("stations", stations, "inmates", inmates));
    }

    private ApiResponse clearStation(ApiRequest req) {
        String id = req.pathParam("id");
        var station = store.facilities().station(id).filter(s -> req.principal().sees(s.facilityId()))
                .orElseThrow(() -> ApiException.notFound("no station " + id));
        boolean cleared = store.pinLocks().clearStation(station.id());
        audit.record(req.principal(), "pin.lock.clear", "station:" + id, Views.obj("cleared", cleared));
        return ApiResponse.noContent();
    }

    private ApiResponse clearInmate(ApiRequest req) {
        String id = req.pathParam("id");
        Inmate in = store.inmates().get(id).filter(i -> req.principal().sees(i.facilityId()))
                .orElseThrow(() -> ApiException.notFound("no inmate " + id));
        boolean cleared = in.pinFailures() > 0 || in.pinLockedUntil() != null;
        store.inmates().resetPinFailures(id);
        audit.record(req.principal(), "pin.lock.clear", "inmate:" + id, Views.obj("cleared", cleared));
        return ApiResponse.noContent();
    }
}
