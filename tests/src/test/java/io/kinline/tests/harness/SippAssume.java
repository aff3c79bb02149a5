package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.tests.sipp.Sipp;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** SIPp presence policy: missing SIPp fails under CI=true, skips elsewhere. Plus free-port helper. */
final class SippAssume {

    private SippAssume() {
    }

    static void sippAvailable() {
        if (Sipp.available()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("SIPp not found at " + Sipp.binary() + " (install the Debian package sip-tester)");
        }
        assumeTrue(false, "SIPp not installed: skipping");
    }

    /** Waits until something (the SIPp UAS) has bound UDP {@code port} on 127.0.0.1. */
    static void awaitBound(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                // still free: SIPp not up yet
            } catch (IOException bound) {
                Thread.sleep(100); // give it a moment to enter its receive loop
                return;
            }
            Thread.sleep(50);
        }
        fail("nothing bound UDP port " + port + " within 10 s");
    }

    /** A free UDP port on 127.0.0.1 (even, so SIPp's media port pairs line up). */
    static int freeUdpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int p = s.getLocalPort();
                if (p % 2 == 0 && p < 65000) {
                    try (DatagramSocket s2 = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 2))) {
                        return p;
                    } catch (IOException busy) {
                        // try again
                    }
                }
            }
        }
        throw new IOException("no free port");
    }
}
