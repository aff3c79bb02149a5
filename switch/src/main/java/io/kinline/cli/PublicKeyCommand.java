package io.kinline.cli;

import io.kinline.config.KinlineConfig;
import io.kinline.evidence.Evidence;
import io.kinline.evidence.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the public key that checks the evidence manifests' signatures. */
@Command(name = "public-key", mixinStandardHelpOptions = true,
        description = "Print the Ed25519 public key (PEM) that checks the signatures of the evidence manifests. "
                + "Keep a copy away from the switch: `kinline verify --public-key FILE` and `openssl pkeyutl -verify` use it.")
final class PublicKeyCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "the switch's configuration (for its data directory)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default: the configuration's, ./kinline-data)")
    Path dataDir;

    @Override
    public Integer call() {
        try {
            KinlineConfig cfg = RunCommand.load(config, dataDir, null, null, null);
            Path dir = Path.of(cfg.store.dataDir).toAbsolutePath().normalize();
            SigningKey.PublicKey key = Evidence.existing(dir, dir.resolve("recordings")).signingKey().orElse(null);
            if (key == null) {
                System.err.println("kinline public-key: " + dir + " has no evidence signing key yet (the switch makes it on first start)");
                return 2;
            }
            System.out.print(key.pem());
            System.out.flush();
            return 0;
        } catch (KinlineConfig.ConfigException | IllegalArgumentException | IOException e) {
            System.err.println("kinline public-key: " + e.getMessage());
            return 2;
        }
    }
}
