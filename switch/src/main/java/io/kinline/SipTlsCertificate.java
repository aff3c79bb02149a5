package io.kinline;

import io.kinline.media.files.PrivateFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The embedded default's SIP TLS certificate: made at first start (ECDSA P-256, self-signed, names {@code localhost},
 * 127.0.0.1, ::1 and the advertised address) into {@code <dataDir>/secrets/sip-tls.key} (0600) and
 * {@code sip-tls.crt}, and reused after. A real deployment configures {@code sip.tls.certificate} and
 * {@code sip.tls.privateKey} instead; clients of the embedded default pin its fingerprint (printed at start).
 */
public final class SipTlsCertificate {
    static final String CERT = "sip-tls.crt";
    static final String KEY = "sip-tls.key";

    private SipTlsCertificate() {
    }

    /** The paths of the certificate and key in {@code secrets}, generated if either is missing. */
    public static Path[] ensure(Path secrets, String advertisedHost) throws IOException {
        PrivateFiles.directory(secrets);
        Path cert = secrets.resolve(CERT);
        Path key = secrets.resolve(KEY);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new Path[] {cert, key};
        }
        Files.deleteIfExists(cert); // half a pair from an interrupted start: make both again
        Files.deleteIfExists(key);
        String[] pem = generate(advertisedHost);
        try {
            PrivateFiles.writeNew(key, pem[1].getBytes(StandardCharsets.US_ASCII));
            PrivateFiles.writeNew(cert, pem[0].getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            // another process won the race; use its pair
        }
        return new Path[] {cert, key};
    }

    /** {certificate PEM, PKCS#8 key PEM}. */
    static String[] generate(String advertisedHost) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=Kinline SIP (self-signed)");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    name, kp.getPublic());
            GeneralName[] names = advertisedHost == null || advertisedHost.isBlank()
                    ? new GeneralName[] {dns("localhost"), ip("127.0.0.1"), ip("::1")}
                    : new GeneralName[] {dns("localhost"), ip("127.0.0.1"), ip("::1"), hostName(advertisedHost)};
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            return new String[] {pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", kp.getPrivate().getEncoded())};
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate the SIP TLS certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName hostName(String host) {
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        return literal ? ip(host) : dns(host);
    }

    private static GeneralName dns(String n) {
        return new GeneralName(GeneralName.dNSName, n);
    }

    private static GeneralName ip(String n) {
        return new GeneralName(GeneralName.iPAddress, n);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
