package io.kinline.admin;

import io.kinline.admin.http.RangedContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the admin API reads recordings: {@code GET /api/recordings/{callId}} serves a recording's WAV (an
 * encrypted recording decrypted) with its digest, and {@code GET /api/evidence/public-key} the key that signs
 * the evidence manifests. {@code KinlineSwitch} wires {@code io.kinline.evidence.EvidenceRecordings}; without it
 * recordings are plain files and there is no public key.
 */
public interface RecordingAccess {

    /** The recording's WAV; {@link java.nio.file.NoSuchFileException} when the file is gone. */
    RangedContent open(Path file) throws IOException;

    /** Hex SHA-256 of what {@link #open} serves, for a recording whose record carries no sealed digest. */
    String sha256(Path file) throws IOException;

    /** PEM of the public key that checks the manifests' signatures, or null when there is none. */
    String publicKeyPem();

    /** Plain files, no signing key. */
    static RecordingAccess plainFiles() {
        return new RecordingAccess() {
            @Override
            public RangedContent open(Path file) throws IOException {
                return RangedContent.file(file);
            }

            @Override
            public String sha256(Path file) throws IOException {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                        MessageDigest.getInstance("SHA-256"))) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                    return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public String publicKeyPem() {
                return null;
            }
        };
    }
}
