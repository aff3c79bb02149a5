package io.kinline.store;

import io.kinline.store.jdbc.JdbcSharedSecrets;
import java.time.Instant;
import java.util.Map;

/**
 * The secrets every node of a cluster shares, as the database keeps them ({@code cluster_secret}): a fingerprint
 * each, and the secret wrapped by the cluster key when the nodes have one. Opened before the store, under the
 * cluster's start-up lock (one node at a time makes or checks its secrets), which {@link #close} releases. The
 * policy (what to fetch, what to refuse) is {@code io.kinline.cluster.ClusterSecrets}'; this is its table.
 */
public interface SharedSecrets extends AutoCloseable {

    /** A secret as the cluster knows it; {@code wrapped} and {@code keyCheck} are null without a cluster key. */
    record Entry(String name, String fingerprint, String wrapped, String keyCheck, String setBy, Instant setAt) {
    }

    /** Migrates the schema if need be, then waits for the cluster's start-up lock (PostgreSQL only). */
    static SharedSecrets lock(StoreConfig config) {
        return JdbcSharedSecrets.lock(config);
    }

    /** The cluster's secrets, by name, as they were when the lock was taken. */
    Map<String, Entry> entries();

    /** Records a secret the cluster did not have. */
    void add(Entry entry);

    /** Keeps a secret the cluster knew by fingerprint only wrapped too (the cluster moves to a cluster key). */
    void wrap(String name, String wrapped, String keyCheck);

    /** Releases the start-up lock. Idempotent. */
    @Override
    void close();
}
