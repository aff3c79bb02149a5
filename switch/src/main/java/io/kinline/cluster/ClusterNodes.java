package io.kinline.cluster;

import io.kinline.store.ConflictException;
import io.kinline.store.Store;
import io.kinline.store.jdbc.Db;
import io.kinline.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a cluster, in the database they share ({@code cluster_node}). A node registers before it
 * reconciles anything, touches its row every {@link #HEARTBEAT} while it runs, and marks it stopped when it
 * closes. Registration refuses an id whose row belongs to another data directory and was seen less than
 * {@link #LIVE} ago: two running nodes with one id would each reconcile the other's live calls. A node that
 * was killed restarts from its own data directory, so its own fresh row never stops it.
 */
public final class ClusterNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);
    /** How often a running node touches its row. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** A row seen more recently than this belongs to a running node. */
    public static final Duration LIVE = Duration.ofSeconds(20);

    /** A node as registered. */
    public record Node(String nodeId, String host, String adminUrl, Instant startedAt, Instant seenAt,
            Instant stoppedAt) {
        /** Running: not stopped, and seen within {@link #LIVE} of {@code now}. */
        public boolean alive(Instant now) {
            return stoppedAt == null && seenAt.isAfter(now.minus(LIVE));
        }
    }

    private final Db db;
    private final Clock clock;
    private final NodeIdentity me;
    private ScheduledExecutorService heartbeat;

    private ClusterNodes(Db db, NodeIdentity me, Clock clock) {
        this.db = db;
        this.me = me;
        this.clock = clock;
    }

    /** The registry of the cluster {@code store} belongs to, for look-ups (tools). */
    public static ClusterNodes of(Store store) {
        return new ClusterNodes(db(store), null, Clock.systemUTC());
    }

    /**
     * Registers node {@code me} and starts its heartbeat.
     *
     * @throws ClusterException if a running node from another data directory has this id
     */
    public static ClusterNodes register(Store store, NodeIdentity me, String host, String adminUrl, Clock clock) {
        ClusterNodes nodes = new ClusterNodes(db(store), me, clock);
        try {
            nodes.db.tx(c -> nodes.claim(c, host, adminUrl));
        } catch (ConflictException raced) {
            // Another process inserted the same new id at the same instant: it is running, so this one may not.
            nodes.db.tx(c -> nodes.claim(c, host, adminUrl));
        }
        nodes.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        nodes.heartbeat.scheduleWithFixedDelay(nodes::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("node {} registered (host {}, admin {})", me.nodeId(), host, adminUrl);
        return nodes;
    }

    private static Db db(Store store) {
        if (!(store instanceof JdbcStore js)) {
            throw new IllegalArgumentException("the cluster registry needs the JDBC store");
        }
        return js.db();
    }

    private Void claim(Connection c, String host, String adminUrl) throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<Row> row = Db.one(c, "SELECT * FROM cluster_node WHERE node_id = ? FOR UPDATE",
                rs -> new Row(rs.getString("dir_id"), node(rs)), me.nodeId());
        if (row.isEmpty()) {
            Db.update(c, "INSERT INTO cluster_node (node_id, dir_id, host, admin_url, started_at, seen_at) "
                    + "VALUES (?,?,?,?,?,?)", me.nodeId(), me.dirId(), Db.str(host), Db.str(adminUrl), now, now);
            return null;
        }
        Node other = row.get().node();
        if (!row.get().dirId().equals(me.dirId())) {
            if (other.alive(now)) {
                throw new ClusterException("node id '" + me.nodeId() + "' is in use by a running node on host "
                        + other.host() + " (seen " + Duration.between(other.seenAt(), now).toSeconds()
                        + " s ago, admin " + other.adminUrl() + "). Give every node its own cluster.nodeId.");
            }
            log.warn("node id {} was last used by another data directory (host {}, seen {}): this one takes it over, "
                    + "with the calls it left", me.nodeId(), other.host(), other.seenAt());
        }
        Db.update(c, "UPDATE cluster_node SET dir_id = ?, host = ?, admin_url = ?, started_at = ?, seen_at = ?, "
                + "stopped_at = NULL WHERE node_id = ?", me.dirId(), Db.str(host), Db.str(adminUrl), now, now, me.nodeId());
        return null;
    }

    private record Row(String dirId, Node node) {
    }

    private void beat() {
        try {
            int n = db.tx(c -> Db.update(c, "UPDATE cluster_node SET seen_at = ? WHERE node_id = ? AND dir_id = ?",
                    clock.instant().truncatedTo(ChronoUnit.MICROS), me.nodeId(), me.dirId()));
            if (n == 0) {
                log.error("node {}: another data directory has taken over this node's id in cluster_node; two nodes "
                        + "with one id would reconcile each other's calls: stop one of them", me.nodeId());
            }
        } catch (RuntimeException e) {
            log.warn("node {}: heartbeat not written: {}", me.nodeId(), e.toString());
        }
    }

    private static Node node(java.sql.ResultSet rs) throws SQLException {
        return new Node(rs.getString("node_id"), rs.getString("host"), rs.getString("admin_url"),
                Db.instant(rs, "started_at"), Db.instant(rs, "seen_at"), Db.instant(rs, "stopped_at"));
    }

    /** Records where the other nodes reach this node's admin API (known once it listens). */
    public void advertise(String adminUrl) {
        db.tx(c -> Db.update(c, "UPDATE cluster_node SET admin_url = ? WHERE node_id = ? AND dir_id = ?",
                Db.str(adminUrl), me.nodeId(), me.dirId()));
    }

    /** Marks a node stopped for good (its calls were reconciled by {@code kinline reconcile --node}). */
    public void retire(String nodeId) {
        db.tx(c -> Db.update(c, "UPDATE cluster_node SET stopped_at = ? WHERE node_id = ?",
                clock.instant().truncatedTo(ChronoUnit.MICROS), nodeId));
    }

    /** A node as registered, if it ever ran against this database. */
    public Optional<Node> node(String nodeId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM cluster_node WHERE node_id = ?", ClusterNodes::node, nodeId));
    }

    /** Every node that ever ran against this database, by id. */
    public List<Node> list() {
        return db.tx(c -> Db.list(c, "SELECT * FROM cluster_node ORDER BY node_id", ClusterNodes::node));
    }

    /** The node that carries call {@code callId} now (its start row), if it is in progress anywhere. */
    public Optional<String> ownerOf(String callId) {
        return db.tx(c -> Db.one(c, "SELECT node_id FROM call_start WHERE call_id = ?", rs -> rs.getString(1), callId));
    }

    /** Stops the heartbeat and marks the node stopped (a clean shutdown). */
    @Override
    public void close() {
        if (heartbeat == null) {
            return;
        }
        heartbeat.shutdownNow();
        try {
            db.tx(c -> Db.update(c, "UPDATE cluster_node SET stopped_at = ? WHERE node_id = ? AND dir_id = ?",
                    clock.instant().truncatedTo(ChronoUnit.MICROS), me.nodeId(), me.dirId()));
        } catch (RuntimeException e) {
            log.warn("node {}: not marked stopped: {}", me.nodeId(), e.toString());
        }
    }
}
