package io.kinline.tests.sipp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the SIPp binary ({@code /usr/bin/sipp}, or {@code $SIPP}) with a scenario file, bounded by a
 * hard timeout (the process tree is killed on expiry), and reads the outcome from its exit code and
 * its statistics file ({@code -trace_stat -stf}).
 *
 * <pre>{@code
 * SippResult r = Sipp.scenario(Path.of("tests/sipp/uac-basic.xml"))
 *         .remote("127.0.0.1:5060").localPort(0).calls(10).rate(5)
 *         .key("service", "15551234567").timeout(Duration.ofSeconds(30))
 *         .run();
 * assertEquals(10, r.successful());
 * }</pre>
 *
 * SIPp exit codes: 0 all calls succeeded, 1 at least one failed, 97 stopped by command,
 * 99 normal exit without calls processed, 255 (-1) fatal error, 254 (-2) fatal error binding a socket.
 */
public final class Sipp {

    private static final Logger log = LoggerFactory.getLogger(Sipp.class);

    private final Path scenario;
    private String remote;
    private String localIp = "127.0.0.1";
    private int localPort = -1;
    private int mediaPort = -1;
    private String transport = "u1";
    private int calls = 1;
    private double rate = -1;
    private int ratePeriodMs = -1;
    private int limit = -1;
    private Duration timeout = Duration.ofSeconds(60);
    private boolean timeoutError = true;
    private long callTimeoutMs = -1;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, String> sets = new LinkedHashMap<>();
    private final List<String> extra = new ArrayList<>();
    private Path workDir;
    private boolean traceErr = true;
    private boolean traceScreen = true;
    private boolean traceRtt;
    private String service;

    private Sipp(Path scenario) {
        this.scenario = scenario;
    }

    public static Sipp scenario(Path scenarioFile) {
        return new Sipp(scenarioFile);
    }

    /** The binary: $SIPP or /usr/bin/sipp. */
    public static Path binary() {
        String env = System.getenv("SIPP");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/sipp");
    }

    /** Whether the SIPp binary exists and is executable. */
    public static boolean available() {
        return Files.isExecutable(binary());
    }

    /** Remote host:port (omit for a UAS). */
    public Sipp remote(String hostPort) { this.remote = hostPort; return this; }
    /** -i (default 127.0.0.1). */
    public Sipp localIp(String ip) { this.localIp = ip; return this; }
    /** -p; 0 lets SIPp choose (UAC); a UAS needs a fixed port. */
    public Sipp localPort(int p) { this.localPort = p; return this; }
    /** -mp: base media port (SIPp uses it for play_pcap_audio/rtp_stream and echo). */
    public Sipp mediaPort(int p) { this.mediaPort = p; return this; }
    /** -t: u1 (UDP, one socket; default), un (UDP, socket per call), t1, tn. */
    public Sipp transport(String t) { this.transport = t; return this; }
    /** -m: stop after this many calls. */
    public Sipp calls(int m) { this.calls = m; return this; }
    /** -r: calls per second (per -rp period). */
    public Sipp rate(double r) { this.rate = r; return this; }
    public Sipp ratePeriodMs(int ms) { this.ratePeriodMs = ms; return this; }
    /** -l: max simultaneous calls. */
    public Sipp limit(int l) { this.limit = l; return this; }
    /** Hard wall-clock bound: passed as -timeout and enforced by killing the process. */
    public Sipp timeout(Duration t) { this.timeout = t; return this; }
    /** -timeout_error: a global timeout counts as an error exit (default on). */
    public Sipp timeoutError(boolean on) { this.timeoutError = on; return this; }
    /** -d: default pause duration (ms) for pause elements without milliseconds. */
    public Sipp callTimeoutMs(long ms) { this.callTimeoutMs = ms; return this; }
    /** -key name value: [name] in the scenario. */
    public Sipp key(String name, String value) { keys.put(name, value); return this; }
    /** -set name value: initial value of a global scenario variable. */
    public Sipp set(String name, String value) { sets.put(name, value); return this; }
    /** -s: the [service] (user part of the request URI in the stock scenarios). */
    public Sipp service(String s) { this.service = s; return this; }
    /** Where SIPp runs and writes its traces (default: a fresh temporary directory). */
    public Sipp workDir(Path dir) { this.workDir = dir; return this; }
    /** Also write -trace_rtt (response-time CSV) for rtd timers. */
    public Sipp traceRtt(boolean on) { this.traceRtt = on; return this; }
    public Sipp traceScreen(boolean on) { this.traceScreen = on; return this; }
    public Sipp traceErr(boolean on) { this.traceErr = on; return this; }
    /** Any further raw arguments. */
    public Sipp arg(String... args) { extra.addAll(List.of(args)); return this; }

    /** The full command line. */
    public List<String> command(Path dir) {
        List<String> c = new ArrayList<>();
        c.add(binary().toString());
        if (remote != null) {
            c.add(remote);
        }
        c.addAll(List.of("-sf", scenario.toAbsolutePath().toString()));
        c.addAll(List.of("-i", localIp));
        if (localPort >= 0) {
            c.addAll(List.of("-p", String.valueOf(localPort)));
        }
        if (mediaPort > 0) {
            c.addAll(List.of("-mi", localIp, "-mp", String.valueOf(mediaPort)));
        }
        c.addAll(List.of("-t", transport));
        c.addAll(List.of("-m", String.valueOf(calls)));
        if (rate > 0) {
            c.addAll(List.of("-r", rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate)));
        }
        if (ratePeriodMs > 0) {
            c.addAll(List.of("-rp", String.valueOf(ratePeriodMs)));
        }
        if (limit > 0) {
            c.addAll(List.of("-l", String.valueOf(limit)));
        }
        if (callTimeoutMs > 0) {
            c.addAll(List.of("-d", String.valueOf(callTimeoutMs)));
        }
        if (service != null) {
            c.addAll(List.of("-s", service));
        }
        c.addAll(List.of("-timeout", Math.max(1, timeout.toSeconds()) + "s"));
        if (timeoutError) {
            c.add("-timeout_error");
        }
        c.add("-nostdin"); // default behaviours stay on: unexpected messages abort the call (counted as failed)
        c.addAll(List.of("-trace_stat", "-stf", dir.resolve("stat.csv").toString(), "-fd", "1"));
        if (traceErr) {
            c.addAll(List.of("-trace_err", "-error_file", dir.resolve("errors.log").toString()));
        }
        if (traceScreen) {
            c.addAll(List.of("-trace_screen", "-screen_file", dir.resolve("screen.log").toString()));
        }
        if (traceRtt) {
            c.addAll(List.of("-trace_rtt", "-rtt_freq", "1"));
        }
        keys.forEach((k, v) -> c.addAll(List.of("-key", k, v)));
        sets.forEach((k, v) -> c.addAll(List.of("-set", k, v)));
        c.addAll(extra);
        return c;
    }

    /** Starts SIPp in the background (e.g. a UAS); {@link SippProcess#await()} collects the result. */
    public SippProcess start() throws IOException {
        Path dir = (workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("sipp-")).toAbsolutePath();
        List<String> cmd = command(dir);
        log.info("starting {}", String.join(" ", cmd));
        // SIPp opens play_pcap_audio files relative to the scenario but rtp_stream files relative to
        // its working directory. Run it in <dir>/cwd with links <dir>/pcap and <dir>/cwd/pcap to the
        // scenarios' ../pcap, so that both "../pcap/..." and "pcap/..." paths work for both.
        Path cwd = dir;
        Path pcaps = scenario.toAbsolutePath().getParent().resolveSibling("pcap");
        if (Files.isDirectory(pcaps)) {
            cwd = Files.createDirectories(dir.resolve("cwd"));
            for (Path link : List.of(dir.resolve("pcap"), cwd.resolve("pcap"))) {
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, pcaps);
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new SippProcess(pb.start(), dir, timeout.plusSeconds(10));
    }

    /** Runs SIPp to completion (or kills it at the timeout) and returns the result. */
    public SippResult run() throws IOException {
        return start().await();
    }

    /** A running SIPp. */
    public static final class SippProcess implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final Duration hardLimit;

        SippProcess(Process p, Path dir, Duration hardLimit) {
            this.process = p;
            this.dir = dir;
            this.hardLimit = hardLimit;
        }

        public long pid() {
            return process.pid();
        }

        public Path workDir() {
            return dir;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits (bounded by the hard limit) for SIPp to exit; kills it if it doesn't. */
        public SippResult await() {
            boolean timedOut = false;
            try {
                if (!process.waitFor(hardLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                timedOut = true;
            }
            return SippResult.read(process.exitValue(), timedOut, dir);
        }

        /** SIGTERM, then SIGKILL (SIPp's children too) if it lingers. */
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    /**
     * Outcome of a run: exit code, the last statistics row, and the files in the work directory.
     */
    public record SippResult(int exitCode, boolean timedOut, long successful, long failed, long created,
                             Map<String, String> lastStats, Path workDir) {

        /** Exit code 0 and not killed. */
        public boolean passed() {
            return exitCode == 0 && !timedOut;
        }

        /** Stat column of the last row (e.g. "ResponseTime1(C)", "FailedCallRejected(C)"). */
        public String stat(String column) {
            return lastStats.get(column);
        }

        /** One line of SIPp's scenario screen: a message sent or received, and how many times. */
        public record MessageCount(boolean received, String message, long count) {
        }

        /** The per-message counters of the final scenario screen (-trace_screen), in scenario order. */
        public List<MessageCount> messageCounts() {
            List<MessageCount> out = new ArrayList<>();
            // UAS screens print "<---------- INVITE  1 ...", UAC screens "INVITE ---------->  1 ...";
            // an rtd marker such as "E-RTD1" may stand before the count.
            java.util.regex.Pattern arrowFirst = java.util.regex.Pattern.compile(
                    "^\\s*(<----------|---------->)\\s+(\\S+)\\s+(?:\\S*RTD\\S*\\s+)?(\\d+)");
            java.util.regex.Pattern labelFirst = java.util.regex.Pattern.compile(
                    "^\\s*(\\S+)\\s+(<----------|---------->)\\s+(?:\\S*RTD\\S*\\s+)?(\\d+)");
            for (String l : screen().split("\n")) {
                if (l.contains("Statistics Screen")) {
                    break; // only the scenario screen
                }
                java.util.regex.Matcher m = arrowFirst.matcher(l);
                if (m.find()) {
                    out.add(new MessageCount(m.group(1).startsWith("<"), m.group(2), Long.parseLong(m.group(3))));
                    continue;
                }
                m = labelFirst.matcher(l);
                if (m.find()) {
                    out.add(new MessageCount(m.group(2).startsWith("<"), m.group(1), Long.parseLong(m.group(3))));
                }
            }
            return out;
        }

        /** How many times messages labelled {@code message} (e.g. "503", "BYE") were received, over all lines. */
        public long receivedCount(String message) {
            return messageCounts().stream().filter(c -> c.received() && c.message().equals(message))
                    .mapToLong(MessageCount::count).sum();
        }

        public String errors() {
            return readQuietly(workDir.resolve("errors.log"));
        }

        public String screen() {
            return readQuietly(workDir.resolve("screen.log"));
        }

        public String stderr() {
            return readQuietly(workDir.resolve("stderr.log"));
        }

        @Override
        public String toString() {
            return "SIPp exit=" + exitCode + (timedOut ? " (killed)" : "") + " ok=" + successful + " failed=" + failed
                    + " created=" + created + " dir=" + workDir;
        }

        static SippResult read(int exit, boolean timedOut, Path dir) {
            Map<String, String> row = lastRow(dir.resolve("stat.csv"));
            return new SippResult(exit, timedOut, num(row.get("SuccessfulCall(C)")), num(row.get("FailedCall(C)")),
                    num(row.get("TotalCallCreated")), row, dir);
        }

        private static long num(String s) {
            if (s == null || s.isBlank()) {
                return -1;
            }
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Parses SIPp's ';'-separated stat file: header row, then one row per dump; returns the last. */
        static Map<String, String> lastRow(Path csv) {
            Map<String, String> m = new LinkedHashMap<>();
            if (!Files.exists(csv)) {
                return m;
            }
            try {
                List<String> lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
                String header = null;
                String last = null;
                for (String l : lines) {
                    if (l.isBlank()) {
                        continue;
                    }
                    if (header == null) {
                        header = l;
                    } else if (!l.startsWith("StartTime")) {
                        last = l;
                    }
                }
                if (header == null || last == null) {
                    return m;
                }
                String[] h = header.split(";");
                String[] v = last.split(";");
                for (int i = 0; i < h.length && i < v.length; i++) {
                    m.put(h[i].trim(), v[i].trim());
                }
            } catch (IOException e) {
                log.warn("cannot read {}", csv, e);
            }
            return m;
        }

        private static String readQuietly(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
            } catch (IOException e) {
                return "";
            }
        }
    }
}
