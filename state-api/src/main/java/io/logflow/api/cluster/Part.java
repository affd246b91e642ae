package io.logflow.api.cluster;

import java.util.Set;

/**
 * What one instance answers about its own share of a state store, on {@code /internal/v1/...}.
 * Every part names the partitions it covers, so that the instance merging the parts can prove the
 * answer complete (every partition exactly once) instead of silently partial. Parts are records,
 * sent as JSON between instances.
 */
public interface Part {
    /** Every partition of the store this part was read from. */
    Set<Integer> partitions();
}
