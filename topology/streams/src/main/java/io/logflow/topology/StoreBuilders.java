package io.logflow.topology;

import io.logflow.model.schema.StoreSpec;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The persistent stores of the topology, built from their {@link StoreSpec} ({@code
 * io.logflow.model.schema.Stores}: name, kind and serdes), all keyed by a String. Changelogged and
 * cached unless said otherwise: the record cache collapses repeated updates of one key into one
 * RocksDB write and one changelog record per commit. Each builder checks that the spec is of its kind.
 */
final class StoreBuilders {
    private StoreBuilders() {}

    static <V> StoreBuilder<WindowStore<String, V>> window(
            StoreSpec<String, V> spec, Duration retention, Duration windowSize) {
        return windowUncached(spec, retention, windowSize).withCachingEnabled();
    }

    /**
     * For window stores where a key is rarely written twice within a commit interval, so the cache
     * would only add its own bookkeeping (a sorted map of every entry, walked again at each commit) to
     * the same RocksDB write and changelog record.
     */
    static <V> StoreBuilder<WindowStore<String, V>> windowUncached(
            StoreSpec<String, V> spec, Duration retention, Duration windowSize) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(nameOf(spec, StoreSpec.Kind.WINDOW), retention, windowSize, false),
                spec.keySerde(),
                spec.valueSerde());
    }

    /**
     * For window stores whose processor changes one value per record: values kept as objects and
     * written once per commit ({@link WriteBehind}); the thread's point reads are served from the last
     * {@code maxObjects} values read or written.
     */
    static <V> StoreBuilder<WindowStore<String, V>> windowWriteBehind(
            StoreSpec<String, V> spec,
            Duration retention,
            Duration windowSize,
            int maxObjects,
            WriteBehind.FlushListener listener) {
        return WriteBehind.window(windowUncached(spec, retention, windowSize), maxObjects, listener);
    }

    /** A key-value store written behind, as {@link #windowWriteBehind}. */
    static <V> StoreBuilder<KeyValueStore<String, V>> keyValueWriteBehind(StoreSpec<String, V> spec, int maxObjects) {
        return WriteBehind.keyValue(keyValueUncached(spec), maxObjects);
    }

    /** A window store keeping every value put at the same key and time (a store with duplicates cannot be cached). */
    static <V> StoreBuilder<WindowStore<String, V>> windowWithDuplicates(
            StoreSpec<String, V> spec, Duration retention, Duration windowSize) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                        nameOf(spec, StoreSpec.Kind.WINDOW_WITH_DUPLICATES), retention, windowSize, true),
                spec.keySerde(),
                spec.valueSerde());
    }

    static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(StoreSpec<String, V> spec) {
        return keyValueUncached(spec).withCachingEnabled();
    }

    /** For stores where every put is a new key, so a cache would only delay the same write. */
    static <V> StoreBuilder<KeyValueStore<String, V>> keyValueUncached(StoreSpec<String, V> spec) {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(nameOf(spec, StoreSpec.Kind.KEY_VALUE)),
                spec.keySerde(),
                spec.valueSerde());
    }

    /** A global store: not changelogged, the compacted topic it is filled from is its changelog. */
    static <V> StoreBuilder<KeyValueStore<String, V>> global(StoreSpec<String, V> spec) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(nameOf(spec, StoreSpec.Kind.GLOBAL_KEY_VALUE)),
                        spec.keySerde(),
                        spec.valueSerde())
                .withLoggingDisabled();
    }

    private static String nameOf(StoreSpec<?, ?> spec, StoreSpec.Kind kind) {
        if (spec.kind() != kind)
            throw new IllegalArgumentException("store " + spec.name() + " is a " + spec.kind() + " store, not " + kind);
        return spec.name();
    }
}
