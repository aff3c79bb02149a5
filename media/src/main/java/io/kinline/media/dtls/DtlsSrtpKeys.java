package io.kinline.media.dtls;

import io.kinline.media.srtp.SrtpMasterKey;
import io.kinline.media.srtp.SrtpProfile;
import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpSender;
import java.util.Arrays;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.TlsContext;

/**
 * The SRTP master keys a DTLS-SRTP handshake produced (RFC 5764 §4.2): 60 bytes from the exporter
 * labelled {@code EXTRACTOR-dtls_srtp}, laid out as client key, server key, client salt, server salt.
 * The client sends with the client's key; the server with the server's.
 *
 * @param local        what we protect with
 * @param remote       what the peer protects with
 * @param peer         the peer certificate's SHA-256 fingerprint (it matched the SDP)
 * @param keyingMaterial the raw 60 bytes, for interoperability tests against other implementations
 */
public record DtlsSrtpKeys(SrtpMasterKey local, SrtpMasterKey remote, Fingerprint peer, byte[] keyingMaterial) {

    static final int LENGTH = 60;

    static DtlsSrtpKeys export(TlsContext context, DtlsRole role, Fingerprint peer) {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] km = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, LENGTH);
        int k = p.keyLength();
        int s = p.saltLength();
        SrtpMasterKey client = new SrtpMasterKey(p, Arrays.copyOfRange(km, 0, k), Arrays.copyOfRange(km, 2 * k, 2 * k + s));
        SrtpMasterKey server = new SrtpMasterKey(p, Arrays.copyOfRange(km, k, 2 * k),
                Arrays.copyOfRange(km, 2 * k + s, 2 * k + 2 * s));
        return role == DtlsRole.CLIENT ? new DtlsSrtpKeys(client, server, peer, km)
                : new DtlsSrtpKeys(server, client, peer, km);
    }

    /** A new sending context under {@link #local()}. */
    public SrtpSender sender() {
        return new SrtpSender(local);
    }

    /** A new receiving context under {@link #remote()}. */
    public SrtpReceiver receiver() {
        return new SrtpReceiver(remote);
    }

    @Override
    public byte[] keyingMaterial() {
        return keyingMaterial.clone();
    }

    @Override
    public String toString() {
        return "DtlsSrtpKeys[peer=" + peer + ", keys hidden]";
    }
}
