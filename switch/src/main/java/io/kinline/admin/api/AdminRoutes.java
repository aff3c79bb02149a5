package io.kinline.admin.api;

import io.kinline.admin.ActiveCalls;
import io.kinline.admin.Principal;
import io.kinline.admin.RecordingAccess;
import io.kinline.admin.http.Authenticator;
import io.kinline.admin.http.Router;
import io.kinline.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Builds the route table of the admin API over a store. */
public final class AdminRoutes {

    private AdminRoutes() {
    }

    public static Router build(Store store, ActiveCalls calls, PrometheusMeterRegistry registry,
                               Map<String, BooleanSupplier> healthChecks, Path recordingsDir,
                               boolean metricsAuth, Clock clock) {
        return build(store, calls, registry, healthChecks, recordingsDir, RecordingAccess::plainFiles, metricsAuth,
                clock);
    }

    /** As above, with how recordings are read (decrypted) and the evidence public key. */
    public static Router build(Store store, ActiveCalls calls, PrometheusMeterRegistry registry,
                               Map<String, BooleanSupplier> healthChecks, Path recordingsDir,
                               Supplier<RecordingAccess> recordings, boolean metricsAuth, Clock clock) {
        Audit audit = new Audit(store, clock);
        Router r = new Router();
        new SystemEndpoints(healthChecks, registry, calls, metricsAuth).register(r);
        new TokenEndpoints(store, audit).register(r);
        new FacilityEndpoints(store, audit).register(r);
        new StationEndpoints(store, audit).register(r);
        InmateEndpoints inmates = new InmateEndpoints(store, audit, clock);
        inmates.register(r);
        new NumberEndpoints(store, audit).register(r);
        new AccountEndpoints(store, audit, inmates).register(r);
        new BlockEndpoints(store, audit, clock).register(r);
        new CallEndpoints(store, audit, recordingsDir, recordings).register(r);
        new AuditEndpoints(store).register(r);
        return r;
    }

    /** Bearer tokens checked against the store (which keeps only their hashes). */
    public static Authenticator authenticator(Store store) {
        return secret -> {
            Optional<io.kinline.store.ApiToken> t = store.tokens().authenticate(secret);
            return t.filter(io.kinline.store.ApiToken::active)
                    .map(x -> new Principal(String.valueOf(x.id()), x.name(), TokenEndpoints.fromStore(x.role())));
        };
    }
}
