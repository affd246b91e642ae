package io.logflow.api;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.schema.Stores;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** The public read API: metrics and logs from the state stores of every instance. */
@Component
class QueryHandler {
  static final int MAX_MINUTES = 1440;
  static final int MAX_RECENT = 1000;
  static final int MAX_POINTS = 1440;
  static final int TOP_ERRORS_SHOWN = 10;
  private static final long MINUTE = Stores.STATS_WINDOW_MS;

  private final Cluster cluster;
  private final LocalStores local;
  private final TraceHandler traces;
  private final Clock clock;
  private final Coalescer coalescer = new Coalescer();

  private final tools.jackson.databind.json.JsonMapper mapper;

  QueryHandler(Cluster cluster, LocalStores local, TraceHandler traces, tools.jackson.databind.json.JsonMapper mapper) {
    this.mapper = mapper;
    this.cluster = cluster;
    this.local = local;
    this.traces = traces;
    this.clock = Clock.systemUTC();
  }

  record ServiceView(String name, long total, long errors, double errorRate, Map<String, Long> byLevel, String firstSeen, String lastSeen) {
    static ServiceView of(String name, Counts c) {
      Counts.View v = c.view();
      return new ServiceView(name, v.total(), v.errors(), v.errorRate(), v.byLevel(), v.firstSeen(), v.lastSeen());
    }
  }

  record ServicesView(int count, List<ServiceView> services) {}

  Mono<ServerResponse> services(ServerRequest req) {
    return coalescer.join("services", () -> cluster.fanOut(Stores.SERVICES.name(), Internal.SERVICES, Map.of(), Parts.ServicesPart.class, () -> local.services(null), ids(req))
            .map(parts -> Merge.sumByKey(parts.stream().map(Parts.ServicesPart::services).toList()))
            .map(all -> new ServicesView(all.size(), all.entrySet().stream().map(e -> ServiceView.of(e.getKey(), e.getValue())).toList())))
        .flatMap(QueryHandler::json);
  }

  record OverviewView(String from, String to, int minutes, long total, long errors, double errorRate, double logsPerMinute,
      Map<String, Long> byLevel, List<ServiceView> byService, List<Merge.ServiceError> topErrors) {}

  Mono<ServerResponse> overview(ServerRequest req) {
    int minutes = Params.intInRange("minutes", req.queryParam("minutes"), 15, 1, MAX_MINUTES);
    // serialised once per shared computation: every request joining it gets the same bytes
    return coalescer.join("overview:" + minutes, () -> overview(minutes, ids(req)).map(mapper::writeValueAsBytes))
        .flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
  }

  private Mono<OverviewView> overview(int minutes, Cluster.RequestIdsView ids) {
    Instant to = clock.instant();
    Instant from = windowsFrom(to, minutes);
    Map<String, Object> q = Map.of("from", from.toEpochMilli(), "to", to.toEpochMilli());
    return cluster.fanOut(Stores.SERVICE_STATS.name(), Internal.STATS, q, Parts.StatsPart.class, () -> local.stats(null, from, to), ids)
        .map(parts -> {
          Map<String, Counts> byService = Merge.sumByKey(parts.stream().map(Parts.StatsPart::totals).toList());
          Map<String, List<TopErrors.Entry>> errors = Merge.mergeErrorsByService(parts.stream().map(Parts.StatsPart::topErrors).toList(), LocalStores.ERRORS_KEPT);
          Counts total = Merge.sum(byService.values());
          Counts.View v = total.view();
          return new OverviewView(from.toString(), to.toString(), minutes, v.total(), v.errors(), v.errorRate(),
              (double) v.total() / minutes, v.byLevel(),
              byService.entrySet().stream().map(e -> ServiceView.of(e.getKey(), e.getValue())).toList(),
              Merge.topErrorsAcrossServices(errors, TOP_ERRORS_SHOWN));
        });
  }

  record WindowView(int minutes, String from, String to, long total, long errors, double errorRate, double logsPerMinute, Map<String, Long> byLevel) {}

  /**
   * @param allTime log counts since the service was first seen (zeros for a service that only sent spans)
   * @param spans RED metrics of the service's spans over the same window, null when it sent none
   */
  record ServiceMetricsView(String service, ServiceView allTime, WindowView window, List<TopErrors.Entry> topErrors, TraceHandler.RedView spans) {}

  Mono<ServerResponse> service(ServerRequest req) {
    String name = Params.service("name", java.util.Optional.of(req.pathVariable("name")));
    if (name == null) throw ApiException.badParameter("name", "parameter 'name' must not be blank");
    int minutes = Params.intInRange("minutes", req.queryParam("minutes"), 15, 1, MAX_MINUTES);
    Instant to = clock.instant();
    Instant from = windowsFrom(to, minutes);
    var registry = cluster.byKey(Stores.SERVICES.name(), name, Internal.SERVICES, Map.of("service", name), Parts.ServicesPart.class, () -> local.services(name), ids(req))
        .map(p -> java.util.Optional.ofNullable(p.services().get(name)));
    var stats = cluster.byKey(Stores.SERVICE_STATS.name(), name, Internal.STATS,
        Map.of("service", name, "from", from.toEpochMilli(), "to", to.toEpochMilli()), Parts.StatsPart.class, () -> local.stats(name, from, to), ids(req));
    var spans = traces.serviceSpanMetrics(name, from, to, req).map(m -> java.util.Optional.ofNullable(TraceHandler.total(m)));
    return Mono.zip(registry, stats, spans).flatMap(t -> {
      if (t.getT1().isEmpty() && t.getT3().isEmpty()) return Mono.error(ApiException.notFound("unknown service '" + name + "'"));
      Counts allTime = t.getT1().orElse(Counts.EMPTY);
      Counts window = t.getT2().totals().getOrDefault(name, Counts.EMPTY);
      Counts.View w = window.view();
      List<TopErrors.Entry> errors = t.getT2().topErrors().getOrDefault(name, List.of());
      return json(new ServiceMetricsView(name, ServiceView.of(name, allTime),
          new WindowView(minutes, from.toString(), to.toString(), w.total(), w.errors(), w.errorRate(), (double) w.total() / minutes, w.byLevel()),
          errors.size() > TOP_ERRORS_SHOWN ? errors.subList(0, TOP_ERRORS_SHOWN) : errors,
          t.getT3().map(m -> TraceHandler.RedView.of(name, m, minutes)).orElse(null)));
    });
  }

  record PointView(String start, long total, long errors, double errorRate, Map<String, Long> byLevel) {}

  record TimeseriesView(String service, String interval, String from, String to, List<PointView> points) {}

  Mono<ServerResponse> timeseries(ServerRequest req) {
    String service = Params.service("service", req.queryParam("service"));
    Params.Interval interval = Params.interval("interval", req.queryParam("interval"));
    long bucket = interval.size.toMillis();
    Instant to = Params.instant("to", req.queryParam("to"), clock.instant());
    Instant from = Params.instant("from", req.queryParam("from"), to.minus(interval.size.multipliedBy(60)));
    if (from.isAfter(to)) throw ApiException.badParameter("from", "parameter 'from' must not be after 'to'");
    long points = (Merge.bucketStart(to.toEpochMilli(), bucket) - Merge.bucketStart(from.toEpochMilli(), bucket)) / bucket + 1;
    if (points > MAX_POINTS) throw ApiException.badParameter("from", "parameter 'from' is too far before 'to': at most " + MAX_POINTS + " points of " + interval.label);
    // a window belongs to the bucket holding its start
    Instant windowsFrom = Instant.ofEpochMilli(Merge.bucketStart(from.toEpochMilli(), bucket));
    Map<String, Object> q = new HashMap<>(Map.of("from", windowsFrom.toEpochMilli(), "to", to.toEpochMilli(), "bucket", bucket));
    Mono<Map<Long, Counts>> buckets;
    if (service != null) {
      q.put("service", service);
      buckets = registryEntry(service, req).then(cluster.byKey(Stores.SERVICE_STATS.name(), service, Internal.SERIES, q, Parts.SeriesPart.class,
          () -> local.series(service, windowsFrom, to, bucket), ids(req)).map(Parts.SeriesPart::buckets));
    } else {
      buckets = cluster.fanOut(Stores.SERVICE_STATS.name(), Internal.SERIES, q, Parts.SeriesPart.class, () -> local.series(null, windowsFrom, to, bucket), ids(req))
          .map(parts -> Merge.sumBuckets(parts.stream().map(Parts.SeriesPart::buckets).toList()));
    }
    return buckets.flatMap(b -> {
      List<PointView> out = new ArrayList<>();
      Merge.fillBuckets(b, from.toEpochMilli(), to.toEpochMilli(), bucket).forEach((start, c) -> {
        Counts.View v = c.view();
        out.add(new PointView(Counts.iso(start), v.total(), v.errors(), v.errorRate(), v.byLevel()));
      });
      return json(new TimeseriesView(service, interval.label, from.toString(), to.toString(), out));
    });
  }

  record LogsView(int count, List<LogRecord> logs) {}

  Mono<ServerResponse> recent(ServerRequest req) {
    String service = Params.service("service", req.queryParam("service"));
    Level level = Params.level("level", req.queryParam("level"));
    int limit = Params.intInRange("limit", req.queryParam("limit"), 100, 1, MAX_RECENT);
    Map<String, Object> q = new HashMap<>();
    q.put("limit", limit);
    if (level != null) q.put("level", level.name());
    Mono<List<LogRecord>> logs;
    if (service != null) {
      q.put("service", service);
      logs = cluster.byKey(Stores.RECENT_LOGS.name(), service, Internal.RECENT, q, Parts.LogsPart.class, () -> local.recent(service, level, limit), ids(req))
          .map(Parts.LogsPart::logs);
    } else {
      logs = coalescer.join("recent:" + level + ":" + limit, () ->
          cluster.fanOut(Stores.RECENT_LOGS.name(), Internal.RECENT, q, Parts.LogsPart.class, () -> local.recent(null, level, limit), ids(req))
              .map(parts -> Merge.mergeSorted(parts.stream().map(Parts.LogsPart::logs).toList(), Merge.NEWEST_FIRST, limit)));
    }
    return logs.flatMap(l -> json(new LogsView(l.size(), l)));
  }

  record TraceView(String traceId, int count, List<String> services, List<LogRecord> logs) {}

  Mono<ServerResponse> trace(ServerRequest req) {
    String traceId = Params.traceId("traceId", req.pathVariable("traceId"));
    return traces.logs(traceId, ids(req))
        .flatMap(logs -> {
          if (logs.isEmpty()) return Mono.error(ApiException.notFound("no logs found for trace " + traceId));
          TreeSet<String> services = new TreeSet<>();
          logs.forEach(l -> services.add(l.service()));
          return json(new TraceView(traceId, logs.size(), List.copyOf(services), logs));
        });
  }

  /** The all-time registry entry of a service; 404 when it was never seen. */
  private Mono<Counts> registryEntry(String name, ServerRequest req) {
    return cluster.byKey(Stores.SERVICES.name(), name, Internal.SERVICES, Map.of("service", name), Parts.ServicesPart.class, () -> local.services(name), ids(req))
        .flatMap(p -> {
          Counts c = p.services().get(name);
          return c == null ? Mono.error(ApiException.notFound("unknown service '" + name + "'")) : Mono.just(c);
        });
  }

  /** Start of the window range covering the last {@code minutes} minutes: the current minute and the minutes-1 before it. */
  static Instant windowsFrom(Instant now, int minutes) {
    return Instant.ofEpochMilli(Merge.bucketStart(now.toEpochMilli(), MINUTE) - (minutes - 1) * MINUTE);
  }

  static Cluster.RequestIdsView ids(ServerRequest req) {
    return new Cluster.RequestIdsView(req.exchange().getAttribute(RequestIds.REQUEST_ID), req.exchange().getAttribute(RequestIds.CORRELATION_ID));
  }

  static Mono<ServerResponse> json(Object body) {
    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
  }

}
