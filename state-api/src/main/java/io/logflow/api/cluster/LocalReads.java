package io.logflow.api.cluster;

import io.logflow.api.web.ApiException;
import io.logflow.model.schema.StoreSpec;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
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

    LocalReads(StreamsRuntime runtime) {
        this.runtime = runtime;
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

    /** One partition of a key-value store (503 unless this instance serves it and it is not restoring). */
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(StoreSpec<K, V> store, int partition) {
        return runtime.store(store.name(), QueryableStoreTypes.keyValueStore(), partition);
    }

    /** One partition of a window store (503 unless this instance serves it and it is not restoring). */
    public <K, V> ReadOnlyWindowStore<K, V> window(StoreSpec<K, V> store, int partition) {
        return runtime.store(store.name(), QueryableStoreTypes.windowStore(), partition);
    }

    /**
     * Runs {@code reader} for the key's partition (owned here, else 503) or for every partition
     * assigned here, then checks that the assignment did not change meanwhile. Returns the partitions
     * read.
     */
    public <K> Set<Integer> forEachPartition(StoreSpec<K, ?> store, K key, PartitionReader reader) {
        Set<Integer> partitions =
                key != null ? Set.of(runtime.ownedPartition(store, key)) : runtime.localPartitions(store);
        for (int p : partitions) reader.read(p);
        requireStillRunning(store, partitions);
        return partitions;
    }

    /** 503 when Kafka Streams left RUNNING or a partition read moved away while it was read. */
    public void requireStillRunning(StoreSpec<?, ?> store, Set<Integer> read) {
        if (runtime.state() != KafkaStreams.State.RUNNING
                || !runtime.localPartitions(store).containsAll(read)) {
            throw ApiException.unavailable(
                    "partitions of " + store.name() + " moved while being read (rebalancing)", null);
        }
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
