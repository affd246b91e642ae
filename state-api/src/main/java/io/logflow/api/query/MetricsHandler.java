package io.logflow.api.query;

import io.logflow.api.cache.AnswerCache;
import io.logflow.api.cache.CacheKey;
import io.logflow.api.cluster.Cluster;
import io.logflow.api.query.RedMetrics.RedView;
import io.logflow.api.query.ServiceStats.Buckets;
import io.logflow.api.query.ServiceStats.Range;
import io.logflow.api.query.ServiceStats.SeriesPart;
import io.logflow.api.query.ServiceStats.ServicesPart;
import io.logflow.api.query.ServiceStats.StatsPart;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Coalescer;
import io.logflow.api.web.Params;
import io.logflow.api.web.RequestIds;
import io.logflow.api.web.Responses;
import io.logflow.model.SpanMetrics;
import io.logflow.model.TopErrors;
import io.logflow.model.schema.Stores;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The log metrics API: every service, the overview of the last minutes, one service's metrics, and
 * counts over time — from the per-service statistics of every instance ({@link ServiceStats}).
 */
@Component
public class MetricsHandler {
    static final int MAX_MINUTES = 1440;
    static final int MAX_POINTS = 1440;
    static final int TOP_ERRORS_SHOWN = 10;
    /** Services in a time series {@code by=service}: the default and the most a {@code limit} may ask for. */
    static final int SERIES_SERVICES = 30;

    static final int MAX_SERIES_SERVICES = 100;
    private static final long MINUTE = Stores.STATS_WINDOW_MS;

    private final Cluster cluster;
    private final ServiceStats stats;
    private final RedMetrics red;
    private final JsonMapper mapper;
    private final AnswerCache cache;
    private final Clock clock = Clock.systemUTC();
    private final Coalescer coalescer = new Coalescer();

    MetricsHandler(Cluster cluster, ServiceStats stats, RedMetrics red, JsonMapper mapper, AnswerCache cache) {
        this.cluster = cluster;
        this.stats = stats;
        this.red = red;
        this.mapper = mapper;
        this.cache = cache;
    }

    record ServiceView(
            String name,
            long total,
            long errors,
            double errorRate,
            Map<String, Long> byLevel,
            String firstSeen,
            String lastSeen) {
        static ServiceView of(String name, Counts c) {
            Counts.View v = c.view();
            return new ServiceView(
                    name, v.total(), v.errors(), v.errorRate(), v.byLevel(), v.firstSeen(), v.lastSeen());
        }

        static List<ServiceView> all(Map<String, Counts> byService) {
            return byService.entrySet().stream()
                    .map(e -> of(e.getKey(), e.getValue()))
                    .toList();
        }
    }

    record ServicesView(int count, List<ServiceView> services) {}

    /**
     * A service in the overview: its log counts over the range, and the RED metrics of its spans over the same
     * windows (as {@code /api/v1/metrics/service/{name}} has them), null when it sent no span in the range.
     */
    record OverviewServiceView(
            String name,
            long total,
            long errors,
            double errorRate,
            Map<String, Long> byLevel,
            String firstSeen,
            String lastSeen,
            RedView spans) {
        static OverviewServiceView of(ServiceView v, RedView spans) {
            return new OverviewServiceView(
                    v.name(), v.total(), v.errors(), v.errorRate(), v.byLevel(), v.firstSeen(), v.lastSeen(), spans);
        }
    }

    /** {@code GET /api/v1/services}. */
    public Mono<ServerResponse> services(ServerRequest req) {
        return coalescer
                .join(
                        "services",
                        () -> cluster.fanOut(stats.registry, null, RequestIds.of(req))
                                .map(parts -> Merge.sumByKey(parts.stream()
                                        .map(ServicesPart::services)
                                        .toList()))
                                .map(all -> new ServicesView(all.size(), ServiceView.all(all))))
                .flatMap(Responses::json);
    }

    record OverviewView(
            String from,
            String to,
            int minutes,
            long total,
            long errors,
            double errorRate,
            double logsPerMinute,
            Map<String, Long> byLevel,
            List<OverviewServiceView> byService,
            List<Merge.ServiceError> topErrors) {}

    /** {@code GET /api/v1/metrics/overview?minutes=}. */
    public Mono<ServerResponse> overview(ServerRequest req) {
        int minutes = Params.intInRange("minutes", req.queryParam("minutes"), 15, 1, MAX_MINUTES);
        RequestIds.Ids ids = RequestIds.of(req);
        // serialised once per shared computation: every request joining it gets the same bytes
        return cache.json(
                CacheKey.of("overview").with("minutes", minutes),
                () -> coalescer.join(
                        "overview:" + minutes, () -> overview(minutes, ids).map(mapper::writeValueAsBytes)));
    }

    private Mono<OverviewView> overview(int minutes, RequestIds.Ids ids) {
        Instant to = clock.instant();
        Instant from = windowsFrom(to, minutes);
        // two fan-outs whatever the number of services: the log statistics, and the span metrics merged per service
        return Mono.zip(
                        cluster.fanOut(stats.stats, new Range(null, from, to), ids),
                        red.spanMetricsByService(from, to, ids))
                .map(t -> overviewView(from, to, minutes, t.getT1(), t.getT2()));
    }

    /** Every instance's statistics merged into the overview, each service with its spans' metrics (if any). */
    static OverviewView overviewView(
            Instant from, Instant to, int minutes, List<StatsPart> parts, Map<String, SpanMetrics> spansByService) {
        Map<String, Counts> byService =
                Merge.sumByKey(parts.stream().map(StatsPart::totals).toList());
        Map<String, List<TopErrors.Entry>> errors = Merge.mergeErrorsByService(
                parts.stream().map(StatsPart::topErrors).toList(), ServiceStats.ERRORS_KEPT);
        Counts.View v = Merge.sum(byService.values()).view();
        return new OverviewView(
                from.toString(),
                to.toString(),
                minutes,
                v.total(),
                v.errors(),
                v.errorRate(),
                (double) v.total() / minutes,
                v.byLevel(),
                ServiceView.all(byService).stream()
                        .map(s -> {
                            SpanMetrics m = spansByService.get(s.name());
                            return OverviewServiceView.of(s, m == null ? null : RedView.of(s.name(), m, minutes));
                        })
                        .toList(),
                Merge.topErrorsAcrossServices(errors, TOP_ERRORS_SHOWN));
    }

    record WindowView(
            int minutes,
            String from,
            String to,
            long total,
            long errors,
            double errorRate,
            double logsPerMinute,
            Map<String, Long> byLevel) {}

    /**
     * @param allTime log counts since the service was first seen (zeros for a service that only sent spans)
     * @param spans RED metrics of the service's spans over the same window, null when it sent none
     */
    record ServiceMetricsView(
            String service, ServiceView allTime, WindowView window, List<TopErrors.Entry> topErrors, RedView spans) {}

    /** {@code GET /api/v1/metrics/service/{name}?minutes=}: 404 when the service sent neither logs nor spans. */
    public Mono<ServerResponse> service(ServerRequest req) {
        String name = Params.serviceName("name", req.pathVariable("name"));
        int minutes = Params.intInRange("minutes", req.queryParam("minutes"), 15, 1, MAX_MINUTES);
        Instant to = clock.instant();
        Instant from = windowsFrom(to, minutes);
        RequestIds.Ids ids = RequestIds.of(req);
        var registry = cluster.byKey(
                        stats.registry, name, name, ids, p -> p.services().containsKey(name))
                .map(p -> Optional.ofNullable(p.services().get(name)));
        var window = cluster.byKey(stats.stats, name, new Range(name, from, to), ids);
        var spans = red.serviceSpanMetrics(name, from, to, ids).map(m -> Optional.ofNullable(RedMetrics.total(m)));
        return cache.json(
                CacheKey.of("service").with("name", name).with("minutes", minutes),
                () -> Mono.zip(registry, window, spans).flatMap(t -> {
                    if (t.getT1().isEmpty() && t.getT3().isEmpty())
                        return Mono.error(ApiException.notFound("unknown service '" + name + "'"));
                    return Mono.just(serviceView(
                            name,
                            minutes,
                            from,
                            to,
                            t.getT1().orElse(Counts.EMPTY),
                            t.getT2(),
                            t.getT3().orElse(null)));
                }));
    }

    static ServiceMetricsView serviceView(
            String name, int minutes, Instant from, Instant to, Counts allTime, StatsPart window, SpanMetrics spans) {
        Counts.View w = window.totals().getOrDefault(name, Counts.EMPTY).view();
        List<TopErrors.Entry> errors = window.topErrors().getOrDefault(name, List.of());
        return new ServiceMetricsView(
                name,
                ServiceView.of(name, allTime),
                new WindowView(
                        minutes,
                        from.toString(),
                        to.toString(),
                        w.total(),
                        w.errors(),
                        w.errorRate(),
                        (double) w.total() / minutes,
                        w.byLevel()),
                errors.size() > TOP_ERRORS_SHOWN ? errors.subList(0, TOP_ERRORS_SHOWN) : errors,
                spans == null ? null : RedView.of(name, spans, minutes));
    }

    record PointView(String start, long total, long errors, double errorRate, Map<String, Long> byLevel) {}

    record TimeseriesView(String service, String interval, String from, String to, List<PointView> points) {}

    /** One service's series in a time series {@code by=service}: its totals over the range and its points. */
    record ServiceSeriesView(String service, long total, long errors, List<PointView> points) {}

    /**
     * A time series {@code by=service}: {@code count} services logged in the range, the {@code limit} with the most
     * logs are in {@code services} (most first, then by name).
     */
    record ServicesSeriesView(
            String by,
            String interval,
            String from,
            String to,
            int count,
            int limit,
            List<ServiceSeriesView> services) {}

    /**
     * What a time series asks for: the range as given, and the windows to read (from the start of the bucket holding
     * 'from'), per service when {@code windows().byService()}, then at most {@code limit} services.
     */
    record Series(String service, Params.Interval interval, Instant from, Instant to, Buckets windows, int limit) {}

    /** {@code GET /api/v1/metrics/timeseries?service=&interval=&from=&to=&by=&limit=}. */
    public Mono<ServerResponse> timeseries(ServerRequest req) {
        Series s = series(req.queryParams(), clock.instant());
        RequestIds.Ids ids = RequestIds.of(req);
        return cache.json(cacheKey(s, req.queryParams()), () -> timeseries(s, ids));
    }

    private Mono<?> timeseries(Series s, RequestIds.Ids ids) {
        if (s.windows().byService()) {
            return cluster.fanOut(stats.series, s.windows(), ids)
                    .map(parts -> Merge.sumBucketsByKey(
                            parts.stream().map(SeriesPart::byService).toList()))
                    .map(byService -> servicesSeriesView(s, byService));
        }
        Mono<Map<Long, Counts>> buckets = s.service() != null
                ? registryEntry(s.service(), ids)
                        .then(cluster.byKey(stats.series, s.service(), s.windows(), ids)
                                .map(SeriesPart::buckets))
                : cluster.fanOut(stats.series, s.windows(), ids)
                        .map(parts -> Merge.sumBuckets(
                                parts.stream().map(SeriesPart::buckets).toList()));
        return buckets.map(b -> timeseriesView(s, b));
    }

    /** A time series' cache key: its parameters as parsed. */
    static CacheKey cacheKey(Series s, MultiValueMap<String, String> query) {
        return CacheKey.of("timeseries")
                .with("service", s.service())
                .with("interval", s.interval().label)
                .with("by", s.windows().byService() ? "service" : null)
                .with("limit", s.windows().byService() ? s.limit() : null)
                .range(query, s.from(), s.to());
    }

    /** The time-series parameters; 400 naming the parameter when one is malformed or the range has too many points. */
    static Series series(MultiValueMap<String, String> query, Instant now) {
        String service = Params.service("service", Params.first(query, "service"));
        boolean byService = ServiceStats.byService(Params.first(query, "by"));
        if (byService && service != null)
            throw ApiException.badParameter("by", "parameter 'by' cannot be combined with a 'service'");
        int limit = Params.intInRange("limit", Params.first(query, "limit"), SERIES_SERVICES, 1, MAX_SERIES_SERVICES);
        Params.Interval interval = Params.interval("interval", Params.first(query, "interval"));
        long bucket = interval.size.toMillis();
        Instant to = Params.instant("to", Params.first(query, "to"), now);
        Instant from = Params.instant("from", Params.first(query, "from"), to.minus(interval.size.multipliedBy(60)));
        if (from.isAfter(to)) throw ApiException.badParameter("from", "parameter 'from' must not be after 'to'");
        long points =
                (Merge.bucketStart(to.toEpochMilli(), bucket) - Merge.bucketStart(from.toEpochMilli(), bucket)) / bucket
                        + 1;
        if (points > MAX_POINTS) {
            throw ApiException.badParameter(
                    "from",
                    "parameter 'from' is too far before 'to': at most " + MAX_POINTS + " points of " + interval.label);
        }
        // a window belongs to the bucket holding its start
        Instant windowsFrom = Instant.ofEpochMilli(Merge.bucketStart(from.toEpochMilli(), bucket));
        return new Series(service, interval, from, to, new Buckets(service, windowsFrom, to, bucket, byService), limit);
    }

    static TimeseriesView timeseriesView(Series s, Map<Long, Counts> buckets) {
        return new TimeseriesView(
                s.service(), s.interval().label, s.from().toString(), s.to().toString(), points(s, buckets));
    }

    /** The series of the services with the most logs in the range, at most {@code s.limit()}. */
    static ServicesSeriesView servicesSeriesView(Series s, Map<String, Map<Long, Counts>> byService) {
        List<ServiceSeriesView> all = new ArrayList<>();
        byService.forEach((name, buckets) -> {
            Counts.View v = Merge.sum(buckets.values()).view();
            all.add(new ServiceSeriesView(name, v.total(), v.errors(), null));
        });
        all.sort(Comparator.comparingLong(ServiceSeriesView::total)
                .reversed()
                .thenComparing(ServiceSeriesView::service));
        List<ServiceSeriesView> shown = all.stream()
                .limit(s.limit())
                .map(v -> new ServiceSeriesView(
                        v.service(), v.total(), v.errors(), points(s, byService.get(v.service()))))
                .toList();
        return new ServicesSeriesView(
                "service", s.interval().label, s.from().toString(), s.to().toString(), all.size(), s.limit(), shown);
    }

    /** Every bucket of the range, zeros in the gaps. */
    private static List<PointView> points(Series s, Map<Long, Counts> buckets) {
        List<PointView> out = new ArrayList<>();
        Merge.fillBuckets(
                        buckets,
                        s.from().toEpochMilli(),
                        s.to().toEpochMilli(),
                        s.windows().bucketMs())
                .forEach((start, c) -> {
                    Counts.View v = c.view();
                    out.add(new PointView(Counts.iso(start), v.total(), v.errors(), v.errorRate(), v.byLevel()));
                });
        return out;
    }

    /** The all-time registry entry of a service; 404 when it was never seen. */
    private Mono<Counts> registryEntry(String name, RequestIds.Ids ids) {
        return cluster.byKey(stats.registry, name, name, ids, p -> p.services().containsKey(name))
                .flatMap(p -> {
                    Counts c = p.services().get(name);
                    return c == null
                            ? Mono.error(ApiException.notFound("unknown service '" + name + "'"))
                            : Mono.just(c);
                });
    }

    /**
     * Start of the window range covering the last {@code minutes} minutes: the current minute and the minutes-1 before
     * it.
     */
    static Instant windowsFrom(Instant now, int minutes) {
        return Instant.ofEpochMilli(Merge.bucketStart(now.toEpochMilli(), MINUTE) - (minutes - 1) * MINUTE);
    }
}
