package io.kinline.media.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The switch's DTLS identity: a self-signed ECDSA P-256 certificate, as browsers make for
 * themselves. Nobody checks it against a CA: the peer checks its SHA-256 {@link #fingerprint()},
 * which travels in the SDP over the already authenticated signalling (RFC 5763 §5, RFC 8827 §6.5).
 *
 * <p>Generate one at start (a few milliseconds) and use it for every leg; ECDHE gives each
 * handshake fresh keys, so sharing the certificate does not link calls' keys. Immutable.
 */
public final class DtlsCertificate {

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final Fingerprint fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = Fingerprint.sha256(der);
    }

    /** A fresh key pair and a certificate for {@code CN=kinline} valid from a day ago for {@code validity}. */
    public static DtlsCertificate generate(SecureRandom random, Duration validity) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=kinline");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, random).setBit(0), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(validity)), name, kp.getPublic());
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
            return new DtlsCertificate(der, PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("EC P-256 and SHA256withECDSA are part of every JDK", e);
        }
    }

    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Duration.ofDays(365));
    }

    /** The certificate in DER. */
    public byte[] der() {
        return der.clone();
    }

    /** What goes in {@code a=fingerprint:} of our SDP. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    Certificate tlsCertificate(BcTlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }
}
