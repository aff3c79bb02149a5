package io.kinline.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** Our DTLS 1.2 client for DTLS-SRTP: offers {@code use_srtp}, checks the server by fingerprint. */
final class SrtpDtlsClient extends DefaultTlsClient {

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final List<Fingerprint> expected;
    private final int timeoutMillis;
    private Fingerprint peer;
    volatile DtlsSrtpKeys keys;
    volatile String alert;

    SrtpDtlsClient(BcTlsCrypto crypto, DtlsCertificate certificate, List<Fingerprint> expected, int timeoutMillis) {
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
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's API is raw
    public Hashtable getClientExtensions() throws IOException {
        return DtlsSrtpPolicy.withUseSrtp(super.getClientExtensions());
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's API is raw
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        DtlsSrtpPolicy.requireSrtpProfile(serverExtensions, true);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                peer = DtlsSrtpPolicy.checkPeer(serverCertificate.getCertificate(), expected);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsSrtpPolicy.signer(context, crypto, certificate);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsSrtpKeys.export(context, DtlsRole.CLIENT, peer);
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
