package io.kinline.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real switch ({@code java -jar switch/target/kinline.jar run}) as a child process on free loopback
 * ports, with its admin API. {@link #kill()} is SIGKILL ({@link Process#destroyForcibly()}): no shutdown
 * hook, no finally block, no flush runs in the child.
 */
final class SwitchProcess implements AutoCloseable {

    /** The tests module runs with its own directory as the working directory (surefire default). */
    static final Path JAR = Path.of("..", "switch", "target", "kinline.jar").toAbsolutePath().normalize();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path dataDir;
    final int sipPort;
    final int adminPort;
    final Path log;
    private final Process process;
    private String token;

    private SwitchProcess(Path dataDir, int sipPort, int adminPort, Path log, Process process) {
        this.dataDir = dataDir;
        this.sipPort = sipPort;
        this.adminPort = adminPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Runs {@code java -jar kinline.jar ARGS} (a CLI command such as {@code verify}) to its end; returns its exit
     * code and everything it printed.
     */
    static CliResult cli(Path logDir, String... args) throws IOException, InterruptedException {
        requireJar();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kinline " + String.join(" ", args) + " did not finish in 120 s:\n" + out);
        }
        Files.writeString(logDir.resolve("cli-" + args[0] + ".log"), out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new CliResult(p.exitValue(), out);
    }

    record CliResult(int exit, String output) {
    }

    /** {@code target/crash-logs/<test method>}: where a test's switch and CLI logs go (kept after the test). */
    static Path logDir(org.junit.jupiter.api.TestInfo info) throws IOException {
        return Files.createDirectories(Path.of("target", "crash-logs",
                info.getTestMethod().orElseThrow().getName()).toAbsolutePath());
    }

    /** Fails with a clear message when the jar has not been built (it is made in the switch's package phase). */
    static void requireJar() {
        String build = "`mvn -pl switch -am package -DskipTests` (mvn verify builds it before this module's tests)";
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("the switch jar " + JAR + " is missing: build it first with " + build);
        }
        // `mvn -pl tests -am test` compiles the switch but stops before its package phase: a jar older
        // than the switch's classes would test yesterday's code.
        Path classes = JAR.getParent().resolve("classes");
        if (Files.isDirectory(classes)) {
            try (var files = Files.walk(classes)) {
                long jarTime = Files.getLastModifiedTime(JAR).toMillis();
                Path newer = files.filter(f -> f.toString().endsWith(".class")).filter(f -> {
                    try {
                        return Files.getLastModifiedTime(f).toMillis() > jarTime + 2000;
                    } catch (IOException e) {
                        return false;
                    }
                }).findFirst().orElse(null);
                if (newer != null) {
                    throw new AssertionError("the switch jar " + JAR + " is older than " + newer
                            + ": rebuild it with " + build);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Starts the switch on {@code dataDir} with the trunk at 127.0.0.1:{@code trunkPort} and waits until
     * its admin API is healthy. {@code run} numbers the log file ({@code <logDir>/switch-<run>.log}).
     */
    static SwitchProcess start(Path dataDir, int trunkPort, Path logDir, int run) throws IOException, InterruptedException {
        return start(dataDir, trunkPort, logDir, run, List.of());
    }

    /** As above, with more arguments for {@code run} (e.g. {@code --config FILE}). */
    static SwitchProcess start(Path dataDir, int trunkPort, Path logDir, int run, List<String> extraArgs)
            throws IOException, InterruptedException {
        requireJar();
        int sipPort = freeUdpAndTcpPort();
        int adminPort = freeTcpPort();
        Path log = logDir.resolve("switch-" + run + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString(), "run",
                "--data-dir", dataDir.toString(),
                "--sip-port", Integer.toString(sipPort),
                "--admin-port", Integer.toString(adminPort),
                "--trunk", "127.0.0.1:" + trunkPort));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A test that fails before its kill must not leave a switch running after the test JVM (in CI it
        // would hold CPU and ports for the rest of the run).
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "kill-switch-" + p.pid()));
        SwitchProcess sw = new SwitchProcess(dataDir, sipPort, adminPort, log, p);
        try {
            sw.awaitHealthy(Duration.ofSeconds(90));
        } catch (RuntimeException | Error e) {
            sw.kill();
            throw e;
        }
        return sw;
    }

    private void awaitHealthy(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the switch exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/api/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the switch did not become healthy in " + bound + ":\n" + logTail());
    }

    String sipUri(String user) {
        return "sip:" + user + "@127.0.0.1:" + sipPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd stops the switch; waits for the process to exit and returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("switch pid " + process.pid() + " did not stop within 60 s of SIGTERM\n"
                    + logTail());
        }
        return process.exitValue();
    }

    /** SIGKILL, then wait until the process is gone (its H2 file lock with it). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("switch pid " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    // ---------------------------------------------------------------- admin API

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    private String token() {
        if (token == null) {
            try {
                token = Files.readString(dataDir.resolve("admin-token"), StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("no admin token in " + dataDir, e);
            }
        }
        return token;
    }

    /** GET with the admin token; returns status and parsed body (null when not JSON). */
    Response get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // leave null
            }
            return new Response(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PATCH with the admin token and a JSON body; fails unless 200. */
    void patchOk(String path, String json) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("PATCH " + path + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PATCH " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** DELETE with the admin token; returns the status. */
    int delete(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token()).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("DELETE " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits (30 s at most) for the record of the newest call whose inmate leg used SIP Call-ID {@code sip}. */
    JsonNode awaitCdrBySipCallId(String sip) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode found = getOk("/api/cdrs?sipCallId=" + java.net.URLEncoder.encode(sip,
                    StandardCharsets.UTF_8)).path("cdrs");
            if (found.size() > 0) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no record with sipCallId " + sip + "\n" + logTail());
    }

    /** GET of a binary resource (a recording) with the admin token. */
    HttpResponse<byte[]> getBytes(String path) {
        return getBytes(path, null);
    }

    /** GET of a binary resource with the admin token and, if not null, a Range header. */
    HttpResponse<byte[]> getBytes(String path, String range) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token());
            if (range != null) {
                b.header("Range", range);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode getOk(String path) {
        Response r = get(path);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.text());
        }
        return r.body();
    }

    record Response(int status, JsonNode body, String text) {
    }

    /**
     * The live call {@code id} from {@code GET /api/calls}, or null: {@code id} is the switch's call id, or the
     * inmate leg's SIP Call-ID ({@code sipCallId}; a live call is the only one with its Call-ID).
     */
    JsonNode liveCall(String id) {
        for (JsonNode c : getOk("/api/calls").path("calls")) {
            if (id.equals(c.path("callId").asText()) || id.equals(c.path("sipCallId").asText())) {
                return c;
            }
        }
        return null;
    }

    /** Every call record from {@code GET /api/cdrs}. */
    List<JsonNode> cdrs() {
        List<JsonNode> out = new ArrayList<>();
        getOk("/api/cdrs?limit=1000").path("cdrs").forEach(out::add);
        return out;
    }

    /** Waits (30 s at most) for the call record of {@code callId}. */
    JsonNode awaitCdr(String callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode c = cdr(callId);
            if (c != null) {
                return c;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no record for " + callId + "\n" + logTail());
    }

    /** The record of the switch's call {@code callId}, or null. */
    JsonNode cdr(String callId) {
        for (JsonNode c : cdrs()) {
            if (callId.equals(c.path("callId").asText())) {
                return c;
            }
        }
        return null;
    }

    JsonNode prepaid(String btn) {
        return getOk("/api/accounts/prepaid/" + btn);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ---------------------------------------------------------------- ports

    /** A port free for both UDP and TCP (SIP listens on both), below the ephemeral range when possible. */
    static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 200; i++) {
            int candidate = 12000 + (int) (Math.random() * 8000); // 12000-19999: below media 20000-29999
            try (DatagramSocket u = new DatagramSocket(candidate, InetAddress.getLoopbackAddress());
                 ServerSocket t = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free UDP+TCP port found");
    }

    static int freeTcpPort() throws IOException {
        for (int i = 0; i < 200; i++) {
            int candidate = 12000 + (int) (Math.random() * 8000);
            try (ServerSocket t = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free TCP port found");
    }
}
