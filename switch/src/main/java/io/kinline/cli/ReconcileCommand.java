package io.kinline.cli;

import io.kinline.KinlineSwitch;
import io.kinline.billing.Billing;
import io.kinline.billing.ReconcileReport;
import io.kinline.cluster.ClusterNodes;
import io.kinline.config.KinlineConfig;
import io.kinline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Finishes the calls of a node that is gone for good. A node reconciles its own calls when it starts; one that
 * never comes back (its machine and data directory lost) leaves its holds and start rows open, and only a
 * node with its id may close them. This does it, once, for that id.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Finish the calls a cluster node left open when it died and will not come back: holds "
                + "billed to the last heartbeat or released, a record for every call, recordings attached. "
                + "Never for a node that still runs (it reconciles its own calls when it starts).")
final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Option(names = "--node", required = true, paramLabel = "ID", description = "the id of the node that is gone")
    String node;

    @Option(names = "--force", description = "even though the node was seen running less than 20 s ago")
    boolean force;

    @Override
    public Integer call() throws Exception {
        KinlineConfig cfg;
        try {
            cfg = store.load();
        } catch (KinlineConfig.ConfigException e) {
            System.err.println("kinline reconcile: " + e.getMessage());
            return 2;
        }
        try (Store s = StoreOptions.open(cfg)) {
            ClusterNodes nodes = ClusterNodes.of(s);
            var known = nodes.node(node);
            Instant now = Instant.now();
            if (known.isPresent() && nodes.alive(known.get()) && !force) {
                System.err.println("kinline reconcile: node " + node + " is running (host " + known.get().host()
                        + ", seen " + Duration.between(known.get().seenAt(), now).toSeconds() + " s ago): stop it "
                        + "first; a running node's calls are alive");
                return 1;
            }
            if (known.isEmpty()) {
                System.out.println("node " + node + " never registered on this database; closing the rows that name it");
            }
            ReconcileReport report = Billing.create(s).reconcileNode(node);
            nodes.retire(node);
            System.out.printf("node %s: %d settled from their records, %d billed to their last heartbeat, %d released, "
                    + "%d recorded from their start, %d failed%n", node, report.settledFromRecord().size(),
                    report.billedFromHeartbeat().size(), report.released().size(), report.recordedFromStart().size(),
                    report.failed().size());
            if (!report.billedFromHeartbeat().isEmpty()) {
                // Sealing them takes the node's manifests and the cluster's signing key; a tool has neither.
                System.out.println("the recordings of its talking calls stay in "
                        + KinlineSwitch.recordingsDir(cfg, StoreOptions.dataDir(cfg)).resolve(node)
                        + ", unlinked from the records: a node started again with id " + node
                        + " and its data directory links and seals them");
            }
            return report.failed().isEmpty() ? 0 : 1;
        }
    }
}
