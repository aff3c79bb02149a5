package io.kinline.evidence;

/**
 * What a recording hashes to.
 *
 * @param bytes      size of its WAV
 * @param sha256     hex SHA-256 of its WAV (the plain file itself, or an encrypted file's decrypted WAV)
 * @param fileBytes  size of the file as stored
 * @param fileSha256 hex SHA-256 of the file as stored
 * @param encrypted  whether it is encrypted at rest
 */
public record RecordingDigest(long bytes, String sha256, long fileBytes, String fileSha256, boolean encrypted) {
}
