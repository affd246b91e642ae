package io.logflow.api;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceQuery;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import io.logflow.model.schema.Stores;
import io.logflow.topology.WindowVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's share of the state stores, one partition at a time: with a key, only the
 * key's partition (which this instance must own); without, every partition assigned here (also for
 * the logs of one trace, which may be in any partition). A partition whose task is restoring or
 * gone is a 503, never silently left out, and each answer names the partitions it read so that the
 * merging instance can check that all were. Blocking (RocksDB): callers run it on boundedElastic.
 * Every iterator is closed.
 */
@Component
class LocalStores {
  /** Error templates kept per service when merging (as many as a window holds). */
  static final int ERRORS_KEPT = TopErrors.CAPACITY;

  private final StreamsRuntime runtime;
  private final StatsMemo memo = new StatsMemo();
  private final int ringSize;
  private final long traceRetentionMs;
  private final int maxLogsPerTrace;

  LocalStores(StreamsRuntime runtime, LogFlowProperties props) {
    this.runtime = runtime;
    this.ringSize = props.streams().recentLogsPerLevel();
    this.maxLogsPerTrace = props.streams().maxLogsPerTrace();
    this.traceRetentionMs = props.streams().traceRetention().toMillis();
  }

  /** Registry entries: all, or the one of {@code service}. */
  Parts.ServicesPart services(String service) {
    Map<String, Counts> out = new TreeMap<>();
    Set<Integer> read = forEachPartition(Stores.SERVICES.name(), service, p -> {
      ReadOnlyKeyValueStore<String, LogCounts> store = runtime.store(Stores.SERVICES.name(), QueryableStoreTypes.keyValueStore(), p);
      if (service != null) {
        LogCounts c = store.get(service);
        if (c != null) out.put(service, Counts.of(c));
      } else {
        try (KeyValueIterator<String, LogCounts> it = store.all()) {
          while (it.hasNext()) {
            KeyValue<String, LogCounts> kv = it.next();
            out.merge(kv.key, Counts.of(kv.value), Counts::plus);
          }
        }
      }
    });
    return new Parts.ServicesPart(read, out);
  }

  /** Per service, counts summed and error templates merged over the windows starting in [from, to]. */
  Parts.StatsPart stats(String service, Instant from, Instant to) {
    Map<String, Counts> totals = new TreeMap<>();
    Map<String, List<List<TopErrors.Entry>>> errors = new HashMap<>();
    long first = Merge.bucketStart(from.toEpochMilli() + Stores.STATS_WINDOW_MS - 1, Stores.STATS_WINDOW_MS);
    long now = System.currentTimeMillis();
    boolean memoized = service == null && first >= now - WindowVersions.KEEP_MS && to.toEpochMilli() - first <= WindowVersions.KEEP_MS; // the memo keeps no older windows
    Set<Integer> read = forEachPartition(Stores.SERVICE_STATS.name(), service, p -> {
      if (memoized) {
        for (long start = first; start <= to.toEpochMilli(); start += Stores.STATS_WINDOW_MS) {
          StatsMemo.Window w = window(p, start, now);
          w.totals().forEach((s, c) -> totals.merge(s, c, Counts::plus));
          w.errors().forEach((s, list) -> errors.computeIfAbsent(s, k -> new ArrayList<>()).add(list));
        }
        return;
      }
      forEachWindow(Stores.SERVICE_STATS.name(), QueryableStoreTypes.<String, LogCounts>windowStore(), p, service, from, to,
          (key, start, value) -> totals.merge(key, Counts.of(value), Counts::plus));
      forEachWindow(Stores.SERVICE_ERRORS.name(), QueryableStoreTypes.<String, TopErrors>windowStore(), p, service, from, to,
          (key, start, value) -> errors.computeIfAbsent(key, k -> new ArrayList<>()).add(value.top(TopErrors.CAPACITY)));
    });
    Map<String, List<TopErrors.Entry>> topErrors = new TreeMap<>();
    errors.forEach((s, lists) -> topErrors.put(s, Merge.mergeErrors(lists, ERRORS_KEPT)));
    return new Parts.StatsPart(read, totals, topErrors);
  }

  /**
   * Every service's counts and error templates in one window of one local partition: kept from an
   * earlier read while the window is unchanged ({@link StatsMemo}), else read with point lookups
   * for the services of that partition (its registry) — a window store is ordered by key, so a
   * scan of all keys would read its whole segment.
   */
  private StatsMemo.Window window(int partition, long start, long now) {
    WindowVersions.Stamp stamp = runtime.statsVersions().stamp(partition, start); // before reading
    StatsMemo.Window kept = memo.get(partition, start, stamp);
    if (kept != null) return kept;
    ReadOnlyKeyValueStore<String, LogCounts> registry = runtime.store(Stores.SERVICES.name(), QueryableStoreTypes.keyValueStore(), partition);
    ReadOnlyWindowStore<String, LogCounts> stats = runtime.store(Stores.SERVICE_STATS.name(), QueryableStoreTypes.windowStore(), partition);
    ReadOnlyWindowStore<String, TopErrors> errorStore = runtime.store(Stores.SERVICE_ERRORS.name(), QueryableStoreTypes.windowStore(), partition);
    Map<String, Counts> totals = new HashMap<>();
    Map<String, List<TopErrors.Entry>> errors = new HashMap<>();
    try (KeyValueIterator<String, LogCounts> it = registry.all()) {
      while (it.hasNext()) {
        String s = it.next().key;
        LogCounts c = stats.fetch(s, start);
        if (c == null) continue; // no log of s in this window (an error template implies a count)
        totals.put(s, Counts.of(c));
        TopErrors top = errorStore.fetch(s, start);
        if (top != null) errors.put(s, top.top(TopErrors.CAPACITY));
      }
    }
    StatsMemo.Window w = new StatsMemo.Window(stamp, totals, errors);
    memo.put(partition, start, w, now);
    return w;
  }

  /** Counts per bucket of {@code bucketMs} over the windows starting in [from, to]. */
  Parts.SeriesPart series(String service, Instant from, Instant to, long bucketMs) {
    Map<Long, Counts> buckets = new TreeMap<>();
    Set<Integer> read = forEachPartition(Stores.SERVICE_STATS.name(), service, p ->
        forEachWindow(Stores.SERVICE_STATS.name(), QueryableStoreTypes.<String, LogCounts>windowStore(), p, service, from, to,
            (key, start, value) -> buckets.merge(Merge.bucketStart(start, bucketMs), Counts.of(value), Counts::plus)));
    return new Parts.SeriesPart(read, buckets);
  }

  /**
   * The newest {@code limit} logs at or above {@code minLevel}, of one service or all. Each
   * (service, level) ring is read from its newest slot backwards and the rings are merged by
   * timestamp, so a query reads about {@code limit + rings} entries, not whole rings.
   */
  Parts.LogsPart recent(String service, Level minLevel, int limit) {
    List<Ring> rings = new ArrayList<>();
    Set<Integer> read = forEachPartition(Stores.RECENT_LOGS.name(), service, p -> {
      ReadOnlyKeyValueStore<String, Long> cursors = runtime.store(Stores.RECENT_LOGS_CURSOR.name(), QueryableStoreTypes.keyValueStore(), p);
      ReadOnlyKeyValueStore<String, LogRecord> logs = runtime.store(Stores.RECENT_LOGS.name(), QueryableStoreTypes.keyValueStore(), p);
      if (service != null) {
        for (Level level : Level.values()) {
          if (minLevel != null && level.compareTo(minLevel) < 0) continue;
          Long cursor = cursors.get(RecentLogKey.cursorKey(service, level));
          if (cursor != null) rings.add(new Ring(logs, service, level, cursor));
        }
      } else {
        try (KeyValueIterator<String, Long> it = cursors.all()) {
          while (it.hasNext()) {
            KeyValue<String, Long> kv = it.next();
            int bar = kv.key.lastIndexOf('|');
            Level level = Level.valueOf(kv.key.substring(bar + 1));
            if (minLevel != null && level.compareTo(minLevel) < 0) continue;
            rings.add(new Ring(logs, kv.key.substring(0, bar), level, kv.value));
          }
        }
      }
    });
    PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Merge.NEWEST_FIRST.compare(a.log, b.log));
    for (Ring r : rings) {
      Head h = r.next(ringSize);
      if (h != null) heads.add(h);
    }
    List<LogRecord> out = new ArrayList<>(Math.min(limit, 1024));
    while (out.size() < limit && !heads.isEmpty()) {
      Head h = heads.poll();
      out.add(h.log);
      Head next = h.ring.next(ringSize);
      if (next != null) heads.add(next);
    }
    out.sort(Merge.NEWEST_FIRST);
    requireStillRunning(Stores.RECENT_LOGS.name(), read);
    return new Parts.LogsPart(read, out);
  }

  /**
   * This instance's logs of one trace, oldest first, at most {@link #maxLogsPerTrace()}. {@code
   * trace-logs} is keyed by trace id but partitioned like {@code logflow.logs} (by service), so a
   * trace's logs may be in any partition: every local partition is read, and the caller merges the
   * parts of every instance ({@link Cluster#fanOut}).
   */
  Parts.LogsPart trace(String traceId) {
    List<LogRecord> out = new ArrayList<>();
    Set<Integer> read = forEachPartition(Stores.TRACE_LOGS.name(), null, p -> {
      ReadOnlyWindowStore<String, LogRecord> store = runtime.store(Stores.TRACE_LOGS.name(), QueryableStoreTypes.windowStore(), p);
      try (WindowStoreIterator<LogRecord> it = store.fetch(traceId, Instant.EPOCH, FAR_FUTURE)) {
        while (it.hasNext()) out.add(it.next().value);
      }
    });
    // the first maxLogsPerTrace of the merged answer are among the first maxLogsPerTrace of each part
    return new Parts.LogsPart(read, Merge.mergeSorted(List.of(out), Merge.OLDEST_FIRST, maxLogsPerTrace));
  }

  /** The most logs a trace is answered with (a partition keeps up to this many per trace, so several partitions may hold more). */
  int maxLogsPerTrace() {
    return maxLogsPerTrace;
  }

  /** The spans of one trace in start order, with its summary and critical path. */
  Parts.SpansPart spans(String traceId) {
    List<SpanRecord> spans = new ArrayList<>();
    TraceState[] state = {null};
    Set<Integer> read = forEachPartition(Stores.TRACE_SPANS.name(), traceId, p -> {
      ReadOnlyWindowStore<String, SpanRecord> store = runtime.store(Stores.TRACE_SPANS.name(), QueryableStoreTypes.windowStore(), p);
      try (WindowStoreIterator<SpanRecord> it = store.fetch(traceId, Instant.EPOCH, FAR_FUTURE)) {
        while (it.hasNext()) spans.add(it.next().value);
      }
      if (spans.isEmpty()) return; // no spans (expired or never seen): no trace to describe
      // The state is in the retention bucket of the trace's first span, so within [first - 2R, last + R].
      // Never fetch a cached window store over all time: its cache is walked segment by segment
      // through the whole range (that made one lookup take 140 ms).
      long first = spans.stream().mapToLong(SpanRecord::startMillis).min().orElseThrow();
      long last = spans.stream().mapToLong(SpanRecord::startMillis).max().orElseThrow();
      ReadOnlyWindowStore<String, TraceState> states = runtime.store(Stores.TRACE_STATES.name(), QueryableStoreTypes.windowStore(), p);
      try (WindowStoreIterator<TraceState> it = states.fetch(traceId, Instant.ofEpochMilli(first - 2 * traceRetentionMs), Instant.ofEpochMilli(last + traceRetentionMs))) {
        while (it.hasNext()) {
          TraceState s = it.next().value;
          if (state[0] == null || s.spanCount() > state[0].spanCount()) state[0] = s;
        }
      }
    });
    spans.sort(java.util.Comparator.comparingLong(SpanRecord::startNanos).thenComparing(SpanRecord::spanId));
    TraceState s = current(traceId, state[0], spans);
    return new Parts.SpansPart(read, spans, s == null ? null : s.summary(), s == null ? List.of() : s.criticalPath());
  }

  /**
   * The trace state that describes exactly {@code spans}: the stored one, or one made from the
   * spans when the stored one has fewer. The spans are written as they arrive, the state once per
   * commit (written behind, ADR 014), so for up to a commit interval a lookup can read spans the
   * stored summary and critical path do not count yet.
   */
  static TraceState current(String traceId, TraceState stored, List<SpanRecord> spans) {
    if (spans.isEmpty() || (stored != null && stored.spanCount() >= spans.size())) return stored;
    TraceState made = TraceState.empty(traceId);
    for (SpanRecord span : spans) made.add(span, Integer.MAX_VALUE); // the store kept no more than the bound
    return made;
  }

  /**
   * The newest {@code limit} traces matching {@code query} (start within its time range). With a
   * service, only that service's index entries are read; without, every entry (one per service of
   * a trace) is read and traces are de-duplicated.
   */
  Parts.TracesPart traces(TraceQuery query, int limit) {
    java.util.PriorityQueue<TraceSummary> newest = new java.util.PriorityQueue<>(TRACE_NEWEST_FIRST.reversed());
    Set<String> seen = new java.util.HashSet<>();
    Instant from = Instant.ofEpochMilli(query.fromMillis());
    Instant to = Instant.ofEpochMilli(query.toMillis());
    boolean detailed = query.operation() != null || !query.tags().isEmpty();
    Set<Integer> read = forEachPartition(Stores.TRACE_INDEX.name(), null, p -> {
      ReadOnlyWindowStore<String, TraceSummary> store = runtime.store(Stores.TRACE_INDEX.name(), QueryableStoreTypes.windowStore(), p);
      ReadOnlyWindowStore<String, TraceState> states = detailed ? runtime.store(Stores.TRACE_STATES.name(), QueryableStoreTypes.windowStore(), p) : null;
      try (KeyValueIterator<Windowed<String>, TraceSummary> it = query.service() != null
          ? store.fetch(Stores.traceIndexKey(query.service(), ""), Stores.traceIndexKey(query.service(), "\uffff"), from, to)
          : store.fetchAll(from, to)) {
        while (it.hasNext()) {
          var kv = it.next();
          TraceSummary t = kv.value;
          if (seen.contains(t.traceId())) continue;
          if (detailed) {
            // index entries carry no operations or tags (TraceSummary#withoutDetail): ask the trace's state
            if (!query.withoutDetail().matches(t)) continue;
            t = detail(states, t, kv.key.window().start());
            if (t == null) continue;
          }
          if (!query.matches(t)) continue;
          seen.add(t.traceId());
          newest.add(t);
          if (newest.size() > limit) newest.poll();
        }
      }
    });
    List<TraceSummary> out = new ArrayList<>(newest);
    out.sort(TRACE_NEWEST_FIRST);
    return new Parts.TracesPart(read, out);
  }

  /** The full summary (with operations and tags) of an indexed trace starting at {@code startMillis}; null when its state is gone. */
  private TraceSummary detail(ReadOnlyWindowStore<String, TraceState> states, TraceSummary t, long startMillis) {
    // the state is in the retention bucket of the first span that arrived: within [start - R, start + 2R]
    try (WindowStoreIterator<TraceState> it = states.fetch(t.traceId(), Instant.ofEpochMilli(startMillis - traceRetentionMs),
        Instant.ofEpochMilli(startMillis + 2 * traceRetentionMs))) {
      TraceState best = null;
      while (it.hasNext()) {
        TraceState s = it.next().value;
        if (best == null || s.spanCount() > best.spanCount()) best = s;
      }
      return best == null ? null : best.summary();
    }
  }

  static final java.util.Comparator<TraceSummary> TRACE_NEWEST_FIRST =
      java.util.Comparator.comparingLong(TraceSummary::startNanos).reversed().thenComparing(TraceSummary::traceId);

  /**
   * Span metrics summed over the 1-minute windows starting in [from, to]: of one service (keys:
   * its operations), or with {@code service} null every edge of the
   * dependency graph (keys: {@link Stores#edgeKey}).
   */
  Parts.SpanMetricsPart spanMetrics(String store, String service, Instant from, Instant to) {
    Map<String, SpanMetrics> sums = new TreeMap<>();
    Set<Integer> read = forEachPartition(store, null, p -> {
      ReadOnlyWindowStore<String, SpanMetrics> s = runtime.store(store, QueryableStoreTypes.windowStore(), p);
      if (service != null) {
        String prefix = service + Stores.KEY_SEPARATOR;
        try (KeyValueIterator<Windowed<String>, SpanMetrics> it = s.fetch(prefix, prefix + "\uffff", from, to)) {
          while (it.hasNext()) {
            var kv = it.next();
            sums.merge(kv.key.key().substring(prefix.length()), kv.value, SpanMetrics::merge);
          }
        }
      } else {
        try (KeyValueIterator<Windowed<String>, SpanMetrics> it = s.fetchAll(from, to)) {
          while (it.hasNext()) {
            var kv = it.next();
            sums.merge(kv.key.key(), kv.value, SpanMetrics::merge);
          }
        }
      }
    });
    Map<String, byte[]> out = new TreeMap<>();
    sums.forEach((k, v) -> out.put(k, v.toBytes()));
    return new Parts.SpanMetricsPart(read, out);
  }

  /**
   * The end of "all time" for the uncached trace stores (logs, spans). Never for a cached window
   * store: its cache is walked segment by segment through the whole range.
   */
  private static final Instant FAR_FUTURE = Instant.now().plusSeconds(100L * 365 * 24 * 3600);

  /** One (service, level) ring, read newest first. */
  private static final class Ring {
    final ReadOnlyKeyValueStore<String, LogRecord> logs;
    final String service;
    final Level level;
    final long cursor;
    long read;

    Ring(ReadOnlyKeyValueStore<String, LogRecord> logs, String service, Level level, long cursor) {
      this.logs = logs;
      this.service = service;
      this.level = level;
      this.cursor = cursor;
    }

    Head next(int size) {
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
  private interface PartitionReader {
    void read(int partition);
  }

  /**
   * Runs {@code reader} for the key's partition (owned here, else 503) or for every partition
   * assigned here, then checks that the assignment did not change meanwhile. Returns the partitions read.
   */
  private Set<Integer> forEachPartition(String store, String key, PartitionReader reader) {
    Set<Integer> partitions = key != null ? Set.of(runtime.ownedPartition(store, key)) : runtime.localPartitions(store);
    for (int p : partitions) reader.read(p);
    requireStillRunning(store, partitions);
    return partitions;
  }

  private void requireStillRunning(String store, Set<Integer> read) {
    if (runtime.state() != KafkaStreams.State.RUNNING || !runtime.localPartitions(store).containsAll(read)) {
      throw ApiException.unavailable("partitions of " + store + " moved while being read (rebalancing)", null);
    }
  }

  @FunctionalInterface
  private interface WindowVisitor<V> {
    void visit(String key, long windowStart, V value);
  }

  private <V> void forEachWindow(String storeName, QueryableStoreType<ReadOnlyWindowStore<String, V>> type, int partition,
      String key, Instant from, Instant to, WindowVisitor<V> visitor) {
    ReadOnlyWindowStore<String, V> store = runtime.store(storeName, type, partition);
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
