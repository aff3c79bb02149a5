package io.kinline.cli;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import io.kinline.store.Store;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --data-dir} of the commands that open a node's store without running the node. */
final class StoreOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "the node's configuration (its store.jdbcUrl)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the node's data directory (default ./kinline-data)")
    Path dataDir;

    KinlineConfig load() throws KinlineConfig.ConfigException {
        return RunCommand.load(config, dataDir, null, null, null);
    }

    static Path dataDir(KinlineConfig cfg) {
        return Path.of(cfg.store.dataDir).toAbsolutePath().normalize();
    }

    /** The node's store with a small pool and no node id (a tool's rows name no node). */
    static Store open(KinlineConfig cfg) {
        return Store.open(KinlineSwitch.storeConfig(cfg, dataDir(cfg)).withPoolSize(2));
    }
}
