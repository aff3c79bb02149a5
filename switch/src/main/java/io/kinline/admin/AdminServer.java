package io.kinline.admin;

import io.kinline.admin.api.AdminRoutes;
import io.kinline.admin.console.ConsoleConfig;
import io.kinline.admin.console.ConsoleRoutes;
import io.kinline.admin.console.ConsoleSessions;
import io.kinline.admin.console.IncidentReviewEndpoints;
import io.kinline.admin.console.PasswordHasher;
import io.kinline.admin.console.SignIn;
import io.kinline.admin.console.StaffEndpoints;
import io.kinline.admin.http.Router;
import io.kinline.admin.http.AdminHttpServer;
import io.kinline.admin.http.Authenticator;
import io.kinline.admin.http.ListenSessions;
import io.kinline.admin.http.Json;
import io.kinline.admin.http.ListenHandler;
import io.kinline.store.AuditEntry;
import io.kinline.store.Store;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

/**
 * The admin HTTP/JSON API. Typical use from {@code kinline run}:
 *
 * <pre>{@code
 * AdminBootstrap.ensureAdminToken(store, dataDir);
 * AdminServer admin = new AdminServer(AdminConfig.defaults(dataDir).withPort(adminPort), store, calls, registry);
 * admin.addHealthCheck("sip", sip::isRunning);
 * InetSocketAddress bound = admin.start();
 * ...
 * admin.close();
 * }</pre>
 *
 * Endpoints, roles and error format are documented in {@code docs/API.md}.
 */
public final class AdminServer implements AutoCloseable {

    private final AdminConfig config;
    private final Store store;
    private final ActiveCalls calls;
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    /** Sorted so the health document is stable; concurrent so checks may be added while serving. */
    private final Map<String, BooleanSupplier> healthChecks = new ConcurrentSkipListMap<>();
    private volatile CallMonitoring monitoring = CallMonitoring.none();
    private volatile RecordingAccess recordings = RecordingAccess.plainFiles();
    private ConsoleConfig consoleConfig = ConsoleConfig.DEFAULTS;
    private JvmGcMetrics gcMetrics;
    private AdminHttpServer http;
    private ListenSessions listenSessions;
    private String sipRealm = "kinline";

    /**
     * @param calls    live calls for {@code GET /api/calls}; null = none
     * @param registry the process-wide registry scraped at {@code /metrics}; null = create one here
     */
    public AdminServer(AdminConfig config, Store store, ActiveCalls calls, PrometheusMeterRegistry registry) {
        this(config, store, calls, registry, Clock.systemUTC());
    }

    /** With a clock, for tests of timed values (status until, block times). */
    public AdminServer(AdminConfig config, Store store, ActiveCalls calls, PrometheusMeterRegistry registry,
                       Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.calls = calls == null ? ActiveCalls.none() : calls;
        this.registry = registry == null ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : registry;
        this.clock = Objects.requireNonNull(clock, "clock");
        healthChecks.put("db", this.store::healthy);
    }

    /** Adds (or replaces) a named check shown by {@code GET /api/health}; any DOWN check makes it 503. */
    public AdminServer addHealthCheck(String name, BooleanSupplier check) {
        healthChecks.put(Objects.requireNonNull(name), Objects.requireNonNull(check));
        return this;
    }

    /**
     * The call layer's live-listen service for {@code GET /api/calls/{callId}/listen} (WebSocket); without
     * one every call is unknown (404). May be set before or after {@link #start()}.
     */
    public AdminServer callMonitoring(CallMonitoring m) {
        this.monitoring = m == null ? CallMonitoring.none() : m;
        return this;
    }

    /**
     * How recordings are read (encrypted ones decrypted) and the evidence manifests' public key; by default plain
     * files and no key. May be set before or after {@link #start()}.
     */
    public AdminServer recordingAccess(RecordingAccess r) {
        this.recordings = r == null ? RecordingAccess.plainFiles() : r;
        return this;
    }

    /** The SIP digest realm tablets' credentials are issued in (the gateways' realm); set before {@link #start()}. */
    public AdminServer sipRealm(String realm) {
        this.sipRealm = Objects.requireNonNull(realm, "realm");
        return this;
    }

    /** Staff console sign-in settings (set before {@link #start()}); defaults otherwise. */
    public AdminServer console(ConsoleConfig c) {
        this.consoleConfig = Objects.requireNonNull(c, "console");
        return this;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds and serves; returns the bound address (useful with port 0). */
    public synchronized InetSocketAddress start() throws InterruptedException {
        if (http != null) {
            throw new IllegalStateException("already started");
        }
        bindJvmMetrics();
        listenSessions = new ListenSessions(config.listen(), clock, (ids, now) -> store.tokens().stillActive(ids, now));
        Authenticator authenticator = AdminRoutes.authenticator(store);
        Router router = AdminRoutes.build(config, store, calls, registry, healthChecks, () -> recordings, clock,
                listenSessions::revoked, sipRealm);
        ConsoleSessions consoleSessions = new ConsoleSessions(consoleConfig, clock);
        PasswordHasher hasher = new PasswordHasher();
        ListenSessions listening = listenSessions;
        new ConsoleRoutes(store, consoleSessions, new SignIn(store, hasher, consoleConfig, clock), consoleConfig, clock,
                listening::staffSignedOut).register(router);
        new StaffEndpoints(store, hasher, clock, id -> {
            consoleSessions.endAll(id);
            listening.staffSignedOut(String.valueOf(id));
        }).register(router);
        new IncidentReviewEndpoints(store, clock).register(router);
        http = new AdminHttpServer(config.bindHost(), config.port(), config.maxBodyBytes(), config.limits(),
                router, authenticator, registry);
        AdminRoutes.attach(http.dispatcher(), store, clock);
        http.dispatcher().sessions(consoleSessions);
        http.listen(new ListenHandler.Service(authenticator, () -> monitoring, this::audit, listenSessions,
                this::facilityOf, http.dispatcher()::authFailed, () -> consoleSessions));
        listenSessions.start();
        try {
            return http.start();
        } catch (InterruptedException | RuntimeException e) {
            http.close();
            http = null;
            throw e;
        }
    }

    private void bindJvmMetrics() {
        // If the process already bound the JVM binders to this registry, binding them again would add a
        // second GC listener and double-count pauses: skip.
        if (registry.find("jvm.memory.used").meter() != null) {
            return;
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
    }

    private void audit(Principal who, String action, String target, Map<String, ?> details) {
        String json = null;
        try {
            json = details == null || details.isEmpty() ? null : Json.mapper().writeValueAsString(details);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the line itself matters more than its details
        }
        store.audit().append(AuditEntry.of(clock.instant(), who.actor(), action, target, json));
    }

    /** The facility of a live call (for facility-limited tokens). */
    private Optional<String> facilityOf(String callId) {
        for (ActiveCallView c : calls.list()) {
            if (c.callId().equals(callId)) {
                return Optional.ofNullable(c.facility());
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (listenSessions != null) {
            listenSessions.close();
            listenSessions = null;
        }
        if (gcMetrics != null) {
            gcMetrics.close();
            gcMetrics = null;
        }
    }
}
