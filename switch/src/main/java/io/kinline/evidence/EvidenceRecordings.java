package io.kinline.evidence;

import io.kinline.admin.RecordingAccess;
import io.kinline.admin.http.RangedContent;
import io.kinline.media.record.EncryptedRecordingReader;
import io.kinline.media.record.RecordingCipher;
import java.io.IOException;
import java.nio.file.Path;

/** The admin API's access to recordings: encrypted ones decrypted (byte ranges included), and the public key. */
public final class EvidenceRecordings implements RecordingAccess {

    private final Evidence evidence;

    public EvidenceRecordings(Evidence evidence) {
        this.evidence = evidence;
    }

    @Override
    public RangedContent open(Path file) throws IOException {
        if (!RecordingCipher.isEncrypted(file)) {
            return RangedContent.file(file);
        }
        RecordingCipher cipher = evidence.cipher().orElseThrow(
                () -> new IOException(file + " is encrypted and this data directory has no recording key"));
        EncryptedRecordingReader r = cipher.open(file);
        return RangedContent.stream(r.wavSize(), r::wav, r);
    }

    @Override
    public String sha256(Path file) throws IOException {
        return evidence.digest(file).sha256();
    }

    @Override
    public String publicKeyPem() {
        return evidence.publicKey().pem();
    }
}
