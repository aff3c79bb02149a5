package io.kinline.store.jdbc;

import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.Nodes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** {@link Nodes} in SQL ({@code cluster_node}, V35); each method joins the transaction open on this thread. */
final class JdbcNodes implements Nodes {

    private final Db db;

    JdbcNodes(Db db) {
        this.db = db;
    }

    private static Node node(ResultSet rs) throws SQLException {
        return new Node(rs.getString("node_id"), rs.getString("dir_id"), rs.getString("host"), rs.getString("admin_url"),
                Db.instant(rs, "started_at"), Db.instant(rs, "seen_at"), Db.instant(rs, "stopped_at"));
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public Optional<Node> lock(String nodeId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM cluster_node WHERE node_id = ? FOR UPDATE", JdbcNodes::node, nodeId));
    }

    @Override
    public void put(Node n, boolean isNew) {
        db.tx(c -> isNew
                ? Db.update(c, "INSERT INTO cluster_node (node_id, dir_id, host, admin_url, started_at, seen_at, stopped_at) "
                        + "VALUES (?,?,?,?,?,?,?)", n.nodeId(), n.dirId(), str(n.host()), str(n.adminUrl()),
                        micros(n.startedAt()), micros(n.seenAt()), Db.ts(n.stoppedAt()))
                : Db.update(c, "UPDATE cluster_node SET dir_id = ?, host = ?, admin_url = ?, started_at = ?, seen_at = ?, "
                        + "stopped_at = ? WHERE node_id = ?", n.dirId(), str(n.host()), str(n.adminUrl()),
                        micros(n.startedAt()), micros(n.seenAt()), Db.ts(n.stoppedAt()), n.nodeId()));
    }

    @Override
    public boolean seen(String nodeId, String dirId, Instant at) {
        return db.tx(c -> Db.update(c, "UPDATE cluster_node SET seen_at = ? WHERE node_id = ? AND dir_id = ?",
                micros(at), nodeId, dirId)) == 1;
    }

    @Override
    public void stopped(String nodeId, String dirId, Instant at) {
        db.tx(c -> dirId == null
                ? Db.update(c, "UPDATE cluster_node SET stopped_at = ? WHERE node_id = ?", micros(at), nodeId)
                : Db.update(c, "UPDATE cluster_node SET stopped_at = ? WHERE node_id = ? AND dir_id = ?", micros(at),
                        nodeId, dirId));
    }

    @Override
    public void advertise(String nodeId, String dirId, String adminUrl) {
        db.tx(c -> Db.update(c, "UPDATE cluster_node SET admin_url = ? WHERE node_id = ? AND dir_id = ?", str(adminUrl),
                nodeId, dirId));
    }

    @Override
    public Optional<Node> get(String nodeId) {
        return db.tx(c -> Db.one(c, "SELECT * FROM cluster_node WHERE node_id = ?", JdbcNodes::node, nodeId));
    }

    @Override
    public List<Node> list() {
        return db.tx(c -> Db.list(c, "SELECT * FROM cluster_node ORDER BY node_id", JdbcNodes::node));
    }

    @Override
    public Optional<String> carrying(String callId) {
        return db.tx(c -> Db.one(c, "SELECT node_id FROM call_start WHERE call_id = ? AND node_id IS NOT NULL",
                rs -> rs.getString(1), callId));
    }
}
