package io.kinline.sip.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The server side TLS of the SIP listeners: TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1; a client that
 * offers nothing newer fails the handshake with {@code protocol_version}), the JDK's provider, the certificate and
 * key from PEM files. Client certificates are not asked for: gateways and tablets authenticate with SIP digest or
 * the gateway allow-list, as over TCP.
 */
public final class TlsContexts {
    /** The protocol versions offered, newest first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** A server context for {@code certificate} (PEM chain, leaf first) and {@code privateKey} (PEM, PKCS#8). */
    public static SslContext server(Path certificate, Path privateKey) {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .clientAuth(ClientAuth.NONE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot use the SIP TLS certificate " + certificate + " with key "
                    + privateKey + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 fingerprint of the leaf certificate in {@code pem}, as {@code AB:CD:...} (what browsers show). */
    public static String fingerprint(Path pem) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf(pem).getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the certificate " + pem + ": " + e.getMessage(), e);
        }
    }

    /** When the leaf certificate in {@code pem} expires (its notAfter), for the expiry metric and alert. */
    public static java.time.Instant notAfter(Path pem) {
        return leaf(pem).getNotAfter().toInstant();
    }

    private static X509Certificate leaf(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot read the certificate " + pem + ": " + e.getMessage(), e);
        }
    }
}
