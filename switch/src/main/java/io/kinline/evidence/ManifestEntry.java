package io.kinline.evidence;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One sealed recording as a manifest line states it (docs/EVIDENCE.md has the exact format).
 *
 * @param day        the UTC day of the manifest file the line belongs to
 * @param seq        the line's number in that file, from 1
 * @param at         when the recording was sealed
 * @param callId     the call record's id
 * @param path       the recording file, relative to the recordings directory
 * @param bytes      size of the recording's WAV (what the admin API serves)
 * @param sha256     hex SHA-256 of that WAV: the call record's {@code recordingSha256}
 * @param fileBytes  size of the file as stored
 * @param fileSha256 hex SHA-256 of the file as stored ({@code sha256sum FILE}); equal to {@code sha256} unless
 *                   the file is encrypted
 * @param encrypted  whether the file is encrypted at rest
 * @param key        fingerprint of the signing key (hex SHA-256 of its DER SubjectPublicKeyInfo)
 * @param prev       hex SHA-256 of the previous line (64 zeros before the first)
 */
public record ManifestEntry(LocalDate day, long seq, Instant at, String callId, String path, long bytes, String sha256,
                            long fileBytes, String fileSha256, boolean encrypted, String key, String prev) {

    /** The format version written in every line ({@code "v":1}). */
    public static final int VERSION = 1;
}
