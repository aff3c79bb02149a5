package io.kinline.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.SecureTransports;
import io.kinline.sip.SipServer;
import io.kinline.sip.SipTestSupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS (RFC 3261 §26): a call from a client whose Contact cannot be dialled ({@code *.invalid}) gets its
 * BYE over the connection it opened; a client that does not trust the certificate, or offers only TLS 1.0/1.1,
 * gets no session; a handshake dripped a byte at a time is cut at the handshake deadline.
 */
class SipOverTlsTest {
    @TempDir
    Path dir;
    private Path[] pair;
    private SipServer sip;
    private final CompletableFuture<Dialog> dialog = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        pair = TlsTestSupport.certificate(dir);
        sip = new SipServer(SipTestSupport.config().udpPort(-1).tcpPort(-1)
                .secure(SecureTransports.of(0, -1, -1, pair[0], pair[1])
                        .withLimits(Duration.ofSeconds(1), 64 * 1024, Duration.ofSeconds(30)))
                .build(), call -> call.answer(SipText.SDP, new DialogListener() { })
                .thenAccept(dialog::complete));
        sip.start();
    }

    @AfterEach
    void stop() {
        sip.close();
    }

    private SSLSocket connect(SSLContext ctx) throws IOException {
        InetSocketAddress a = sip.tlsAddress();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", a.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void aCallOverTlsGetsItsByeOverTheSameConnection() throws Exception {
        try (SSLSocket s = connect(TlsTestSupport.trusting(pair[0]))) {
            s.startHandshake();
            assertTrue(s.getSession().getProtocol().equals("TLSv1.3"), s.getSession().getProtocol());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String port = Integer.toString(sip.tlsAddress().getPort());
            out.write(SipText.invite("TLS", "127.0.0.1:" + port, "tls-call-1", "a1")
                    .getBytes(StandardCharsets.US_ASCII));
            String ok;
            do {
                ok = SipText.read(in);
                assertNotNull(ok, "connection closed before the final response");
            } while (ok.startsWith("SIP/2.0 1"));
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            String contact = SipText.contactUri(ok);
            assertTrue(contact.contains("transport=tls"), "our Contact names TLS: " + contact);
            assertTrue(SipText.header(ok, "Via").startsWith("SIP/2.0/TLS"), ok);
            out.write(SipText.ack("TLS", contact, "tls-call-1", "a1", SipText.header(ok, "To"))
                    .getBytes(StandardCharsets.US_ASCII));

            Dialog d = dialog.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> bye = d.bye().toCompletableFuture();
            String req = SipText.read(in);
            assertNotNull(req, "no BYE on the client's connection");
            assertTrue(req.startsWith("BYE sip:1001@df7jal23ls0d.invalid"), req);
            assertTrue(SipText.header(req, "Via").startsWith("SIP/2.0/TLS"), req);
            out.write(SipText.ok(req).getBytes(StandardCharsets.US_ASCII));
            bye.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientTrustingAnotherCaIsRefused() throws Exception {
        Path[] other = TlsTestSupport.certificate(dir.resolve("other"));
        try (SSLSocket s = connect(TlsTestSupport.trusting(other[0]))) {
            assertThrows(SSLHandshakeException.class, s::startHandshake);
        }
    }

    @Test
    void tls11OnlyClientIsRefusedWithProtocolVersion() throws Exception {
        // OpenSSL as the old client: the JDK's own client no longer speaks TLS 1.1 at all.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) || System.getenv("CI") != null,
                "openssl not installed");
        for (String version : new String[] {"-tls1", "-tls1_1"}) {
            Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", version, "-cipher", "DEFAULT@SECLEVEL=0",
                    "-connect", "127.0.0.1:" + sip.tlsAddress().getPort(), "-servername", "localhost")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "openssl did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("alert protocol version") || out.contains("unsupported protocol")
                            || out.contains("no protocols available"), version + ": " + out);
            assertTrue(!out.contains("BEGIN CERTIFICATE"), version + " got the certificate: " + out);
        }
        // and the same OpenSSL with TLS 1.2 does get a session (the refusal is the version, not OpenSSL)
        Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", "-tls1_2",
                "-connect", "127.0.0.1:" + sip.tlsAddress().getPort()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("Protocol  : TLSv1.2") || out.contains("Protocol: TLSv1.2"), out);
    }

    @Test
    void aSlowlorisHandshakeIsCutAtTheDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", sip.tlsAddress().getPort())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            // the first bytes of a TLS record header (handshake, TLS 1.0 record version), then a byte at a time
            byte[] drip = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    out.write(drip[i % drip.length]);
                    out.flush();
                    closed = s.getInputStream().read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open: drip again
                } catch (IOException e) {
                    closed = true; // reset
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(closed, "a dripped handshake was still open after " + ms + " ms");
            assertTrue(ms < 5_000, "closed only after " + ms + " ms (deadline 1 s)");
        }
        assertEquals(0, sip.dialogCount());
    }
}
