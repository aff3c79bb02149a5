package io.kinline.media.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent native peers of the secure-media tests: libsrtp2 (through a small C program built
 * here with gcc) and the OpenSSL command line. Same policy as the SIP tests' {@code SippAssume}: a
 * missing tool skips the test on a developer's machine and fails it under {@code CI=true}, where
 * {@code .ci/run} installs {@code gcc libsrtp2-dev openssl}.
 */
public final class NativePeers {

    private static final Path SRTP_PEER_SOURCE = Path.of("src/test/c/srtp_peer.c");
    private static final Path SRTP_PEER = Path.of("target/native/srtp_peer");
    private static String srtpPeerProblem;
    private static boolean srtpPeerTried;

    private NativePeers() {
    }

    /** The built {@code srtp_peer} binary (compiled once per test JVM), or a skip/failure. */
    public static synchronized Path srtpPeer() {
        if (!srtpPeerTried) {
            srtpPeerTried = true;
            srtpPeerProblem = build();
        }
        require(srtpPeerProblem, "gcc and libsrtp2-dev");
        return SRTP_PEER.toAbsolutePath();
    }

    /** The {@code openssl} command, or a skip/failure. */
    public static String openssl() {
        String problem = Files.isExecutable(Path.of("/usr/bin/openssl")) ? null : "/usr/bin/openssl not found";
        require(problem, "openssl");
        return "/usr/bin/openssl";
    }

    private static void require(String problem, String packages) {
        if (problem == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(problem + " (install the Debian packages " + packages + ")");
        }
        assumeTrue(false, problem + ": skipping");
    }

    private static String build() {
        if (!Files.isExecutable(Path.of("/usr/bin/gcc"))) {
            return "/usr/bin/gcc not found";
        }
        if (!Files.exists(Path.of("/usr/include/srtp2/srtp.h"))) {
            return "/usr/include/srtp2/srtp.h not found";
        }
        try {
            Files.createDirectories(SRTP_PEER.getParent());
            Result r = run(List.of("/usr/bin/gcc", "-O2", "-Wall", "-o", SRTP_PEER.toString(),
                    SRTP_PEER_SOURCE.toString(), "-lsrtp2"), null, 60);
            return r.exit == 0 ? null : "gcc failed: " + r.output;
        } catch (IOException e) {
            return "gcc failed: " + e.getMessage();
        }
    }

    /** The exit code and combined output of a finished process. */
    public record Result(int exit, String output) {
    }

    /** Runs {@code command} with {@code stdin} (or nothing) as input, waiting at most {@code seconds}. */
    public static Result run(List<String> command, Path stdin, int seconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Path out = Files.createTempFile("native-peer", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
