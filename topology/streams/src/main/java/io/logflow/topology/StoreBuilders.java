package io.logflow.topology;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The persistent, changelogged stores of the topology, all keyed by a String. Cached unless said
 * otherwise: the record cache collapses repeated updates of one key into one RocksDB write and one
 * changelog record per commit.
 */
final class StoreBuilders {
  private StoreBuilders() {}

  static <V> StoreBuilder<WindowStore<String, V>> window(String name, Duration retention, Duration windowSize, Serde<V> values) {
    return windowUncached(name, retention, windowSize, values).withCachingEnabled();
  }

  /**
   * For window stores where a key is rarely written twice within a commit interval, so the cache
   * would only add its own bookkeeping (a sorted map of every entry, walked again at each commit) to
   * the same RocksDB write and changelog record.
   */
  static <V> StoreBuilder<WindowStore<String, V>> windowUncached(String name, Duration retention, Duration windowSize, Serde<V> values) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, windowSize, false), Serdes.String(), values);
  }

  /**
   * For window stores whose processor changes one value per record: values kept as objects and
   * written once per commit ({@link WriteBehind}); the thread's point reads are served from the last
   * {@code maxObjects} values read or written.
   */
  static <V> StoreBuilder<WindowStore<String, V>> windowWriteBehind(String name, Duration retention, Duration windowSize, Serde<V> values,
      int maxObjects, WriteBehind.FlushListener listener) {
    return WriteBehind.window(windowUncached(name, retention, windowSize, values), maxObjects, listener);
  }

  /** A key-value store written behind, as {@link #windowWriteBehind}. */
  static <V> StoreBuilder<KeyValueStore<String, V>> keyValueWriteBehind(String name, Serde<V> values, int maxObjects) {
    return WriteBehind.keyValue(keyValueUncached(name, values), maxObjects);
  }

  /** A window store keeping every value put at the same key and time (a store with duplicates cannot be cached). */
  static <V> StoreBuilder<WindowStore<String, V>> windowWithDuplicates(String name, Duration retention, Duration windowSize, Serde<V> values) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, windowSize, true), Serdes.String(), values);
  }

  static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
    return keyValueUncached(name, values).withCachingEnabled();
  }

  /** For stores where every put is a new key, so a cache would only delay the same write. */
  static <V> StoreBuilder<KeyValueStore<String, V>> keyValueUncached(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
  }
}
