package io.kinline.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Our DTLS 1.2 server for DTLS-SRTP: requires a client certificate (RFC 5763 §5: both sides
 * authenticate by fingerprint) and {@code use_srtp}, and exports the SRTP keys when done.
 */
final class SrtpDtlsServer extends DefaultTlsServer {

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final List<Fingerprint> expected;
    private final int timeoutMillis;
    private Fingerprint peer;
    volatile DtlsSrtpKeys keys;
    volatile String alert;

    SrtpDtlsServer(BcTlsCrypto crypto, DtlsCertificate certificate, List<Fingerprint> expected, int timeoutMillis) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.expected = expected;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(crypto, DtlsSrtpPolicy.CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return timeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return DtlsSrtpPolicy.signer(context, crypto, certificate);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's API is raw
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        DtlsSrtpPolicy.requireSrtpProfile(clientExtensions, false);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's API is raw
    public Hashtable getServerExtensions() throws IOException {
        return DtlsSrtpPolicy.withUseSrtp(super.getServerExtensions());
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        peer = DtlsSrtpPolicy.checkPeer(clientCertificate, expected);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsSrtpKeys.export(context, DtlsRole.SERVER, peer);
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        alert = DtlsSrtpPolicy.alert("sent", description, message);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        alert = DtlsSrtpPolicy.alert("received", description, null);
    }
}
