package io.kinline.sip.transport;

import io.kinline.SipTlsCertificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** Certificates for the secure transport tests: the switch's self-signed pair, and a client trusting a PEM. */
final class TlsTestSupport {
    private TlsTestSupport() {
    }

    /** {certificate, key} made the way the embedded default makes them. */
    static Path[] certificate(Path dir) throws Exception {
        return SipTlsCertificate.ensure(dir.resolve("secrets"), null);
    }

    /** A TLS client context that trusts exactly {@code pem} (pinning, as a client of the embedded default does). */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("switch", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
