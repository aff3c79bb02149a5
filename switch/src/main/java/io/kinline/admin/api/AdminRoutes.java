package io.kinline.admin.api;

import io.kinline.admin.ActiveCalls;
import io.kinline.admin.AdminConfig;
import io.kinline.admin.Principal;
import io.kinline.admin.RecordingAccess;
import io.kinline.admin.http.Authenticator;
import io.kinline.admin.http.Dispatcher;
import io.kinline.admin.http.Router;
import io.kinline.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/** Builds the route table of the admin API over a store. */
public final class AdminRoutes {

    private AdminRoutes() {
    }

    /**
     * @param recordings how recordings are read (encrypted ones decrypted) and the evidence public key
     * @param revoked    told the id of each token revoked through the API (its live-listen sessions end)
     */
    public static Router build(AdminConfig config, Store store, ActiveCalls calls, PrometheusMeterRegistry registry,
                               Map<String, BooleanSupplier> healthChecks, Supplier<RecordingAccess> recordings,
                               Clock clock, LongConsumer revoked) {
        return build(config, store, calls, registry, healthChecks, recordings, clock, revoked, "kinline");
    }

    /** @param sipRealm the SIP digest realm tablets' credentials are issued in */
    public static Router build(AdminConfig config, Store store, ActiveCalls calls, PrometheusMeterRegistry registry,
                               Map<String, BooleanSupplier> healthChecks, Supplier<RecordingAccess> recordings,
                               Clock clock, LongConsumer revoked, String sipRealm) {
        Audit audit = new Audit(store, clock);
        Router r = new Router();
        new SystemEndpoints(healthChecks, registry, calls, config.metrics()).register(r);
        new TokenEndpoints(store, audit, clock, config.tokenLifetime(), revoked).register(r);
        new FacilityEndpoints(store, audit).register(r);
        new StationEndpoints(store, audit, sipRealm).register(r);
        TabletPage.register(r);
        new PinLockEndpoints(store, audit, clock).register(r);
        InmateEndpoints inmates = new InmateEndpoints(store, audit, clock);
        inmates.register(r);
        new NumberEndpoints(store, audit).register(r);
        new AccountEndpoints(store, audit, inmates).register(r);
        new BlockEndpoints(store, audit, clock).register(r);
        new CallEndpoints(store, audit, config.recordingsDir(), recordings).register(r);
        new AuditEndpoints(store).register(r);
        return r;
    }

    /** Plugs the store-backed refusal audit and Idempotency-Key handling into a dispatcher. */
    public static void attach(Dispatcher d, Store store, Clock clock) {
        Audit audit = new Audit(store, clock);
        d.refusalAudit(audit::record).idempotency(new IdempotentRequests(store, clock));
    }

    /** Bearer tokens checked against the store (which keeps only their hashes). */
    public static Authenticator authenticator(Store store) {
        return secret -> {
            Optional<io.kinline.store.ApiToken> t = store.tokens().authenticate(secret);
            return t.filter(io.kinline.store.ApiToken::active)
                    .map(x -> new Principal(String.valueOf(x.id()), x.name(), TokenEndpoints.fromStore(x.role()),
                            x.facilities(), x.expiresAt()));
        };
    }
}
