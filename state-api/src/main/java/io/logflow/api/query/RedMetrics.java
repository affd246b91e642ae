package io.logflow.api.query;

import static io.logflow.api.query.TraceAssembly.round;

import io.logflow.api.cache.AnswerCache;
import io.logflow.api.cache.CacheKey;
import io.logflow.api.cluster.Cluster;
import io.logflow.api.cluster.LocalReads;
import io.logflow.api.cluster.Part;
import io.logflow.api.cluster.QueryViews;
import io.logflow.api.cluster.View;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import io.logflow.api.web.RequestIds;
import io.logflow.model.SpanMetrics;
import io.logflow.model.schema.StoreSpec;
import io.logflow.model.schema.Stores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * RED metrics of spans (rate, errors, duration percentiles from mergeable sketches): the operations
 * of a service ({@code GET /api/v1/services/{name}/operations}), the same per time bucket
 * ({@code .../operations/series}, shaped by {@link RedSeries}), and the service dependency graph
 * ({@code GET /api/v1/dependencies}). Both stores are partial per partition ({@code logflow.spans}
 * is keyed by trace id): every query fans out and merges.
 */
@Component
public class RedMetrics implements QueryViews {
    /** {@link SpanMetrics} in bytes (mergeable sketches), summed over a time range, by key (operation or edge). */
    record SpanMetricsPart(Set<Integer> partitions, Map<String, byte[]> metrics) implements Part {}

    /**
     * One store's metrics over windows starting in [from, to]: of one service's operations (or of one of them), or
     * (null service) every key. With {@code bucketMs} above 0 the keys are the starts of the buckets of that size
     * holding the windows (epoch millis, as text), the metrics of every key read merged per bucket. With
     * {@code byService} (the operations store, every service) the keys are the services, the metrics of their
     * operations merged: one sketch per service crosses the network, not one per operation.
     */
    record Read(
            StoreSpec<String, SpanMetrics> store,
            String service,
            String operation,
            long bucketMs,
            Instant from,
            Instant to,
            boolean byService) {
        Read(
                StoreSpec<String, SpanMetrics> store,
                String service,
                String operation,
                long bucketMs,
                Instant from,
                Instant to) {
            this(store, service, operation, bucketMs, from, to, false);
        }

        Read(StoreSpec<String, SpanMetrics> store, String service, Instant from, Instant to) {
            this(store, service, null, 0, from, to);
        }

        /** Every service's operations over windows starting in [from, to], merged per service. */
        static Read everyService(Instant from, Instant to) {
            return new Read(Stores.SPAN_METRICS, null, null, 0, from, to, true);
        }

        /** The key a stored key read in a window starting at {@code windowStart} is summed under. */
        String keyOf(String storeKey, long windowStart) {
            if (bucketMs > 0) return Long.toString(Merge.bucketStart(windowStart, bucketMs));
            if (byService) return storeKey.substring(0, storeKey.indexOf(Stores.KEY_SEPARATOR));
            return service == null ? storeKey : storeKey.substring(service.length() + 1);
        }

        Map<String, Object> query() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store", store.equals(Stores.SPAN_METRICS) ? "metrics" : "edges");
            if (service != null) m.put("service", service);
            if (operation != null) m.put("operation", operation);
            if (bucketMs > 0) m.put("bucket", bucketMs);
            if (byService) m.put("by", "service");
            m.put("from", from.toEpochMilli());
            m.put("to", to.toEpochMilli());
            return m;
        }

        static Read parse(MultiValueMap<String, String> q) {
            StoreSpec<String, SpanMetrics> store = switch (Params.first(q, "store")
                    .orElse("")) {
                case "metrics" -> Stores.SPAN_METRICS;
                case "edges" -> Stores.SERVICE_EDGES;
                default -> throw ApiException.badParameter("store", "parameter 'store' must be metrics or edges");
            };
            String service = Params.service("service", Params.first(q, "service"));
            String operation =
                    Params.first(q, "operation").filter(s -> !s.isEmpty()).orElse(null);
            if (operation != null && service == null)
                throw ApiException.badParameter("operation", "parameter 'operation' needs a 'service'");
            int bucket = Params.intInRange("bucket", Params.first(q, "bucket"), 0, 0, MAX_BUCKET_MS);
            if (bucket > 0 && bucket < Stores.STATS_WINDOW_MS)
                throw ApiException.badParameter(
                        "bucket", "parameter 'bucket' must be 0 or between 60000 and " + MAX_BUCKET_MS);
            boolean byService = switch (Params.first(q, "by").orElse("")) {
                case "" -> false;
                case "service" -> true;
                default -> throw ApiException.badParameter("by", "parameter 'by' must be service");
            };
            if (byService && (service != null || bucket > 0 || !store.equals(Stores.SPAN_METRICS)))
                throw ApiException.badParameter(
                        "by", "parameter 'by' needs store 'metrics' and neither a 'service' nor a 'bucket'");
            return new Read(
                    store,
                    service,
                    operation,
                    bucket,
                    Params.requiredInstant("from", Params.first(q, "from")),
                    Params.requiredInstant("to", Params.first(q, "to")),
                    byService);
        }
    }

    static final int MAX_BUCKET_MS = 24 * 3600_000;

    /** Rate, errors and duration of a set of calls over a time range. */
    record RedView(
            String name,
            long count,
            double perMinute,
            long errors,
            double errorRate,
            double p50Ms,
            double p95Ms,
            double p99Ms) {
        static RedView of(String name, SpanMetrics m, double minutes) {
            return new RedView(
                    name,
                    m.count(),
                    round(m.count() / minutes),
                    m.errors(),
                    m.errorRate(),
                    round(m.quantileMillis(0.50)),
                    round(m.quantileMillis(0.95)),
                    round(m.quantileMillis(0.99)));
        }
    }

    record OperationsView(
            String service, int minutes, String from, String to, RedView total, List<RedView> operations) {}

    record EdgeView(
            String caller,
            String callee,
            long calls,
            double perMinute,
            long errors,
            double errorRate,
            double p50Ms,
            double p95Ms,
            double p99Ms) {}

    record DependenciesView(String from, String to, List<String> services, List<EdgeView> edges) {}

    private final Cluster cluster;
    private final LocalReads local;
    private final AnswerCache cache;
    private final Clock clock = Clock.systemUTC();

    final View<Read, SpanMetricsPart> view;

    RedMetrics(Cluster cluster, LocalReads local, AnswerCache cache) {
        this.cluster = cluster;
        this.local = local;
        this.cache = cache;
        this.view =
                new View<>("span-metrics", Read::store, SpanMetricsPart.class, Read::query, Read::parse, this::read);
    }

    @Override
    public List<View<?, ?>> views() {
        return List.of(view);
    }

    public Mono<ServerResponse> operations(ServerRequest req) {
        String service = Params.serviceName("name", req.pathVariable("name"));
        int minutes = Params.intInRange("minutes", req.queryParam("minutes"), 60, 1, MetricsHandler.MAX_MINUTES);
        Instant to = clock.instant();
        Instant from = MetricsHandler.windowsFrom(to, minutes);
        return cache.json(
                CacheKey.of("operations").with("service", service).with("minutes", minutes),
                () -> serviceSpanMetrics(service, from, to, RequestIds.of(req)).flatMap(m -> {
                    SpanMetrics total = total(m);
                    if (total == null)
                        return Mono.error(ApiException.notFound(
                                "no spans of service '" + service + "' in the last " + minutes + " minutes"));
                    return Mono.just(operationsView(service, minutes, from, to, m, total));
                }));
    }

    /**
     * {@code GET /api/v1/services/{name}/operations/series?minutes=&interval=&operation=}: the service's (or one
     * operation's) RED metrics per time bucket, the sketches merged per bucket over every instance; 404 like
     * {@link #operations} when nothing matches.
     */
    public Mono<ServerResponse> series(ServerRequest req) {
        String service = Params.serviceName("name", req.pathVariable("name"));
        RedSeries.Query q = RedSeries.query(service, req.queryParams(), clock.instant());
        CacheKey key = CacheKey.of("operations-series")
                .with("service", service)
                .with("operation", q.operation())
                .with("minutes", q.minutes())
                .with("interval", q.interval().label);
        return cache.json(
                key,
                () -> cluster.fanOut(view, q.read(), RequestIds.of(req))
                        .map(RedMetrics::mergeMetrics)
                        .flatMap(byBucket -> byBucket.isEmpty()
                                ? Mono.error(ApiException.notFound(q.nothingFound()))
                                : Mono.just(RedSeries.view(q, byBucket))));
    }

    static OperationsView operationsView(
            String service,
            int minutes,
            Instant from,
            Instant to,
            Map<String, SpanMetrics> byOperation,
            SpanMetrics total) {
        List<RedView> ops = new ArrayList<>();
        byOperation.forEach((op, metrics) -> ops.add(RedView.of(op, metrics, minutes)));
        ops.sort(Comparator.comparingLong(RedView::count).reversed().thenComparing(RedView::name));
        return new OperationsView(
                service, minutes, from.toString(), to.toString(), RedView.of(service, total, minutes), ops);
    }

    /** The merge of a service's operations; null when it has none. */
    static SpanMetrics total(Map<String, SpanMetrics> byOperation) {
        if (byOperation.isEmpty()) return null;
        SpanMetrics total = SpanMetrics.empty();
        byOperation.values().forEach(total::merge);
        return total;
    }

    /** A service's span metrics over [from, to] by operation, merged over every instance. */
    Mono<Map<String, SpanMetrics>> serviceSpanMetrics(String service, Instant from, Instant to, RequestIds.Ids ids) {
        return cluster.fanOut(view, new Read(Stores.SPAN_METRICS, service, from, to), ids)
                .map(RedMetrics::mergeMetrics);
    }

    /** Every service's span metrics over [from, to] (its operations merged), merged over every instance. */
    Mono<Map<String, SpanMetrics>> spanMetricsByService(Instant from, Instant to, RequestIds.Ids ids) {
        return cluster.fanOut(view, Read.everyService(from, to), ids).map(RedMetrics::mergeMetrics);
    }

    public Mono<ServerResponse> dependencies(ServerRequest req) {
        Instant to = Params.instant("to", req.queryParam("to"), clock.instant());
        Instant from = Params.instant("from", req.queryParam("from"), to.minus(TraceHandler.DEFAULT_RANGE));
        Params.range(from, to, TraceHandler.MAX_RANGE);
        // a window belongs to the range when it starts in it: include the window holding 'from'
        Instant windowsFrom = Instant.ofEpochMilli(Merge.bucketStart(from.toEpochMilli(), Stores.STATS_WINDOW_MS));
        return cache.json(
                CacheKey.of("dependencies").range(req.queryParams(), from, to),
                () -> cluster.fanOut(view, new Read(Stores.SERVICE_EDGES, null, windowsFrom, to), RequestIds.of(req))
                        .map(RedMetrics::mergeMetrics)
                        .map(edges -> dependenciesView(from, to, edges)));
    }

    static DependenciesView dependenciesView(Instant from, Instant to, Map<String, SpanMetrics> edges) {
        double minutes = Math.max(1, Duration.between(from, to).toMillis() / 60_000.0);
        TreeSet<String> services = new TreeSet<>();
        List<EdgeView> out = new ArrayList<>();
        edges.forEach((key, m) -> {
            int sep = key.indexOf(Stores.KEY_SEPARATOR);
            String caller = key.substring(0, sep);
            String callee = key.substring(sep + 1);
            services.add(caller);
            services.add(callee);
            RedView r = RedView.of(key, m, minutes);
            out.add(new EdgeView(
                    caller,
                    callee,
                    r.count(),
                    r.perMinute(),
                    r.errors(),
                    r.errorRate(),
                    r.p50Ms(),
                    r.p95Ms(),
                    r.p99Ms()));
        });
        return new DependenciesView(from.toString(), to.toString(), List.copyOf(services), out);
    }

    static Map<String, SpanMetrics> mergeMetrics(List<SpanMetricsPart> parts) {
        Map<String, SpanMetrics> out = new TreeMap<>();
        for (SpanMetricsPart p : parts)
            p.metrics().forEach((k, bytes) -> out.merge(k, SpanMetrics.fromBytes(bytes), SpanMetrics::merge));
        return out;
    }

    /**
     * Span metrics summed over the 1-minute windows starting in [from, to]: of one service (keys: its operations; only
     * {@code operation} when set), or with {@code service} null every key (for the edges store: every edge of the
     * dependency graph, keys {@link Stores#edgeKey}); with a bucket size, summed per bucket instead (keys: bucket
     * starts); {@code byService}, summed per service (keys: services).
     */
    SpanMetricsPart read(Read r) {
        Map<String, SpanMetrics> sums = new TreeMap<>();
        String prefix = r.service() == null ? "" : r.service() + Stores.KEY_SEPARATOR;
        Set<Integer> read = local.forEachPartition(r.store(), null, p -> {
            ReadOnlyWindowStore<String, SpanMetrics> s = local.window(r.store(), p);
            try (KeyValueIterator<Windowed<String>, SpanMetrics> it = r.service() == null
                    ? s.fetchAll(r.from(), r.to())
                    : r.operation() != null
                            ? s.fetch(prefix + r.operation(), prefix + r.operation(), r.from(), r.to())
                            : s.fetch(prefix, prefix + "\uffff", r.from(), r.to())) {
                while (it.hasNext()) {
                    var kv = it.next();
                    sums.merge(r.keyOf(kv.key.key(), kv.key.window().start()), kv.value, SpanMetrics::merge);
                }
            }
        });
        Map<String, byte[]> out = new TreeMap<>();
        sums.forEach((k, v) -> out.put(k, v.toBytes()));
        return new SpanMetricsPart(read, out);
    }
}
