/**
 * The embedded Kafka Streams runtime and interactive queries across the instances sharing one
 * application id. {@code StreamsRuntime} starts and stops this instance's client, and replaces it
 * when {@code Supervisor} says so (after a failure, with backoff: ADR 017); {@code StoreMetadata}
 * says where the store partitions are (a key's owner, each partition's replicas, the instances);
 * {@code Freshness} how current the local copies are (restoring, lag, the state generation). A
 * query is declared once as a {@code View} (its store, the local read of this instance's
 * partitions, its arguments as {@code /internal/v1/{name}} parameters); {@code Cluster} runs it on
 * the key's owner or on every instance and checks that the parts cover every partition once, or
 * asks every instance for its own part ({@code everyInstance}, no partition check: answers about
 * the instances themselves); {@code InternalHandler} answers other instances; {@code LocalReads}
 * reads this instance's partitions. {@code Placement} chooses the replica asked for each partition
 * (the active owner, else a standby or restoring copy, docs/adr/018) and {@code ReadScope} carries
 * the chosen partitions to the read, which notes those read from replicas as stale. Knows no
 * particular store or view. Uses {@code config} and {@code web}.
 */
package io.logflow.api.cluster;
