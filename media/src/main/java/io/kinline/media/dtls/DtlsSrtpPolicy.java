package io.kinline.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** What our DTLS client and server share: suites, {@code use_srtp}, our credentials, the peer check. */
final class DtlsSrtpPolicy {

    /** ECDHE with our ECDSA certificate: forward secrecy, and what Chrome, Firefox and Safari offer. */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    /** Largest DTLS datagram we send: below every path MTU a tablet's Wi-Fi (and VPN) is likely to have. */
    static final int SEND_LIMIT = 1200;

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            new SignatureAndHashAlgorithm(org.bouncycastle.tls.HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.ecdsa);

    private DtlsSrtpPolicy() {
    }

    static UseSRTPData useSrtp() {
        return new UseSRTPData(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES);
    }

    @SuppressWarnings("unchecked") // BouncyCastle's API is raw
    static Hashtable<Integer, byte[]> withUseSrtp(Hashtable<Integer, byte[]> extensions) throws IOException {
        Hashtable<Integer, byte[]> ext = TlsExtensionsUtils.ensureExtensionsInitialised(extensions);
        TlsSRTPUtils.addUseSRTPExtension(ext, useSrtp());
        return ext;
    }

    /** The peer's {@code use_srtp} must include SRTP_AES128_CM_HMAC_SHA1_80, without an MKI. */
    static void requireSrtpProfile(Hashtable<?, ?> peerExtensions, boolean exactlyOne) throws IOException {
        UseSRTPData d = TlsSRTPUtils.getUseSRTPExtension(peerExtensions);
        if (d == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no use_srtp extension: not DTLS-SRTP");
        }
        int[] p = d.getProtectionProfiles();
        boolean ours = false;
        for (int v : p) {
            ours |= v == SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
        }
        if (!ours || (exactlyOne && p.length != 1)) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
        }
        if (exactlyOne && d.getMki().length != 0) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "an SRTP MKI is not supported");
        }
    }

    /** Refuses a peer without a certificate or whose certificate does not match the SDP fingerprint. */
    static Fingerprint checkPeer(Certificate certificate, List<Fingerprint> expected) throws IOException {
        if (certificate == null || certificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required, "the peer sent no certificate");
        }
        byte[] der = certificate.getCertificateAt(0).getEncoded();
        if (!Fingerprint.verify(expected, der)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate does not match a=fingerprint");
        }
        return Fingerprint.sha256(der);
    }

    /** How an alert is reported in a {@link DtlsException}: "sent bad_certificate(42): why". */
    static String alert(String direction, short description, String message) {
        return direction + " " + AlertDescription.getText(description) + (message == null ? "" : ": " + message);
    }

    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate cert) throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, cert.privateKey(),
                cert.tlsCertificate(crypto), ECDSA_SHA256);
    }
}
