package io.kinline.sip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Shared test helpers: small timers, generous waits. */
public final class SipTestSupport {
    public static final long WAIT = 10_000;
    public static final String SDP_GW = "v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=sendrecv\r\n";
    public static final String SDP_TRUNK = SDP_GW.replace("30000", "31000").replace("o=gw", "o=trunk");

    private SipTestSupport() {
    }

    public static SipConfig.Builder config() {
        return SipConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .udpPort(0)
                .tcpPort(0)
                .t1(Duration.ofMillis(50))
                .t2(Duration.ofMillis(400))
                .t4(Duration.ofMillis(500))
                .ioThreads(2);
    }

    public static SipConfig.Builder config(InetSocketAddress trunk, String transport) {
        return config().trunk(trunk).trunkTransport(transport);
    }

    /** Polls until the condition holds, failing after {@code millis}. */
    public static void await(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    public static InetSocketAddress target(SipServer sip, String transport) {
        return "tcp".equals(transport) ? sip.tcpAddress() : sip.udpAddress();
    }
}
