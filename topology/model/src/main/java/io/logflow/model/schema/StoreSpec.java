package io.logflow.model.schema;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.serialization.Serde;

/**
 * A state store of the topology: its name (which also names its RocksDB directory and changelog
 * topic), what kind of store it is, and the serdes of its keys and values. The topology builds the
 * store from it; the API queries it by {@link #name()}.
 */
public record StoreSpec<K, V>(String name, Kind kind, Serde<K> keySerde, Serde<V> valueSerde) {
    public StoreSpec {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(keySerde, "keySerde");
        requireNonNull(valueSerde, "valueSerde");
    }

    /** The kinds of store the topology uses. */
    public enum Kind {
        /** A key-value store, one per task. */
        KEY_VALUE,
        /** A window store, one per task: one value per key and window start. */
        WINDOW,
        /** A window store, one per task, that keeps every value put at the same key and time. */
        WINDOW_WITH_DUPLICATES,
        /** A key-value store on every instance, filled from a compacted topic that is its changelog. */
        GLOBAL_KEY_VALUE
    }
}
