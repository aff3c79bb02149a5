package io.kinline.cluster;

import io.kinline.store.ConflictException;
import io.kinline.store.Nodes;
import io.kinline.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a cluster, in the database they share ({@link Nodes}). A node registers before it reconciles
 * anything, touches its row every {@link #HEARTBEAT} while it runs, and marks it stopped when it closes.
 * Registration refuses an id whose row belongs to another data directory and was seen less than {@link #LIVE}
 * ago: two running nodes with one id would each reconcile the other's live calls. A node that was killed
 * restarts from its own data directory, so its own fresh row never stops it.
 */
public final class ClusterNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);
    /** How often a running node touches its row. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** A row seen more recently than this belongs to a running node. */
    public static final Duration LIVE = Duration.ofSeconds(20);

    private final Store store;
    private final Nodes nodes;
    private final Clock clock;
    private final NodeIdentity me;
    private ScheduledExecutorService heartbeat;

    private ClusterNodes(Store store, NodeIdentity me, Clock clock) {
        this.store = store;
        this.nodes = store.nodes();
        this.me = me;
        this.clock = clock;
    }

    /** The registry of the cluster {@code store} belongs to, for look-ups (tools). */
    public static ClusterNodes of(Store store) {
        return new ClusterNodes(store, null, Clock.systemUTC());
    }

    /**
     * Registers node {@code me} and starts its heartbeat.
     *
     * @throws ClusterException if a running node from another data directory has this id
     */
    public static ClusterNodes register(Store store, NodeIdentity me, String host, String adminUrl, Clock clock) {
        ClusterNodes cn = new ClusterNodes(store, me, clock);
        try {
            store.inTransaction(() -> cn.claim(host, adminUrl));
        } catch (ConflictException raced) {
            // Another process inserted the same new id at the same instant: it is running, so this one may not.
            store.inTransaction(() -> cn.claim(host, adminUrl));
        }
        cn.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        cn.heartbeat.scheduleWithFixedDelay(cn::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        log.info("node {} registered (host {}, admin {})", me.nodeId(), host, adminUrl);
        return cn;
    }

    private Void claim(String host, String adminUrl) {
        Instant now = clock.instant();
        Optional<Nodes.Node> row = nodes.lock(me.nodeId());
        if (row.isPresent() && !row.get().dirId().equals(me.dirId())) {
            Nodes.Node other = row.get();
            if (other.alive(now, LIVE)) {
                throw new ClusterException("node id '" + me.nodeId() + "' is in use by a running node on host "
                        + other.host() + " (seen " + Duration.between(other.seenAt(), now).toSeconds()
                        + " s ago, admin " + other.adminUrl() + "). Give every node its own cluster.nodeId.");
            }
            log.warn("node id {} was last used by another data directory (host {}, seen {}): this one takes it over, "
                    + "with the calls it left", me.nodeId(), other.host(), other.seenAt());
        }
        nodes.put(new Nodes.Node(me.nodeId(), me.dirId(), host, adminUrl, now, now, null), row.isEmpty());
        return null;
    }

    private void beat() {
        try {
            if (!nodes.seen(me.nodeId(), me.dirId(), clock.instant())) {
                log.error("node {}: another data directory has taken over this node's id in cluster_node; two nodes "
                        + "with one id would reconcile each other's calls: stop one of them", me.nodeId());
            }
        } catch (RuntimeException e) {
            log.warn("node {}: heartbeat not written: {}", me.nodeId(), e.toString());
        }
    }

    /** Records where the other nodes reach this node's admin API (known once it listens). */
    public void advertise(String adminUrl) {
        nodes.advertise(me.nodeId(), me.dirId(), adminUrl);
    }

    /** Marks a node stopped for good (its calls were reconciled by {@code kinline reconcile --node}). */
    public void retire(String nodeId) {
        nodes.stopped(nodeId, null, clock.instant());
    }

    /** A node as registered, if it ever ran against this database. */
    public Optional<Nodes.Node> node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Every node that ever ran against this database, by id. */
    public List<Nodes.Node> list() {
        return nodes.list();
    }

    /** Whether {@code n} is running now (not stopped, seen within {@link #LIVE}). */
    public boolean alive(Nodes.Node n) {
        return n.alive(clock.instant(), LIVE);
    }

    /** The node that carries call {@code callId} now (its start row), if it is in progress anywhere. */
    public Optional<String> ownerOf(String callId) {
        return nodes.carrying(callId);
    }

    /** Stops the heartbeat and marks the node stopped (a clean shutdown). */
    @Override
    public void close() {
        if (heartbeat == null) {
            return;
        }
        heartbeat.shutdownNow();
        try {
            nodes.stopped(me.nodeId(), me.dirId(), clock.instant());
        } catch (RuntimeException e) {
            log.warn("node {}: not marked stopped: {}", me.nodeId(), e.toString());
        }
    }
}
