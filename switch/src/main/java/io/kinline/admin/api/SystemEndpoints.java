package io.kinline.admin.api;

import io.kinline.admin.ActiveCallView;
import io.kinline.admin.ActiveCalls;
import io.kinline.admin.AdminConfig;
import io.kinline.admin.Role;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Health, Prometheus metrics and live calls. */
public final class SystemEndpoints {

    private static final Logger log = LoggerFactory.getLogger(SystemEndpoints.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, BooleanSupplier> checks;
    private final PrometheusMeterRegistry registry;
    private final ActiveCalls calls;
    private final AdminConfig.MetricsAccess metricsAccess;

    /** @param checks named health checks; iteration order is the order shown (a concurrent map is fine) */
    public SystemEndpoints(Map<String, BooleanSupplier> checks, PrometheusMeterRegistry registry,
                           ActiveCalls calls, AdminConfig.MetricsAccess metricsAccess) {
        this.checks = checks;
        this.registry = registry;
        this.calls = calls;
        this.metricsAccess = metricsAccess;
    }

    public void register(Router r) {
        r.addPublic("GET", "/api/health", req -> health());
        Set<Role> staff = Set.of(Role.ADMIN, Role.INVESTIGATOR);
        switch (metricsAccess) {
            case OPEN -> r.addPublic("GET", "/metrics", req -> metrics());
            case LOOPBACK -> r.addLoopback("GET", "/metrics", staff, req -> metrics());
            case TOKEN -> r.add("GET", "/metrics", staff, req -> metrics());
        }
        r.add("GET", "/api/calls", staff, this::activeCalls);
    }

    private ApiResponse health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = true;
        Map<String, String> results = new LinkedHashMap<>();
        for (Map.Entry<String, BooleanSupplier> e : checks.entrySet()) {
            boolean ok;
            try {
                ok = e.getValue().getAsBoolean();
            } catch (RuntimeException ex) {
                log.warn("health check {} failed", e.getKey(), ex);
                ok = false;
            }
            results.put(e.getKey(), ok ? "UP" : "DOWN");
            up &= ok;
        }
        body.put("status", up ? "UP" : "DOWN");
        body.putAll(results);
        body.put("time", Instant.now());
        return new ApiResponse.JsonResponse(up ? 200 : 503, body, Map.of());
    }

    private ApiResponse metrics() {
        return new ApiResponse.TextResponse(200, PROMETHEUS_TEXT, registry.scrape());
    }

    private ApiResponse activeCalls(io.kinline.admin.http.ApiRequest req) {
        boolean showPrivileged = req.principal().role() == Role.ADMIN;
        List<Map<String, Object>> out = new ArrayList<>();
        for (ActiveCallView c : calls.list()) {
            // Privileged calls (attorneys, hotlines) are not there for non-admins, as in the call records.
            if ((c.privileged() && !showPrivileged) || !req.principal().sees(c.facility())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("callId", c.callId());
            m.put("sipCallId", c.sipCallId());
            m.put("facility", c.facility());
            m.put("station", c.station());
            m.put("inmateId", c.inmateId());
            // Privileged (attorney/hotline) calls are not monitored: investigators do not see whom they reach.
            m.put("dialed", c.privileged() && !showPrivileged ? null : c.dialed());
            m.put("state", c.state());
            m.put("startedAt", c.startedAt());
            m.put("acceptedAt", c.acceptedAt());
            m.put("privileged", c.privileged());
            out.add(m);
        }
        return ApiResponse.ok(Views.obj("count", out.size(), "calls", out));
    }
}
