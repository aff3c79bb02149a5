-- Cluster nodes (issue 14). Several Kinline nodes can share one PostgreSQL; each has an id
-- (cluster.nodeId, or one made once per data directory) that it writes on the rows of the calls it
-- carries. A node's startup reconcile finishes only its own calls (and rows from before this
-- migration, which have none): the calls of the other nodes are alive.
ALTER TABLE call_start ADD COLUMN node_id VARCHAR(64);
ALTER TABLE reservation ADD COLUMN node_id VARCHAR(64);
-- Which node carried the call (or reconciled it after a crash): for operators and the cluster test.
ALTER TABLE call_record ADD COLUMN node_id VARCHAR(64);
CREATE INDEX call_start_node ON call_start(node_id);
CREATE INDEX reservation_status_node ON reservation(status, node_id);

-- The nodes that have run against this database. A node registers at start and touches seen_at every
-- few seconds while it runs; a second process claiming a live node's id from another data directory is
-- refused, so two nodes can never reconcile each other's calls. admin_url lets any node send an
-- investigator to the node that carries a call (live listening).
CREATE TABLE cluster_node (
    node_id      VARCHAR(64)  PRIMARY KEY,
    dir_id       VARCHAR(64)  NOT NULL,
    host         VARCHAR(255),
    admin_url    VARCHAR(255),
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    stopped_at   TIMESTAMP WITH TIME ZONE
);
