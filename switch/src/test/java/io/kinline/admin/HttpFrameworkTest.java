package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.http.AdminHttpServer;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Json;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP layer alone, with a toy router: status codes, problem details, auth, limits, files. */
class HttpFrameworkTest {

    @TempDir
    static Path tmp;
    static AdminHttpServer server;
    static String base;
    static HttpClient client = HttpClient.newHttpClient();
    static byte[] fileBytes;
    static HttpLeakWatch leaks;

    @BeforeAll
    static void start() throws Exception {
        leaks = new HttpLeakWatch();
        fileBytes = new byte[100_000];
        for (int i = 0; i < fileBytes.length; i++) {
            fileBytes[i] = (byte) (i * 31);
        }
        Path f = tmp.resolve("x.wav");
        Files.write(f, fileBytes);
        Router r = new Router();
        r.add("GET", "/api/things/{id}", Set.of(Role.ADMIN, Role.INVESTIGATOR),
                req -> ApiResponse.ok(Map.of("id", req.pathParam("id"), "who", req.principal().name())));
        r.add("POST", "/api/things", Set.of(Role.ADMIN), req -> {
            JsonBody b = req.json();
            String name = b.requiredText("name");
            int n = b.optionalInt("count", 0, 10).orElse(1);
            BigDecimal amount = b.optionalAmount("amount", new BigDecimal("0.01"), new BigDecimal("500"), 2)
                    .orElse(BigDecimal.ONE);
            b.finish();
            return ApiResponse.created(Map.of("name", name, "count", n, "amount", amount.toPlainString()),
                    "/api/things/" + name);
        });
        r.add("GET", "/api/things/special", Set.of(Role.ADMIN), req -> ApiResponse.ok(Map.of("special", true)));
        r.add("GET", "/api/file", Set.of(Role.ADMIN), req -> new ApiResponse.FileResponse(f, "audio/wav", "x.wav",
                req.headers().get("Range")));
        r.add("GET", "/api/boom", Set.of(Role.ADMIN), req -> {
            throw new IllegalStateException("secret internals");
        });
        r.addPublic("GET", "/api/open", req -> ApiResponse.ok(Map.of("open", true)));
        r.addPublic("GET", "/api/thread", req -> ApiResponse.ok(Map.of("virtual", Thread.currentThread().isVirtual(),
                "eventLoop", Thread.currentThread().getName().startsWith("kinline-admin"))));
        server = new AdminHttpServer("127.0.0.1", 0, 4096, r, token -> switch (token) {
            case "admintok" -> Optional.of(new Principal("1", "root", Role.ADMIN));
            case "cstok" -> Optional.of(new Principal("2", "cs", Role.CUSTOMER_SERVICE));
            default -> Optional.empty();
        }, new SimpleMeterRegistry());
        InetSocketAddress a = server.start();
        base = "http://127.0.0.1:" + a.getPort();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
        leaks.assertNoLeaks();
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode n = json(r);
        assertEquals(status, n.get("status").asInt());
        assertTrue(n.get("type").asText().startsWith("urn:kinline:problem:"));
        assertTrue(n.hasNonNull("title"));
        assertTrue(n.hasNonNull("detail"));
        if (field != null) {
            assertEquals(field, n.path("field").asText(), r.body());
        }
    }

    @Test
    void okWithPathParamAndPrincipal() throws Exception {
        HttpResponse<String> r = send("GET", "/api/things/a%20b", "admintok", null);
        assertEquals(200, r.statusCode());
        assertEquals("a b", json(r).get("id").asText());
        assertEquals("root", json(r).get("who").asText());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void plusInPathStaysPlus() throws Exception {
        HttpResponse<String> r = send("GET", "/api/things/+15551234567", "admintok", null);
        assertEquals("+15551234567", json(r).get("id").asText());
    }

    @Test
    void literalBeatsParameter() throws Exception {
        HttpResponse<String> r = send("GET", "/api/things/special", "admintok", null);
        assertTrue(json(r).get("special").asBoolean());
    }

    @Test
    void handlersRunOnVirtualThreadsNotTheEventLoop() throws Exception {
        JsonNode n = json(send("GET", "/api/thread", null, null));
        assertTrue(n.get("virtual").asBoolean());
        assertTrue(!n.get("eventLoop").asBoolean());
    }

    @Test
    void unknownRouteIs404ButOnlyToAnAuthenticatedCaller() throws Exception {
        assertProblem(send("GET", "/api/nothing", "admintok", null), 404, null);
        assertProblem(send("GET", "/api/nothing", null, null), 401, null);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = send("DELETE", "/api/things/1", "admintok", null);
        assertProblem(r, 405, null);
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void missingAndBadTokensAre401WithChallenge() throws Exception {
        for (String tok : new String[] {null, "nope"}) {
            HttpResponse<String> r = send("GET", "/api/things/1", tok, null);
            assertProblem(r, 401, null);
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        HttpRequest basic = HttpRequest.newBuilder(URI.create(base + "/api/things/1"))
                .header("Authorization", "Basic YTpi").build();
        assertEquals(401, client.send(basic, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void wrongRoleIs403() throws Exception {
        assertProblem(send("GET", "/api/things/1", "cstok", null), 403, null);
    }

    @Test
    void publicRouteNeedsNoToken() throws Exception {
        assertEquals(200, send("GET", "/api/open", null, null).statusCode());
    }

    @Test
    void createdWithLocation() throws Exception {
        HttpResponse<String> r = send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"amount\":\"10.50\"}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("/api/things/x", r.headers().firstValue("Location").orElse(""));
        assertEquals("10.50", json(r).get("amount").asText());
    }

    @Test
    void validationErrorsNameTheField() throws Exception {
        assertProblem(send("POST", "/api/things", "admintok", "{}"), 400, "name");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":5}"), 400, "name");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"count\":\"3\"}"), 400, "count");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"count\":11}"), 400, "count");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"amount\":\"1.234\"}"), 400, "amount");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"amount\":\"-1\"}"), 400, "amount");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"amount\":\"501\"}"), 400, "amount");
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":\"x\",\"nmae\":1}"), 400, "nmae");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertProblem(send("POST", "/api/things", "admintok", "{\"name\":"), 400, null);
        assertProblem(send("POST", "/api/things", "admintok", "[1,2]"), 400, null);
        assertProblem(send("POST", "/api/things", "admintok", "{} {}"), 400, null);
        assertProblem(send("POST", "/api/things", "admintok", null), 400, null);
    }

    @Test
    void bodyTooLargeIs413() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(10_000) + "\"}";
        assertProblem(send("POST", "/api/things", "admintok", big), 413, null);
        // the server is still fine afterwards
        assertEquals(200, send("GET", "/api/open", null, null).statusCode());
    }

    @Test
    void expectContinueWithTooLargeBodyGets413Problem() throws Exception {
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer admintok\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(all.startsWith("HTTP/1.1 413"), all);
            assertTrue(all.contains("application/problem+json") && all.contains("payload-too-large"), all);
        }
    }

    @Test
    void unexpectedExceptionIs500WithoutInternals() throws Exception {
        HttpResponse<String> r = send("GET", "/api/boom", "admintok", null);
        assertProblem(r, 500, null);
        assertTrue(!r.body().contains("secret") && !r.body().contains("Exception"), r.body());
    }

    @Test
    void fileDownloadFullAndRange() throws Exception {
        HttpRequest full = HttpRequest.newBuilder(URI.create(base + "/api/file"))
                .header("Authorization", "Bearer admintok").build();
        HttpResponse<byte[]> r = client.send(full, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(fileBytes, r.body());
        HttpRequest part = HttpRequest.newBuilder(URI.create(base + "/api/file"))
                .header("Authorization", "Bearer admintok").header("Range", "bytes=10-19").build();
        HttpResponse<byte[]> p = client.send(part, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, p.statusCode());
        assertEquals("bytes 10-19/100000", p.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(java.util.Arrays.copyOfRange(fileBytes, 10, 20), p.body());
        HttpRequest bad = HttpRequest.newBuilder(URI.create(base + "/api/file"))
                .header("Authorization", "Bearer admintok").header("Range", "bytes=200000-").build();
        assertEquals(416, client.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void pipelinedRequestsAnsweredInOrder() throws Exception {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)))) {
            OutputStream out = s.getOutputStream();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                sb.append("GET /api/things/n").append(i).append(" HTTP/1.1\r\nHost: x\r\n")
                        .append("Authorization: Bearer admintok\r\n\r\n");
            }
            sb.append("GET /api/open HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int last = -1;
            for (int i = 0; i < 5; i++) {
                int at = all.indexOf("\"n" + i + "\"");
                assertTrue(at > last, all);
                last = at;
            }
            assertTrue(all.indexOf("\"open\"") > last);
        }
    }

    @Test
    void apiExceptionCarriesField() {
        ApiException e = ApiException.validation("x", "x is bad");
        assertEquals(400, e.status());
        assertEquals("x", e.field());
    }
}
