package io.kinline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import io.kinline.sip.transport.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default listens on SIP over TLS and WSS with the certificate it made at first start, and the
 * banner lists both listeners and the certificate's fingerprint the way it lists UDP and TCP.
 */
class SecureBannerTest {
    @TempDir
    Path data;

    @Test
    void theBannerListsTlsAndWssAndTheFingerprint() throws Exception {
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.port = 0;
        cfg.admin.port = 0;
        cfg.store.dataDir = data.toString();
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (KinlineSwitch node = new KinlineSwitch(cfg).start()) {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            try {
                RunCommand.printBanner(node);
            } finally {
                System.setOut(stdout);
            }
            String banner = buf.toString(StandardCharsets.UTF_8);
            Path cert = data.resolve("secrets/sip-tls.crt");
            assertTrue(banner.contains("  SIP (TLS)   127.0.0.1:" + node.sipTlsAddress().getPort() + "\n"), banner);
            assertTrue(banner.contains("  SIP (WSS)   127.0.0.1:" + node.sipWssAddress().getPort()), banner);
            assertTrue(banner.contains("  TLS cert    SHA-256 " + TlsContexts.fingerprint(cert)), banner);

            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                ks.setCertificateEntry("kinline", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            // "localhost" is in the certificate: a client that checks the host name accepts it
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost",
                    node.sipTlsAddress().getPort())) {
                var params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
                s.startHandshake();
                assertEquals("TLSv1.3", s.getSession().getProtocol());
            }
        }
    }
}
