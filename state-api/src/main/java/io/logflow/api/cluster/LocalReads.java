package io.logflow.api.cluster;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Staleness;
import io.logflow.model.schema.StoreSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's share of a state store, one partition at a time: with a key, only the
 * key's partition (which this instance must own); without, every partition assigned here. A
 * partition whose task is restoring or gone is a 503, never silently left out, and each read names
 * the partitions it covered so that the merging instance can check that all were. Blocking
 * (RocksDB): callers run on boundedElastic. Every iterator is closed.
 */
@Component
public class LocalReads {
    private final StreamsRuntime runtime;
    private final StoreMetadata metadata;
    private final Freshness freshness;
    private final LogFlowProperties props;

    LocalReads(StreamsRuntime runtime, StoreMetadata metadata, Freshness freshness, LogFlowProperties props) {
        this.runtime = runtime;
        this.metadata = metadata;
        this.freshness = freshness;
        this.props = props;
    }

    /** Reads one partition. */
    @FunctionalInterface
    public interface PartitionReader {
        void read(int partition);
    }

    /** Visits one window of a window store. */
    @FunctionalInterface
    public interface WindowVisitor<V> {
        void visit(String key, long windowStart, V value);
    }

    public StreamsRuntime runtime() {
        return runtime;
    }

    /** One partition of a key-value store (503 unless this instance may read it: see {@link #forEachPartition}). */
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(StoreSpec<K, V> store, int partition) {
        return read(store, QueryableStoreTypes.keyValueStore(), partition);
    }

    /** One partition of a window store (503 unless this instance may read it: see {@link #forEachPartition}). */
    public <K, V> ReadOnlyWindowStore<K, V> window(StoreSpec<K, V> store, int partition) {
        return read(store, QueryableStoreTypes.windowStore(), partition);
    }

    /**
     * A partition chosen by the asking instance may be read from any replica here (noted as stale in the scope); an
     * unplanned read only from the running active task.
     */
    private <T> T read(StoreSpec<?, ?> store, QueryableStoreType<T> type, int partition) {
        ReadScope scope = ReadScope.current();
        if (scope == null) return active(store.name(), type, partition);
        long since = freshness.generation();
        Replica<T> replica = replica(store, type, partition);
        if (replica.stale())
            scope.stale.add(new Staleness.Entry(store.name(), partition, scope.instance, staleLag(store, partition)));
        // once read: a replica moved or re-initialised meanwhile may have been read half-restored, its lag unknown
        scope.afterRead(store.name() + "#" + partition, () -> {
            boolean changed = replica.stale()
                    ? freshness.generation() != since
                    : !freshness.stillCurrent(runtime.streams(), store.name(), type, partition, since);
            if (changed)
                scope.stale.add(new Staleness.Entry(store.name(), partition, scope.instance, Freshness.UNKNOWN_LAG));
        });
        return replica.store();
    }

    /**
     * One partition of a store, read only if this instance runs that partition's active task and it is
     * not restoring; otherwise 503 — never a silently missing partition.
     */
    private <T> T active(String name, QueryableStoreType<T> type, int partition) {
        KafkaStreams ks = runtime.requireRunning();
        try {
            return ks.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable(
                    "partition " + partition + " of store " + name + " is not queryable here right now ("
                            + e.getMessage() + ")",
                    props.query().retryAfter());
        }
    }

    /** A partition's store as read here, and whether it is a replica rather than the running active task. */
    private record Replica<T>(T store, boolean stale) {}

    /**
     * One partition of a store from any replica of it here (KIP-535 stale stores: the store stays readable through
     * rebalances, which a read of the active task alone does not — its stream thread is not RUNNING then): flagged
     * {@code stale} unless it is the active task here and not behind its changelog (restoring). 503 when this
     * instance holds no replica of it.
     */
    private <T> Replica<T> replica(StoreSpec<?, ?> spec, QueryableStoreType<T> type, int partition) {
        KafkaStreams ks = runtime.requireRunning();
        String name = spec.name();
        T store;
        try {
            store = ks.store(StoreQueryParameters.fromNameAndType(name, type)
                    .withPartition(partition)
                    .enableStaleStores());
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable(
                    "partition " + partition + " of store " + name + " has no replica here right now (" + e.getMessage()
                            + ")",
                    props.query().retryAfter());
        }
        return new Replica<>(store, !freshness.current(ks, name, type, partition));
    }

    /**
     * The lag to report for a partition read from a replica here: {@link Freshness#lagOf}, except that an active task
     * which is not current (see {@link #replica}) but whose last known lag is 0 is being re-initialised: unknown.
     */
    private long staleLag(StoreSpec<?, ?> spec, int partition) {
        long lag = freshness.lagOf(runtime.requireRunning(), spec.name(), partition);
        return lag == 0 && metadata.localPartitions(spec).contains(partition) ? Freshness.UNKNOWN_LAG : lag;
    }

    /**
     * Runs {@code reader} for the partitions this instance was asked to read — those the asking instance chose (see
     * {@link Cluster}; with a key, only the key's partition among them), or, when no instance chose, the key's
     * partition (owned here, else 503) or every partition assigned here — then checks that they are still held here.
     * Returns the partitions read.
     */
    public <K> Set<Integer> forEachPartition(StoreSpec<K, ?> store, K key, PartitionReader reader) {
        ReadScope scope = ReadScope.current();
        Set<Integer> partitions;
        if (scope == null) {
            partitions = key != null ? Set.of(metadata.ownedPartition(store, key)) : metadata.localPartitions(store);
        } else if (key != null) {
            int p = metadata.partitionOf(store, key);
            if (!scope.partitions.contains(p))
                throw ApiException.unavailable(
                        store + " key '" + key + "' is in partition " + p + ", not in the partitions asked of this"
                                + " instance " + scope.partitions + " (rebalancing)",
                        null);
            partitions = Set.of(p);
        } else {
            partitions = scope.partitions;
        }
        for (int p : partitions) reader.read(p);
        requireStillHeld(store, partitions);
        return partitions;
    }

    /**
     * 503 when Kafka Streams stopped being queryable or a partition read moved away while it was read (for a planned
     * read: no replica of it left here; otherwise: no longer the active task here).
     */
    public void requireStillHeld(StoreSpec<?, ?> store, Set<Integer> read) {
        boolean anyReplica = ReadScope.current() != null;
        boolean held;
        if (!StreamsRuntime.queryable(runtime.state())) held = false;
        else if (!anyReplica) held = metadata.localPartitions(store).containsAll(read);
        else {
            Map<Integer, List<HostInfo>> replicas = metadata.replicasOf(store);
            held = read.stream()
                    .allMatch(p -> replicas.getOrDefault(p, List.of()).contains(runtime.self()));
        }
        if (!held)
            throw ApiException.unavailable(
                    "partitions of " + store.name() + " moved while being read (rebalancing)", null);
    }

    /** Every window of {@code key} (or of every key, when null) starting in [from, to] in one partition. */
    public <V> void forEachWindow(
            StoreSpec<String, V> spec, int partition, String key, Instant from, Instant to, WindowVisitor<V> visitor) {
        ReadOnlyWindowStore<String, V> store = window(spec, partition);
        if (key != null) {
            try (WindowStoreIterator<V> it = store.fetch(key, from, to)) {
                while (it.hasNext()) {
                    KeyValue<Long, V> kv = it.next();
                    visitor.visit(key, kv.key, kv.value);
                }
            }
        } else {
            try (KeyValueIterator<Windowed<String>, V> it = store.fetchAll(from, to)) {
                while (it.hasNext()) {
                    KeyValue<Windowed<String>, V> kv = it.next();
                    visitor.visit(kv.key.key(), kv.key.window().start(), kv.value);
                }
            }
        }
    }
}
