package io.kinline.admin.http;

import io.kinline.admin.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;

/**
 * Routes, authenticates, authorises and runs one request; turns every failure into a problem response.
 * {@link #dispatch} never throws, and unexpected exceptions are logged here and never reach the client.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Bearer tokens are short; a longer header is garbage and is not worth a database lookup. */
    private static final int MAX_TOKEN_LENGTH = 256;

    private final Router router;
    private final Authenticator authenticator;
    private final MeterRegistry registry;

    public Dispatcher(Router router, Authenticator authenticator, MeterRegistry registry) {
        this.router = router;
        this.authenticator = authenticator;
        this.registry = registry;
    }

    public ApiResponse dispatch(ApiRequest request) {
        long start = System.nanoTime();
        ApiResponse response;
        try {
            Router.Match m = router.match(request.method(), request.path());
            request.matched(m.route().template(), m.params());
            if (!m.route().isPublic()) {
                Principal p = authenticate(request);
                if (!m.route().roles().contains(p.role())) {
                    throw ApiException.forbidden("role " + p.role() + " may not " + request.method() + " "
                            + m.route().template());
                }
                request.authenticated(p);
            }
            response = m.route().handler().handle(request);
        } catch (ApiException e) {
            response = new ApiResponse.ProblemResponse(e, request.path());
        } catch (Exception | StackOverflowError e) {
            log.error("admin API {} {} failed", request.method(), request.path(), e);
            response = new ApiResponse.ProblemResponse(ApiException.internal(), request.path());
        }
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {} ({}, {} µs)", request.method(), request.path(), response.status(),
                    request.principal() == null ? "anonymous" : request.principal().actor(),
                    (System.nanoTime() - start) / 1000);
        }
        if (registry != null) {
            Timer.builder("kinline.admin.requests")
                    .description("Admin API requests")
                    .tag("method", request.method())
                    .tag("route", request.route())
                    .tag("status", Integer.toString(response.status()))
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return response;
    }

    private Principal authenticate(ApiRequest request) {
        String h = request.headers().get("Authorization");
        if (h == null) {
            throw ApiException.unauthorized("an Authorization: Bearer token is required");
        }
        String v = h.strip();
        if (v.length() < 7 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw ApiException.unauthorized("only Bearer tokens are accepted");
        }
        String token = v.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.unauthorized("invalid token");
        }
        Optional<Principal> p = authenticator.authenticate(token);
        return p.orElseThrow(() -> ApiException.unauthorized("invalid or revoked token"));
    }
}
