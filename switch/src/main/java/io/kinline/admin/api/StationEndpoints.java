package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.Facility;
import io.kinline.store.Station;
import io.kinline.store.StationCredentials;
import io.kinline.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calling stations (handset gateway ports and tablets). */
final class StationEndpoints {

    private final Store store;
    private final Audit audit;

    private final String realm;

    StationEndpoints(Store store, Audit audit, String realm) {
        this.store = store;
        this.audit = audit;
        this.realm = realm;
    }

    void register(Router r) {
        r.add("POST", "/api/stations", Roles.ADMIN, this::create);
        r.add("GET", "/api/stations/{id}", Roles.STAFF, this::get);
        r.add("POST", "/api/stations/{id}/credential", Roles.ADMIN, this::issueCredential);
        r.add("DELETE", "/api/stations/{id}/credential", Roles.ADMIN, this::revokeCredential);
    }

    /**
     * Issues (or replaces) a tablet's SIP digest credential: the user name is the station id, the
     * password is shown in this response only (the store keeps HA1). Only for a tablet bound to a
     * housing unit.
     */
    private ApiResponse issueCredential(ApiRequest req) {
        String id = req.pathParam("id");
        req.json().finish();
        StationCredentials.Issued issued = Tx.run(store, () -> {
            Station s = visibleStation(req, id);
            if (s.kind() != Station.Kind.TABLET) {
                throw ApiException.validation("kind", "station " + id + " is a " + Views.wire(s.kind())
                        + ": only tablets have their own credential (handsets come through their gateway)");
            }
            if (s.housingUnitId() == null) {
                throw ApiException.validation("housingUnit", "bind tablet " + id + " to a housing unit first");
            }
            StationCredentials.Issued i = store.stationCredentials().issue(id, realm);
            audit.record(req.principal(), "station.credential", "station:" + id, Map.of("realm", realm));
            return i;
        });
        store.stationCredentials().reload(id); // committed: the SIP side sees it from now on
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("station", id);
        body.put("username", id);
        body.put("realm", issued.realm());
        body.put("password", issued.password());
        return ApiResponse.created(body, "/api/stations/" + id);
    }

    private ApiResponse revokeCredential(ApiRequest req) {
        String id = req.pathParam("id");
        boolean removed = Tx.run(store, () -> {
            visibleStation(req, id);
            boolean r = store.stationCredentials().revoke(id);
            audit.record(req.principal(), "station.credential.revoke", "station:" + id, Map.of("removed", r));
            return r;
        });
        store.stationCredentials().reload(id);
        return ApiResponse.ok(Map.of("station", id, "revoked", removed));
    }

    private Station visibleStation(ApiRequest req, String id) {
        return store.facilities().station(id).filter(s -> req.principal().sees(s.facilityId()))
                .orElseThrow(() -> ApiException.notFound("no station " + id));
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
