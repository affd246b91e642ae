/**
 * The embedded Kafka Streams runtime ({@code StreamsRuntime}) and interactive queries across the
 * instances sharing one application id. A query is declared once as a {@code View} (its store, the
 * local read of this instance's partitions, its arguments as {@code /internal/v1/{name}}
 * parameters); {@code Cluster} runs it on the key's owner or on every instance and checks that the
 * parts cover every partition once, or asks every instance for its own part ({@code
 * everyInstance}, no partition check: answers about the instances themselves); {@code
 * InternalHandler} answers other instances; {@code LocalReads} reads this instance's partitions.
 * {@code Placement} chooses the replica asked for each partition (the active owner, else a standby
 * or restoring copy, docs/adr/018) and {@code ReadScope} carries the chosen partitions to the read,
 * which notes those read from replicas as stale. Knows no particular store or view. Uses {@code
 * config} and {@code web}.
 */
package io.logflow.api.cluster;
