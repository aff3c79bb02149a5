package io.kinline.evidence;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The Ed25519 key (BouncyCastle) that signs every line of the evidence manifests. The private key lives in
 * {@code <dataDir>/secrets/evidence-signing-key.pem} (PKCS#8 PEM, mode 600), created on first start; the
 * public key is exported as a standard SubjectPublicKeyInfo PEM ({@code kinline public-key},
 * {@code GET /api/evidence/public-key}), which {@code openssl pkeyutl -verify} reads.
 */
public final class SigningKey {

    static final String FILE = "evidence-signing-key.pem";

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;

    private SigningKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new PublicKey(privateKey.generatePublicKey());
    }

    /** The key in the secrets directory, if there is one (tools never make a key). */
    static java.util.Optional<SigningKey> load(Path secretsDir) throws IOException {
        if (!java.nio.file.Files.exists(secretsDir.resolve(FILE))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(loadOrCreate(secretsDir));
    }

    /** Loads the key from the secrets directory, creating it on first use. */
    static SigningKey loadOrCreate(Path secretsDir) throws IOException {
        byte[] pem = SecretFiles.readOrCreate(secretsDir, FILE, () -> {
            Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(new SecureRandom());
            try {
                return pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(k).getEncoded())
                        .getBytes(StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AsymmetricKeyParameter k = PrivateKeyFactory.createKey(der(new String(pem, StandardCharsets.US_ASCII),
                "PRIVATE KEY"));
        if (!(k instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IOException(secretsDir.resolve(FILE) + " is not an Ed25519 private key");
        }
        return new SigningKey(ed);
    }

    /** The Ed25519 signature (64 bytes) of {@code message}. */
    byte[] sign(byte[] message) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, privateKey);
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** An Ed25519 public key that checks manifest signatures. */
    public static final class PublicKey {
        private final Ed25519PublicKeyParameters key;
        private final String pem;
        private final String fingerprint;

        PublicKey(Ed25519PublicKeyParameters key) {
            this.key = key;
            try {
                byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
                this.pem = SigningKey.pem("PUBLIC KEY", spki);
                this.fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Reads a {@code -----BEGIN PUBLIC KEY-----} PEM (as exported, or by {@code openssl pkey -pubout}). */
        public static PublicKey fromPem(String pem) throws IOException {
            AsymmetricKeyParameter k = PublicKeyFactory.createKey(der(pem, "PUBLIC KEY"));
            if (!(k instanceof Ed25519PublicKeyParameters ed)) {
                throw new IOException("not an Ed25519 public key");
            }
            return new PublicKey(ed);
        }

        /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
        public boolean verifies(byte[] message, byte[] signature) {
            if (signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
                return false;
            }
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, key);
            s.update(message, 0, message.length);
            return s.verifySignature(signature);
        }

        /** SubjectPublicKeyInfo PEM. */
        public String pem() {
            return pem;
        }

        /**
         * Hex SHA-256 of the key's DER SubjectPublicKeyInfo, named in every manifest line:
         * {@code openssl pkey -pubin -in key.pem -outform DER | sha256sum}.
         */
        public String fingerprint() {
            return fingerprint;
        }
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    private static byte[] der(String pem, String type) throws IOException {
        try (PemReader r = new PemReader(new StringReader(pem))) {
            PemObject o = r.readPemObject();
            if (o == null || !type.equals(o.getType())) {
                throw new IOException("expected a PEM " + type);
            }
            return o.getContent();
        }
    }
}
