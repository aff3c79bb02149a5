package io.kinline.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The nodes that have run against this database ({@code cluster_node}), for the cluster registry
 * ({@code io.kinline.cluster.ClusterNodes}): who each is, where its admin API listens, when it was last seen.
 */
public interface Nodes {

    /** A node as registered: {@code dirId} is its data directory's random id (a restart keeps it). */
    record Node(String nodeId, String dirId, String host, String adminUrl, Instant startedAt, Instant seenAt,
                Instant stoppedAt) {

        /** Running: not stopped, and seen within {@code live} of {@code now}. */
        public boolean alive(Instant now, Duration live) {
            return stoppedAt == null && seenAt.isAfter(now.minus(live));
        }
    }

    /** The node's row, locked until the transaction ends ({@link Store#inTransaction}). */
    Optional<Node> lock(String nodeId);

    /**
     * Writes the row as given: inserted when the node is new, replaced otherwise (a restart, or a take-over).
     *
     * @throws ConflictException when another process inserted the same new id at the same instant
     */
    void put(Node node, boolean isNew);

    /** Touches the row of {@code nodeId} from {@code dirId}; returns false when another directory holds the id. */
    boolean seen(String nodeId, String dirId, Instant at);

    /** Marks the node stopped (a clean shutdown from {@code dirId}, or, with a null {@code dirId}, retired). */
    void stopped(String nodeId, String dirId, Instant at);

    /** Records where the other nodes reach this node's admin API. */
    void advertise(String nodeId, String dirId, String adminUrl);

    Optional<Node> get(String nodeId);

    List<Node> list();

    /** The node whose start row names the call: the node that carries it now, if it is in progress anywhere. */
    Optional<String> carrying(String callId);
}
