/**
 * Several nodes on one PostgreSQL: who this node is ({@link io.kinline.cluster.NodeIdentity}, kept with its data
 * directory), the cluster's members ({@link io.kinline.cluster.ClusterNodes}: registration, heartbeat, who carries
 * a call) and the secrets every node shares ({@link io.kinline.cluster.ClusterSecrets}: fetched with the cluster
 * key or checked by fingerprint, under the start-up lock). The SQL is the store's ({@link io.kinline.store.Nodes},
 * {@link io.kinline.store.SharedSecrets}). See docs/DEPLOYMENT.md.
 */
package io.kinline.cluster;
