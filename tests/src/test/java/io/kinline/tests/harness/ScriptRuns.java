package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the tests that run a script (tests/load/run.sh, tests/cluster/run.sh) share: a missing tool fails the test
 * under CI=true and skips it elsewhere, and a block of free loopback ports for the script's fixed offsets.
 */
public final class ScriptRuns {

    private ScriptRuns() {
    }

    /** Fails (CI) or skips (elsewhere) with {@code message} unless {@code present}. */
    public static void requireTool(boolean present, String message) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(false, message + ": skipping");
    }

    /** Whether an executable {@code tool} is on the PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A base port in [{@code from}, {@code to}) (steps of 100, starting at a place that depends on this process)
     * whose {@code base + offset} ports are all free on loopback, UDP and TCP.
     */
    public static int freeBase(int from, int to, int... offsets) throws IOException {
        int span = Math.max(1, (to - from) / 100);
        for (int i = 0; i < span; i++) {
            int base = from + (int) ((ProcessHandle.current().pid() + i) % span) * 100;
            boolean all = true;
            for (int off : offsets) {
                all &= free(base + off);
            }
            if (all) {
                return base;
            }
        }
        throw new IOException("no free port block in " + from + "-" + to);
    }

    /** Whether {@code port} is free on loopback, for UDP and TCP. */
    public static boolean free(int port) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, port));
             ServerSocket t = new ServerSocket(port, 1, lo)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
