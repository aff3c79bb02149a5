package io.kinline.admin.http;

import io.kinline.admin.Principal;
import io.kinline.log.SafeText;
import io.kinline.sip.transport.RateLimitedLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Routes, authenticates, authorises and runs one request; turns every failure into a problem response.
 * {@link #dispatch} never throws, and unexpected exceptions are logged here and never reach the client.
 *
 * <p>Order matters for what a caller can learn: a request that is not for a public route is
 * authenticated <em>before</em> the router's 404 or 405 is given, so without a valid token every path
 * answers the same 401 and the route table stays private.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Methods that get their own metrics label; anything else is {@code OTHER}. */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** The metrics label of every request no route matched. */
    static final String UNKNOWN_ROUTE = "UNKNOWN";

    /** Writes the audit line of a refusal (may block: JDBC). */
    @FunctionalInterface
    public interface RefusalAudit {
        void refused(Principal who, String action, String target, Map<String, ?> details);
    }

    /** Runs a POST that carries an {@code Idempotency-Key} (see {@code docs/API.md}). */
    @FunctionalInterface
    public interface Idempotency {
        ApiResponse run(ApiRequest request, String key, Handler handler);
    }

    private final Router router;
    private final Authenticator authenticator;
    private final MeterRegistry registry;
    private final RateLimitedLog authFailures = new RateLimitedLog(log, 1_000);
    private volatile RefusalAudit refusals;
    private volatile Idempotency idempotency;
    private volatile SessionAuthenticator sessions = SessionAuthenticator.NONE;

    public Dispatcher(Router router, Authenticator authenticator, MeterRegistry registry) {
        this.router = router;
        this.authenticator = authenticator;
        this.registry = registry;
    }

    /** Where refusals on routes registered with a refusal action are audited; null = not audited. */
    public Dispatcher refusalAudit(RefusalAudit r) {
        this.refusals = r;
        return this;
    }

    /** What runs POSTs with an {@code Idempotency-Key}; null = the header is ignored. */
    public Dispatcher idempotency(Idempotency i) {
        this.idempotency = i;
        return this;
    }

    /** Console sessions: a browser's request without a bearer token is authenticated by its cookie. */
    public Dispatcher sessions(SessionAuthenticator s) {
        this.sessions = s == null ? SessionAuthenticator.NONE : s;
        return this;
    }

    /** The console sessions (for the pages, which check the cookie themselves). */
    public SessionAuthenticator sessions() {
        return sessions;
    }

    public ApiResponse dispatch(ApiRequest request) {
        long start = System.nanoTime();
        ApiResponse response;
        Router.Match m = null;
        try {
            ApiException notRouted = null;
            try {
                m = router.match(request.method(), request.path());
                request.matched(m.route().template(), m.params());
            } catch (ApiException e) {
                notRouted = e;
            }
            if (m == null || !openTo(m.route(), request)) {
                Principal p = authenticate(request);
                request.authenticated(p);
                if (notRouted != null) {
                    throw notRouted;
                }
                if (!m.route().roles().contains(p.role())) {
                    throw ApiException.forbidden("role " + p.role() + " may not " + request.method() + " "
                            + m.route().template());
                }
                StaffSession s = request.session();
                if (s != null && !s.routeAllowed().test(m.route().template())) {
                    throw ApiException.forbidden("your staff role may not " + request.method() + " "
                            + m.route().template());
                }
            }
            response = run(m.route(), request);
        } catch (ApiException e) {
            response = new ApiResponse.ProblemResponse(e, request.path());
            auditRefusal(m, request, e);
        } catch (Exception | StackOverflowError e) {
            log.error("admin API {} {} failed", request.method(), SafeText.escape(request.path()), e);
            response = new ApiResponse.ProblemResponse(ApiException.internal(), request.path());
        }
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {} ({}, {} µs)", SafeText.escape(request.method()), SafeText.escape(request.path()),
                    response.status(), request.principal() == null ? "anonymous" : request.principal().actor(),
                    (System.nanoTime() - start) / 1000);
        }
        if (registry != null) {
            // Every label has a bounded set of values: made-up methods and paths must not grow /metrics.
            Timer.builder("kinline.admin.requests")
                    .description("Admin API requests")
                    .tag("method", KNOWN_METHODS.contains(request.method()) ? request.method() : "OTHER")
                    .tag("route", m == null ? UNKNOWN_ROUTE : m.route().template())
                    .tag("status", Integer.toString(response.status()))
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return response;
    }

    private ApiResponse run(Router.Route route, ApiRequest request) throws Exception {
        Idempotency i = idempotency;
        String key = request.headers().get("Idempotency-Key");
        if (i != null && key != null && "POST".equals(request.method()) && request.principal() != null) {
            return i.run(request, key, route.handler());
        }
        return route.handler().handle(request);
    }

    /** Whether the route may be used without a token by this caller. */
    private static boolean openTo(Router.Route route, ApiRequest request) {
        return switch (route.access()) {
            case PUBLIC -> true;
            case LOOPBACK -> request.remote() instanceof InetSocketAddress a && a.getAddress() != null
                    && a.getAddress().isLoopbackAddress();
            case TOKEN -> false;
        };
    }

    private Principal authenticate(ApiRequest request) {
        try {
            if (request.headers().get("Authorization") == null) {
                Optional<StaffSession> s = SessionCookies.authenticate(sessions, request.method(), request.headers());
                if (s.isPresent()) {
                    request.session(s.get());
                    return s.get().principal();
                }
            }
            String token = Bearer.token(request.headers().get("Authorization"));
            Optional<Principal> p = authenticator.authenticate(token);
            return p.orElseThrow(() -> ApiException.unauthorized("invalid, expired or revoked token"));
        } catch (ApiException e) {
            authFailed(request.remote(), e.detail(), request.method() + " " + request.path());
            throw e;
        }
    }

    /** One log line per second at most, with the source address; the token itself is never logged. */
    public void authFailed(Object remote, String why, String what) {
        authFailures.warn("admin API authentication failed from {}: {} ({})", SafeText.escape(remote),
                SafeText.escape(why), SafeText.escape(what));
    }

    private void auditRefusal(Router.Match m, ApiRequest request, ApiException e) {
        RefusalAudit r = refusals;
        Principal who = request.principal();
        if (r == null || m == null || who == null || m.route().refusalAction() == null || e.status() < 400
                || e.status() == 401 || e.status() >= 500) {
            return;
        }
        String callId = m.params().get("callId");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", e.status());
        details.put("reason", e.type());
        details.put("detail", e.detail());
        if (!request.queryParams().isEmpty()) {
            details.put("query", request.queryParams());
        }
        try {
            r.refused(who, m.route().refusalAction(), callId == null ? null : "call:" + callId, details);
        } catch (RuntimeException ex) {
            // The refusal stands either way; a missing audit line is an operator's alarm.
            log.error("cannot audit {} for {}", m.route().refusalAction(), who.actor(), ex);
        }
    }
}
