package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.http.Json;
import io.kinline.store.ApiToken;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real H2 store in a temp dir and a real admin server on loopback, shared by a test class. */
public abstract class AdminTestBase {

    protected static Path dir;
    protected static Store store;
    protected static AdminServer server;
    protected static String base;
    protected static final HttpClient client = HttpClient.newHttpClient();
    protected static String adminToken;
    protected static String investigatorToken;
    protected static String csToken;
    protected static String revokedToken;
    protected static long investigatorTokenId;
    protected static final List<ActiveCallView> activeCalls = new CopyOnWriteArrayList<>();
    static HttpLeakWatch leaks;

    /** Marks a test class that runs on embedded PostgreSQL instead of H2. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface OnPostgres {
    }

    @BeforeAll
    public static void startServer(TestInfo info) throws Exception {
        leaks = new HttpLeakWatch();
        dir = Files.createTempDirectory("kinline-admin-test");
        boolean pg = info.getTestClass().map(c -> c.isAnnotationPresent(OnPostgres.class)).orElse(false);
        StoreConfig cfgStore = pg ? TestDatabases.postgres(dir) : TestDatabases.h2(dir);
        store = Store.open(cfgStore);
        adminToken = store.tokens().issue("alice-admin", ApiToken.Role.ADMIN).secret();
        ApiToken.Issued inv = store.tokens().issue("ivan-investigator", ApiToken.Role.INVESTIGATOR);
        investigatorToken = inv.secret();
        investigatorTokenId = inv.token().id();
        csToken = store.tokens().issue("carol-cs", ApiToken.Role.CUSTOMER_SERVICE).secret();
        ApiToken.Issued rev = store.tokens().issue("old-admin", ApiToken.Role.ADMIN);
        revokedToken = rev.secret();
        store.tokens().revoke(rev.token().id());
        AdminConfig cfg = AdminConfig.defaults(dir).withPort(0).withMaxBodyBytes(64 * 1024);
        Files.createDirectories(cfg.recordingsDir());
        server = new AdminServer(cfg, store, () -> List.copyOf(activeCalls),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        base = "http://127.0.0.1:" + server.start().getPort();
    }

    @AfterAll
    public static void stopServer() throws IOException, InterruptedException {
        server.close();
        store.close();
        leaks.assertNoLeaks();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    protected static HttpResponse<String> call(String method, String path, String token, String body) {
        return callWith(method, path, token, body);
    }

    /** As {@link #call}, with extra headers given as name, value, name, value... */
    protected static HttpResponse<String> callWith(String method, String path, String token, String body,
                                                   String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path, e);
        }
    }

    protected static HttpResponse<String> get(String path, String token) {
        return call("GET", path, token, null);
    }

    protected static HttpResponse<String> post(String path, String token, String body) {
        return call("POST", path, token, body);
    }

    protected static HttpResponse<String> patch(String path, String token, String body) {
        return call("PATCH", path, token, body);
    }

    protected static HttpResponse<String> delete(String path, String token) {
        return call("DELETE", path, token, null);
    }

    protected static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    protected static JsonNode ok(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), () -> r.request().method() + " " + r.request().uri() + ": " + r.body());
        return r.body().isEmpty() ? null : json(r);
    }

    /** Asserts a problem-details response with this status and (if given) field. */
    protected static JsonNode problem(int status, String field, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), () -> r.request().method() + " " + r.request().uri() + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode n = json(r);
        assertEquals(status, n.get("status").asInt());
        assertTrue(n.get("type").asText().startsWith("urn:kinline:problem:"), r.body());
        assertTrue(n.hasNonNull("title") && n.hasNonNull("detail"), r.body());
        assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), r.body());
        if (field != null) {
            assertEquals(field, n.path("field").asText(null), r.body());
        }
        return n;
    }

    protected static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    /** Creates a facility with 4-digit PINs (idempotent per id within a class). */
    protected static void facility(String id) {
        HttpResponse<String> r = post("/api/facilities", adminToken,
                "{\"id\":\"" + id + "\",\"name\":\"Facility " + id + "\",\"timezone\":\"America/Chicago\"}");
        assertTrue(r.statusCode() == 201 || r.statusCode() == 409, r.body());
    }

    protected static void inmate(String id, String facility, String pin) {
        ok(201, post("/api/inmates", adminToken, "{\"id\":\"" + id + "\",\"name\":\"Inmate " + id
                + "\",\"facility\":\"" + facility + "\",\"pin\":\"" + pin + "\"}"));
    }
}
