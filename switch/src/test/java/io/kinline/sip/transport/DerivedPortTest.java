package io.kinline.sip.transport;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.sip.SecureTransports;
import io.kinline.sip.SipServer;
import io.kinline.sip.SipTestSupport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and WSS ports derived from {@code sip.port} (+1, +2) give way to a free port when taken (tests that pick a
 * free SIP port must not fail on its neighbours); a configured port that is taken stops the start.
 */
class DerivedPortTest {
    @TempDir
    Path dir;

    @Test
    void aTakenDerivedPortGivesWayAndAConfiguredOneDoesNot() throws Exception {
        Path[] pair = TlsTestSupport.certificate(dir);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (SipServer sip = new SipServer(SipTestSupport.config().udpPort(-1).tcpPort(-1)
                    .secure(SecureTransports.of(port, port, -1, pair[0], pair[1]).withPortsDerived(true)).build(),
                    null)) {
                sip.start();
                assertNotEquals(port, sip.tlsAddress().getPort());
                assertNotEquals(port, sip.wssAddress().getPort());
            }
            SipServer strict = new SipServer(SipTestSupport.config().udpPort(-1).tcpPort(-1)
                    .secure(SecureTransports.of(port, -1, -1, pair[0], pair[1])).build(), null);
            IllegalStateException e = assertThrows(IllegalStateException.class, strict::start);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
