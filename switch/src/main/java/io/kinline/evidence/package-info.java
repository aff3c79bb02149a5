/**
 * Recordings as evidence: each closed recording is hashed into its call record and into a signed (Ed25519),
 * hash-chained daily manifest; the signing key and the recordings' key-encryption key live in
 * {@code <dataDir>/secrets}; {@link io.kinline.evidence.Verifier} ({@code kinline verify}) checks every
 * recording against its record and the manifests. See docs/EVIDENCE.md.
 */
package io.kinline.evidence;
