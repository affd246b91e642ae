package io.logflow.api;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.Stores;
import io.logflow.model.TopErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's share of the state stores. Blocking (RocksDB): callers run it on
 * boundedElastic. Every iterator is closed. Each answer names the partitions it covers, read
 * before and checked after the query, so a rebalance during the read gives a 503, not a partial answer.
 */
@Component
class LocalStores {
  /** Error templates kept per service when merging (as many as a window holds). */
  static final int ERRORS_KEPT = TopErrors.CAPACITY;

  private final StreamsRuntime runtime;
  private final int ringSize;

  LocalStores(StreamsRuntime runtime, LogFlowProperties props) {
    this.runtime = runtime;
    this.ringSize = props.streams().recentLogsPerLevel();
  }

  /** Registry entries: all, or the one of {@code service}. */
  Parts.ServicesPart services(String service) {
    return covered(Stores.SERVICES, () -> {
      ReadOnlyKeyValueStore<String, LogCounts> store = runtime.store(Stores.SERVICES, QueryableStoreTypes.keyValueStore());
      Map<String, Counts> out = new TreeMap<>();
      if (service != null) {
        LogCounts c = store.get(service);
        if (c != null) out.put(service, Counts.of(c));
      } else {
        try (KeyValueIterator<String, LogCounts> it = store.all()) {
          while (it.hasNext()) {
            KeyValue<String, LogCounts> kv = it.next();
            out.put(kv.key, Counts.of(kv.value));
          }
        }
      }
      return partitions -> new Parts.ServicesPart(partitions, out);
    });
  }

  /** Per service, counts summed and error templates merged over the windows starting in [from, to]. */
  Parts.StatsPart stats(String service, Instant from, Instant to) {
    return covered(Stores.SERVICE_STATS, () -> {
      Map<String, Counts> totals = new TreeMap<>();
      forEachWindow(Stores.SERVICE_STATS, QueryableStoreTypes.<String, LogCounts>windowStore(), service, from, to,
          (key, start, value) -> totals.merge(key, Counts.of(value), Counts::plus));
      Map<String, List<List<TopErrors.Entry>>> errors = new HashMap<>();
      forEachWindow(Stores.SERVICE_ERRORS, QueryableStoreTypes.<String, TopErrors>windowStore(), service, from, to,
          (key, start, value) -> errors.computeIfAbsent(key, k -> new ArrayList<>()).add(value.top(TopErrors.CAPACITY)));
      Map<String, List<TopErrors.Entry>> topErrors = new TreeMap<>();
      errors.forEach((s, lists) -> topErrors.put(s, Merge.mergeErrors(lists, ERRORS_KEPT)));
      return partitions -> new Parts.StatsPart(partitions, totals, topErrors);
    });
  }

  /** Counts per bucket of {@code bucketMs} over the windows starting in [from, to]. */
  Parts.SeriesPart series(String service, Instant from, Instant to, long bucketMs) {
    return covered(Stores.SERVICE_STATS, () -> {
      Map<Long, Counts> buckets = new TreeMap<>();
      forEachWindow(Stores.SERVICE_STATS, QueryableStoreTypes.<String, LogCounts>windowStore(), service, from, to,
          (key, start, value) -> buckets.merge(Merge.bucketStart(start, bucketMs), Counts.of(value), Counts::plus));
      return partitions -> new Parts.SeriesPart(partitions, buckets);
    });
  }

  /**
   * The newest {@code limit} logs at or above {@code minLevel}, of one service or all. Each
   * (service, level) ring is read from its newest slot backwards and the rings are merged by
   * timestamp, so a query reads about {@code limit + rings} entries, not whole rings.
   */
  Parts.LogsPart recent(String service, Level minLevel, int limit) {
    return covered(Stores.RECENT_LOGS, () -> {
      ReadOnlyKeyValueStore<String, Long> cursors = runtime.store(Stores.RECENT_LOGS_CURSOR, QueryableStoreTypes.keyValueStore());
      ReadOnlyKeyValueStore<String, LogRecord> logs = runtime.store(Stores.RECENT_LOGS, QueryableStoreTypes.keyValueStore());
      List<Ring> rings = new ArrayList<>();
      if (service != null) {
        for (Level level : Level.values()) {
          if (minLevel != null && level.compareTo(minLevel) < 0) continue;
          Long cursor = cursors.get(RecentLogKey.cursorKey(service, level));
          if (cursor != null) rings.add(new Ring(service, level, cursor));
        }
      } else {
        try (KeyValueIterator<String, Long> it = cursors.all()) {
          while (it.hasNext()) {
            KeyValue<String, Long> kv = it.next();
            int bar = kv.key.lastIndexOf('|');
            Level level = Level.valueOf(kv.key.substring(bar + 1));
            if (minLevel != null && level.compareTo(minLevel) < 0) continue;
            rings.add(new Ring(kv.key.substring(0, bar), level, kv.value));
          }
        }
      }
      PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Merge.NEWEST_FIRST.compare(a.log, b.log));
      for (Ring r : rings) {
        Head h = r.next(logs, ringSize);
        if (h != null) heads.add(h);
      }
      List<LogRecord> out = new ArrayList<>(Math.min(limit, 1024));
      while (out.size() < limit && !heads.isEmpty()) {
        Head h = heads.poll();
        out.add(h.log);
        Head next = h.ring.next(logs, ringSize);
        if (next != null) heads.add(next);
      }
      out.sort(Merge.NEWEST_FIRST);
      return partitions -> new Parts.LogsPart(partitions, out);
    });
  }

  /** The logs of one trace in time order. */
  Parts.LogsPart trace(String traceId) {
    return covered(Stores.TRACE_LOGS, () -> {
      ReadOnlyWindowStore<String, LogRecord> store = runtime.store(Stores.TRACE_LOGS, QueryableStoreTypes.windowStore());
      List<LogRecord> out = new ArrayList<>();
      try (WindowStoreIterator<LogRecord> it = store.fetch(traceId, Instant.EPOCH, Instant.now().plusSeconds(365L * 24 * 3600))) {
        while (it.hasNext()) out.add(it.next().value);
      }
      out.sort(Merge.OLDEST_FIRST);
      return partitions -> new Parts.LogsPart(partitions, out);
    });
  }

  /** One (service, level) ring, read newest first. */
  private static final class Ring {
    final String service;
    final Level level;
    final long cursor;
    long read;

    Ring(String service, Level level, long cursor) {
      this.service = service;
      this.level = level;
      this.cursor = cursor;
    }

    Head next(ReadOnlyKeyValueStore<String, LogRecord> logs, int size) {
      while (read < Math.min(cursor, size)) {
        long n = cursor - 1 - read++;
        LogRecord log = logs.get(new RecentLogKey(service, level, (int) (n % size)).encode());
        if (log != null) return new Head(this, log);
      }
      return null;
    }
  }

  private record Head(Ring ring, LogRecord log) {}

  @FunctionalInterface
  private interface WindowVisitor<V> {
    void visit(String key, long windowStart, V value);
  }

  private <V> void forEachWindow(String storeName, org.apache.kafka.streams.state.QueryableStoreType<ReadOnlyWindowStore<String, V>> type,
      String key, Instant from, Instant to, WindowVisitor<V> visitor) {
    ReadOnlyWindowStore<String, V> store = runtime.store(storeName, type);
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

  private interface Query<P> {
    java.util.function.Function<Set<String>, P> run();
  }

  /** Runs a query between two reads of this instance's partitions; a change between them is a rebalance: 503. */
  private <P> P covered(String store, Query<P> query) {
    Set<String> before = runtime.localPartitions(store);
    var result = query.run();
    Set<String> after = runtime.localPartitions(store);
    if (!before.equals(after) || runtime.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
      throw ApiException.unavailable("partitions moved while reading " + store + " (rebalancing)", null);
    }
    return result.apply(after);
  }
}
