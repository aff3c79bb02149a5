package io.kinline.cluster;

/**
 * A node cannot join its cluster: its id is taken by a running node, its data directory belongs to another
 * node, or its secrets are not the cluster's. The message says what to do; the node does not start.
 */
public final class ClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
