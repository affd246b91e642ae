package io.logflow.api.query;

import io.logflow.api.cluster.LocalReads;
import io.logflow.api.cluster.Part;
import io.logflow.api.cluster.QueryViews;
import io.logflow.api.cluster.View;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import io.logflow.model.LogCounts;
import io.logflow.model.TopErrors;
import io.logflow.model.schema.Stores;
import io.logflow.topology.WindowVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.springframework.stereotype.Component;

/**
 * The per-service log statistics as queryable views: the service registry (all time), counts and
 * error templates summed over a time range, and counts per time bucket. Keyed by service: a
 * service's reads go to its owner, the rest fan out.
 */
@Component
class ServiceStats implements QueryViews {
    /** Error templates kept per service when merging (as many as a window holds). */
    static final int ERRORS_KEPT = TopErrors.CAPACITY;

    /** Service registry entries (all time). */
    record ServicesPart(Set<Integer> partitions, Map<String, Counts> services) implements Part {}

    /**
     * Per service: counts summed over the windows of a time range, and its top error templates merged over those
     * windows.
     */
    record StatsPart(Set<Integer> partitions, Map<String, Counts> totals, Map<String, List<TopErrors.Entry>> topErrors)
            implements Part {}

    /**
     * Counts per time bucket (bucket start, epoch millis): of every service read together ({@code buckets}), or per
     * service ({@code byService}, when the {@link Buckets} asked for it; the other map is then empty).
     */
    record SeriesPart(Set<Integer> partitions, Map<Long, Counts> buckets, Map<String, Map<Long, Counts>> byService)
            implements Part {}

    /** A time range of windows, of one service or (null) all. */
    record Range(String service, Instant from, Instant to) {}

    /** A time range cut into buckets of {@code bucketMs}; with {@code byService} counted per service. */
    record Buckets(String service, Instant from, Instant to, long bucketMs, boolean byService) {
        Buckets(String service, Instant from, Instant to, long bucketMs) {
            this(service, from, to, bucketMs, false);
        }
    }

    private final LocalReads local;
    private final StatsMemo memo = new StatsMemo();

    final View<String, ServicesPart> registry = View.of(
            "services",
            Stores.SERVICES,
            ServicesPart.class,
            service -> service == null ? Map.of() : Map.of("service", service),
            q -> Params.service("service", Params.first(q, "service")),
            this::services);

    final View<Range, StatsPart> stats = View.of(
            "stats",
            Stores.SERVICE_STATS,
            StatsPart.class,
            r -> rangeQuery(r.service(), r.from(), r.to()),
            q -> new Range(
                    Params.service("service", Params.first(q, "service")),
                    Params.requiredInstant("from", Params.first(q, "from")),
                    Params.requiredInstant("to", Params.first(q, "to"))),
            r -> stats(r.service(), r.from(), r.to()));

    final View<Buckets, SeriesPart> series = View.of(
            "series",
            Stores.SERVICE_STATS,
            SeriesPart.class,
            b -> {
                Map<String, Object> m = rangeQuery(b.service(), b.from(), b.to());
                m.put("bucket", b.bucketMs());
                if (b.byService()) m.put("by", "service");
                return m;
            },
            q -> new Buckets(
                    Params.service("service", Params.first(q, "service")),
                    Params.requiredInstant("from", Params.first(q, "from")),
                    Params.requiredInstant("to", Params.first(q, "to")),
                    Params.intInRange("bucket", Params.first(q, "bucket"), 60_000, 60_000, 24 * 3600_000),
                    byService(Params.first(q, "by"))),
            this::series);

    ServiceStats(LocalReads local) {
        this.local = local;
    }

    @Override
    public List<View<?, ?>> views() {
        return List.of(registry, stats, series);
    }

    private static Map<String, Object> rangeQuery(String service, Instant from, Instant to) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (service != null) m.put("service", service);
        m.put("from", from.toEpochMilli());
        m.put("to", to.toEpochMilli());
        return m;
    }

    /** Registry entries: all, or the one of {@code service}. */
    ServicesPart services(String service) {
        Map<String, Counts> out = new TreeMap<>();
        Set<Integer> read = local.forEachPartition(Stores.SERVICES, service, p -> {
            ReadOnlyKeyValueStore<String, LogCounts> store = local.keyValue(Stores.SERVICES, p);
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
        return new ServicesPart(read, out);
    }

    /** Per service, counts summed and error templates merged over the windows starting in [from, to]. */
    StatsPart stats(String service, Instant from, Instant to) {
        Map<String, Counts> totals = new TreeMap<>();
        Map<String, List<List<TopErrors.Entry>>> errors = new HashMap<>();
        long first = Merge.bucketStart(from.toEpochMilli() + Stores.STATS_WINDOW_MS - 1, Stores.STATS_WINDOW_MS);
        long now = System.currentTimeMillis();
        // the memo keeps no older windows
        boolean memoized = service == null
                && first >= now - WindowVersions.KEEP_MS
                && to.toEpochMilli() - first <= WindowVersions.KEEP_MS;
        Set<Integer> read = local.forEachPartition(Stores.SERVICE_STATS, service, p -> {
            if (memoized) {
                for (long start = first; start <= to.toEpochMilli(); start += Stores.STATS_WINDOW_MS) {
                    StatsMemo.Window w = window(p, start, now);
                    w.totals().forEach((s, c) -> totals.merge(s, c, Counts::plus));
                    w.errors()
                            .forEach((s, list) -> errors.computeIfAbsent(s, k -> new ArrayList<>())
                                    .add(list));
                }
                return;
            }
            local.forEachWindow(
                    Stores.SERVICE_STATS,
                    p,
                    service,
                    from,
                    to,
                    (key, start, value) -> totals.merge(key, Counts.of(value), Counts::plus));
            local.forEachWindow(
                    Stores.SERVICE_ERRORS,
                    p,
                    service,
                    from,
                    to,
                    (key, start, value) ->
                            errors.computeIfAbsent(key, k -> new ArrayList<>()).add(value.top(TopErrors.CAPACITY)));
        });
        Map<String, List<TopErrors.Entry>> topErrors = new TreeMap<>();
        errors.forEach((s, lists) -> topErrors.put(s, Merge.mergeErrors(lists, ERRORS_KEPT)));
        return new StatsPart(read, totals, topErrors);
    }

    /**
     * Every service's counts and error templates in one window of one local partition: kept from an
     * earlier read while the window is unchanged ({@link StatsMemo}), else read with point lookups
     * for the services of that partition (its registry) — a window store is ordered by key, so a
     * scan of all keys would read its whole segment.
     */
    private StatsMemo.Window window(int partition, long start, long now) {
        WindowVersions.Stamp stamp = local.runtime().statsVersions().stamp(partition, start); // before reading
        StatsMemo.Window kept = memo.get(partition, start, stamp);
        if (kept != null) return kept;
        ReadOnlyKeyValueStore<String, LogCounts> registry = local.keyValue(Stores.SERVICES, partition);
        ReadOnlyWindowStore<String, LogCounts> statsStore = local.window(Stores.SERVICE_STATS, partition);
        ReadOnlyWindowStore<String, TopErrors> errorStore = local.window(Stores.SERVICE_ERRORS, partition);
        Map<String, Counts> totals = new HashMap<>();
        Map<String, List<TopErrors.Entry>> errors = new HashMap<>();
        try (KeyValueIterator<String, LogCounts> it = registry.all()) {
            while (it.hasNext()) {
                String s = it.next().key;
                LogCounts c = statsStore.fetch(s, start);
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

    /** {@code by}: absent (one series) or {@code service} (one per service); 400 naming it otherwise. */
    static boolean byService(Optional<String> by) {
        return switch (by.orElse("")) {
            case "" -> false;
            case "service" -> true;
            default -> throw ApiException.badParameter("by", "parameter 'by' must be service");
        };
    }

    /** Counts per bucket of {@code bucketMs} over the windows starting in [from, to], per service when asked. */
    SeriesPart series(Buckets b) {
        Map<Long, Counts> buckets = new TreeMap<>();
        Map<String, Map<Long, Counts>> byService = new TreeMap<>();
        Set<Integer> read = local.forEachPartition(
                Stores.SERVICE_STATS,
                b.service(),
                p -> local.forEachWindow(
                        Stores.SERVICE_STATS,
                        p,
                        b.service(),
                        b.from(),
                        b.to(),
                        (key, start, value) -> (b.byService()
                                        ? byService.computeIfAbsent(key, k -> new TreeMap<>())
                                        : buckets)
                                .merge(Merge.bucketStart(start, b.bucketMs()), Counts.of(value), Counts::plus)));
        return new SeriesPart(read, buckets, byService);
    }
}
