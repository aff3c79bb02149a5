package io.kinline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinline.store.DemoData;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/** Call records from a running switch's admin API ({@code GET /api/cdrs/{callId}}) with an admin token. */
final class ApiRecords implements RecordSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** {@code dataDir}: where the switch keeps its recordings, if it is on this machine (null if not known). */
    ApiRecords(String adminHostPort, String token, Path dataDir) {
        this.base = URI.create("http://" + adminHostPort);
        this.token = token;
        this.dataDir = dataDir;
    }

    @Override
    public Optional<Cdr> await(String callId, Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        // The newest call whose inmate leg used this SIP Call-ID (the switch keys calls by its own id).
        String path = "/api/cdrs?limit=1&sipCallId=" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
        while (true) {
            HttpResponse<String> r = send("GET", path);
            if (r.statusCode() == 200) {
                Optional<JsonNode> found = first(r.body());
                if (found.isPresent()) {
                    return Optional.of(parse(found.get()));
                }
            }
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new IllegalStateException("the admin API refused the token (" + r.statusCode() + ")");
            }
            if (System.nanoTime() - end > 0) {
                return Optional.empty();
            }
            Thread.sleep(200);
        }
    }

    private static Optional<JsonNode> first(String body) {
        try {
            JsonNode cdrs = JSON.readTree(body).path("cdrs");
            return cdrs.isArray() && !cdrs.isEmpty() ? Optional.of(cdrs.get(0)) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable call records from the admin API: " + e.getMessage(), e);
        }
    }

    private Cdr parse(JsonNode n) {
        String callId = n.path("callId").asText();
        String recording = null;
        if (n.path("recorded").asBoolean(false)) {
            recording = base + n.path("recordingUrl").asText();
            Path local = localRecording(callId, n.path("startedAt").asText(null));
            if (local != null) {
                recording = local.toString();
            }
        }
        return new Cdr(callId, n.path("outcome").asText(), text(n, "reason"), text(n, "funding"),
                n.path("billedSeconds").asLong(), new BigDecimal(n.path("charge").asText("0")), recording);
    }

    /** The switch files recordings as {@code <data>/recordings/<UTC day>/<call id>.wav}. */
    private Path localRecording(String callId, String startedAt) {
        if (dataDir == null || startedAt == null) {
            return null;
        }
        LocalDate day = LocalDate.ofInstant(Instant.parse(startedAt), ZoneOffset.UTC);
        Path p = dataDir.resolve("recordings").resolve(day.toString())
                .resolve(callId.replaceAll("[^A-Za-z0-9._-]", "_") + ".wav");
        return Files.isRegularFile(p) ? p : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public int liftKeypadBlocks(String number) {
        try {
            HttpResponse<String> r = send("DELETE", "/api/blocks/" + URLEncoder.encode(number, StandardCharsets.UTF_8)
                    + "?type=keypad&facility=" + DemoData.FACILITY);
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body()).path("lifted").size();
            }
            return 0; // 404: nothing to lift
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Checks the API answers and takes the token; throws with a plain message if not. */
    void check() throws InterruptedException {
        HttpResponse<String> r = send("GET", "/api/facilities/" + DemoData.FACILITY);
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new IllegalStateException("the admin API at " + base + " refused the token (" + r.statusCode() + ")");
        }
        if (r.statusCode() == 404) {
            throw new IllegalStateException("the switch at " + base + " has no demo facility '" + DemoData.FACILITY
                    + "' (it loads it only on the embedded default)");
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the admin API at " + base + " answered " + r.statusCode());
        }
    }

    private HttpResponse<String> send(String method, String path) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the admin API at " + base + ": " + e, e);
        }
    }

    @Override
    public String describe() {
        return "the admin API at " + base;
    }

    @Override
    public void close() {
        http.close();
    }
}
