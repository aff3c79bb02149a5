package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.Facility;
import io.kinline.store.Station;
import io.kinline.store.Store;

/** Calling stations (handset gateway ports and tablets). */
final class StationEndpoints {

    private final Store store;
    private final Audit audit;

    StationEndpoints(Store store, Audit audit) {
        this.store = store;
        this.audit = audit;
    }

    void register(Router r) {
        r.add("POST", "/api/stations", Roles.ADMIN, this::create);
        r.add("GET", "/api/stations/{id}", Roles.STAFF, this::get);
    }

    private ApiResponse get(ApiRequest req) {
        String id = req.pathParam("id");
        return ApiResponse.ok(Views.station(store.facilities().station(id).filter(s -> req.principal().sees(s.facilityId()))
                .orElseThrow(() -> ApiException.notFound("no station " + id))));
    }

    private ApiResponse create(ApiRequest req) {
        JsonBody b = req.json();
        String id = Inputs.id("id", b.requiredText("id"));
        String facilityId = b.requiredText("facility");
        Station.Kind kind = Station.Kind.valueOf(
                Inputs.oneOf("kind", b.requiredText("kind"), "handset", "tablet").toUpperCase(java.util.Locale.ROOT));
        String unit = b.optionalText("housingUnit").orElse(null);
        b.finish();
        Station saved = Tx.run(store, () -> {
            Facility f = store.facilities().get(facilityId).filter(x -> req.principal().sees(x.id()))
                    .orElseThrow(() -> ApiException.unknownReference("facility", "no facility " + facilityId));
            if (unit != null && store.facilities().unit(unit).filter(u -> u.facilityId().equals(f.id())).isEmpty()) {
                throw ApiException.unknownReference("housingUnit", "no housing unit " + unit + " in facility " + f.id());
            }
            if (store.facilities().station(id).isPresent()) {
                throw ApiException.conflict("id", "station " + id + " already exists");
            }
            Station s = StoreErrors.call("id", "station " + id + " already exists",
                    () -> store.facilities().createStation(new Station(id, f.id(), kind, unit)));
            audit.record(req.principal(), "station.create", "station:" + id, Views.station(s));
            return s;
        });
        return ApiResponse.created(Views.station(saved), "/api/stations/" + id);
    }
}
