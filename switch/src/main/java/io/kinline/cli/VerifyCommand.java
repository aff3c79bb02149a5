package io.kinline.cli;

import io.kinline.config.KinlineConfig;
import io.kinline.evidence.Evidence;
import io.kinline.evidence.SigningKey;
import io.kinline.evidence.Verifier;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks every recording against its call record and the signed manifest chain. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every recording against its call record and the signed, hash-chained manifests: "
                + "prints each mismatch (MISSING, ALTERED, EXTRA, UNSIGNED) and exits 1 if there is any, 0 if none, "
                + "2 if the check could not run.",
                "On the embedded H2 database, stop the switch first (the database is locked while it runs)."})
final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "the switch's configuration (for its data directory and database)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default: the configuration's, ./kinline-data)")
    Path dataDir;

    @Option(names = "--from", paramLabel = "DATE", description = "first UTC day to check, YYYY-MM-DD (default: the first with recordings)")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "last UTC day to check, YYYY-MM-DD (default: today)")
    LocalDate to;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "check signatures with this PEM public key (one you exported and kept) instead of the data directory's")
    Path publicKey;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        KinlineConfig cfg;
        try {
            cfg = RunCommand.load(config, dataDir, null, null, null);
        } catch (KinlineConfig.ConfigException | IllegalArgumentException e) {
            System.err.println("kinline verify: " + e.getMessage());
            return 2;
        }
        if (from != null && to != null && to.isBefore(from)) {
            System.err.println("kinline verify: --to is before --from");
            return 2;
        }
        Path dir = Path.of(cfg.store.dataDir).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            System.err.println("kinline verify: no data directory " + dir);
            return 2;
        }
        try {
            // A node seals the recordings under its own id in the (shared) recordings directory.
            Path recordings = io.kinline.KinlineSwitch.recordingsDir(cfg, dir);
            Evidence evidence = Evidence.existing(dir, io.kinline.cluster.NodeIdentity.read(dir)
                    .map(recordings::resolve).orElse(recordings));
            SigningKey.PublicKey key = publicKey != null ? SigningKey.PublicKey.fromPem(Files.readString(publicKey))
                    : evidence.signingKey().orElse(null);
            if (key == null) {
                System.err.println("kinline verify: " + dir + " has no evidence signing key (and no --public-key given)");
                return 2;
            }
            StoreConfig sc = cfg.store.jdbcUrl == null ? StoreConfig.embedded(dir)
                    : StoreConfig.postgres(dir, cfg.store.jdbcUrl, cfg.store.username, cfg.store.password);
            try (Store store = openStore(sc)) {
                if (store == null) {
                    return 2;
                }
                Verifier.Report r = new Verifier(store, evidence, key).verify(from, to, out::println);
                out.printf("%s: %d days, %d call records with recordings, %d files, %d manifest lines; "
                                + "public key %s; %s%n", r.mismatches() == 0 ? "OK" : "FAILED", r.days(), r.records(),
                        r.files(), r.manifestLines(), key.fingerprint().substring(0, 16),
                        r.mismatches() == 0 ? "no mismatches" : r.mismatches() + " mismatches");
                return r.mismatches() == 0 ? 0 : 1;
            }
        } catch (IOException e) {
            System.err.println("kinline verify: " + e.getMessage());
            return 2;
        }
    }

    private static Store openStore(StoreConfig sc) {
        try {
            return Store.open(sc.withPoolSize(2));
        } catch (RuntimeException e) {
            String m = RunCommand.rootMessage(e);
            System.err.println("kinline verify: cannot open the database: " + m
                    + (m != null && m.contains("already in use")
                    ? " (the embedded database is locked while the switch runs: stop it first, or use PostgreSQL)" : ""));
            return null;
        }
    }
}
