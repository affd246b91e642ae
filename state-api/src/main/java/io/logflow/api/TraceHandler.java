package io.logflow.api;

import io.logflow.model.CriticalPath;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.TraceQuery;
import io.logflow.model.TraceSummary;
import io.logflow.model.schema.Stores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trace read API: one trace with its logs, trace search, operations of a service, the service
 * dependency graph. Trace by id is an owner lookup (spans, partitioned by trace id) in parallel with
 * a fan-out (logs, partitioned by service: ADR 012); everything else fans out to every instance and
 * merges (docs/adr/007-traces.md).
 */
@Component
class TraceHandler {
  static final int MAX_TRACES = 1000;
  static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  static final Duration MAX_RANGE = Duration.ofDays(7);

  private final Cluster cluster;
  private final LocalStores local;
  private final JsonMapper json;
  private final Clock clock = Clock.systemUTC();

  TraceHandler(Cluster cluster, LocalStores local, JsonMapper json) {
    this.cluster = cluster;
    this.local = local;
    this.json = json;
  }

  // ---- one trace ------------------------------------------------------------------------------

  record SummaryView(String traceId, String rootService, String rootOperation, boolean rootKnown, String start, long startNanos,
      double durationMs, int spanCount, int errorCount, boolean error, List<String> services) {
    static SummaryView of(TraceSummary s) {
      return new SummaryView(s.traceId(), s.rootService(), s.rootOperation(), s.rootKnown(), Instant.ofEpochSecond(0, s.startNanos()).toString(),
          s.startNanos(), millis(s.durationNanos()), s.spanCount(), s.errorCount(), s.error(), s.services());
    }
  }

  record SegmentView(String spanId, String service, String name, double offsetMs, double durationMs) {}

  /** One span of the tree; absent fields (no parent, no status message, no events, ...) are left out. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
  record SpanView(String spanId, String parentSpanId, int depth, String service, String name, SpanRecord.Kind kind, String start,
      long startNanos, double offsetMs, double durationMs, SpanRecord.Status status, String statusMessage, String scope,
      Map<String, String> attributes, List<SpanRecord.Event> events, List<SpanRecord.Link> links,
      int logCount, double criticalPathMs) {}

  /** A log of the trace; {@code spanInTrace} says whether its span id is one of the trace's spans. */
  record TraceLogView(String eventId, long timestamp, String service, io.logflow.model.Level level, String message, String spanId,
      boolean spanInTrace, String requestId, String correlationId, Map<String, String> labels) {}

  /** @param resources the resource attributes of each service's spans (once per service, not per span) */
  record TraceView(String traceId, SummaryView summary, List<SegmentView> criticalPath, int spanCount, List<SpanView> spans,
      Map<String, Map<String, String>> resources, int logCount, List<TraceLogView> logs) {}

  Mono<ServerResponse> trace(ServerRequest req) {
    String traceId = Params.traceId("traceId", req.pathVariable("traceId"));
    var ids = QueryHandler.ids(req);
    Mono<Parts.SpansPart> spans = cluster.byKey(Stores.TRACE_SPANS.name(), traceId, Internal.SPANS, Map.of("trace_id", traceId),
        Parts.SpansPart.class, () -> local.spans(traceId), ids);
    return Mono.zip(spans, logs(traceId, ids)).flatMap(t -> respond(traceId, t.getT1(), t.getT2()));
  }

  /**
   * The logs of one trace from every instance, oldest first (ties: event id), at most the per-trace
   * maximum. {@code trace-logs} is partitioned like {@code logflow.logs} (by service), so any
   * partition may hold some of a trace's logs: this is a fan-out, complete or a 503 (ADR 012).
   */
  Mono<List<LogRecord>> logs(String traceId, Cluster.RequestIdsView ids) {
    return cluster.fanOut(Stores.TRACE_LOGS.name(), Internal.TRACE, Map.of("trace_id", traceId), Parts.LogsPart.class, () -> local.trace(traceId), ids)
        .map(parts -> Merge.mergeSorted(parts.stream().map(Parts.LogsPart::logs).toList(), Merge.OLDEST_FIRST, local.maxLogsPerTrace()));
  }

  private static Mono<ServerResponse> respond(String traceId, Parts.SpansPart spans, List<LogRecord> logs) {
    if (spans.spans().isEmpty() && logs.isEmpty()) return Mono.error(ApiException.notFound("no spans or logs found for trace " + traceId));
    return QueryHandler.json(assemble(traceId, spans, logs));
  }

  /**
   * Spans as a tree (depth-first, children by start time), logs linked to their spans.
   *
   * @param logs in time order, as {@link #logs} merges them
   */
  static TraceView assemble(String traceId, Parts.SpansPart part, List<LogRecord> logs) {
    List<SpanRecord> spans = part.spans();
    Map<String, SpanRecord> byId = new HashMap<>();
    for (SpanRecord s : spans) byId.putIfAbsent(s.spanId(), s);
    Map<String, List<SpanRecord>> children = new HashMap<>();
    List<SpanRecord> roots = new ArrayList<>();
    for (SpanRecord s : byId.values()) {
      if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId())) children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      else roots.add(s);
    }
    Comparator<SpanRecord> byStart = Comparator.comparingLong(SpanRecord::startNanos).thenComparing(SpanRecord::spanId);
    roots.sort(byStart);
    children.values().forEach(l -> l.sort(byStart));

    Map<String, Integer> logsPerSpan = new HashMap<>();
    List<TraceLogView> logViews = new ArrayList<>(logs.size());
    for (LogRecord l : logs) {
      boolean inTrace = l.spanId() != null && byId.containsKey(l.spanId());
      if (inTrace) logsPerSpan.merge(l.spanId(), 1, Integer::sum);
      logViews.add(new TraceLogView(l.eventId(), l.timestamp(), l.service(), l.level(), l.message(), l.spanId(), inTrace,
          l.requestId(), l.correlationId(), l.labels()));
    }

    long traceStart = part.summary() != null ? part.summary().startNanos()
        : spans.stream().mapToLong(SpanRecord::startNanos).min().orElse(0);
    Map<String, Long> criticalNanos = new HashMap<>();
    List<SegmentView> path = new ArrayList<>();
    for (CriticalPath.Segment seg : part.criticalPath()) {
      criticalNanos.merge(seg.spanId(), seg.endNanos() - seg.startNanos(), Long::sum);
      path.add(new SegmentView(seg.spanId(), seg.service(), seg.name(), millis(seg.startNanos() - traceStart), millis(seg.endNanos() - seg.startNanos())));
    }

    Map<String, Map<String, String>> resources = new TreeMap<>();
    for (SpanRecord s : spans) if (!s.resource().isEmpty()) resources.putIfAbsent(s.service(), s.resource());
    List<SpanView> tree = new ArrayList<>(byId.size());
    Set<String> visited = new HashSet<>();
    for (SpanRecord root : roots) walk(root, 0, children, tree, visited, traceStart, logsPerSpan, criticalNanos);
    SummaryView summary = part.summary() == null ? null : SummaryView.of(part.summary());
    return new TraceView(traceId, summary, path, tree.size(), tree, resources, logViews.size(), logViews);
  }

  private static void walk(SpanRecord s, int depth, Map<String, List<SpanRecord>> children, List<SpanView> out, Set<String> visited,
      long traceStart, Map<String, Integer> logsPerSpan, Map<String, Long> criticalNanos) {
    if (!visited.add(s.spanId())) return; // a cycle of bad parent ids cannot loop
    out.add(new SpanView(s.spanId(), s.parentSpanId(), depth, s.service(), s.name(), s.kind(), Instant.ofEpochSecond(0, s.startNanos()).toString(),
        s.startNanos(), millis(s.startNanos() - traceStart), millis(s.durationNanos()), s.status(), s.statusMessage(), s.scope(),
        s.attributes(), s.events(), s.links(), logsPerSpan.getOrDefault(s.spanId(), 0),
        millis(criticalNanos.getOrDefault(s.spanId(), 0L))));
    for (SpanRecord c : children.getOrDefault(s.spanId(), List.of())) walk(c, depth + 1, children, out, visited, traceStart, logsPerSpan, criticalNanos);
  }

  // ---- search ---------------------------------------------------------------------------------

  record SearchView(String from, String to, int limit, int count, List<SummaryView> traces) {}

  Mono<ServerResponse> search(ServerRequest req) {
    Instant to = Params.instant("to", req.queryParam("to"), clock.instant());
    Instant from = Params.instant("from", req.queryParam("from"), to.minus(DEFAULT_RANGE));
    checkRange(from, to);
    String service = Params.service("service", req.queryParam("service"));
    String operation = req.queryParam("operation").filter(s -> !s.isBlank()).map(String::trim).orElse(null);
    Long min = durationNanos("minDurationMs", req.queryParam("minDurationMs"));
    Long max = durationNanos("maxDurationMs", req.queryParam("maxDurationMs"));
    if (min != null && max != null && min > max) throw ApiException.badParameter("minDurationMs", "parameter 'minDurationMs' must not be above 'maxDurationMs'");
    Boolean error = bool("error", req.queryParam("error"));
    Map<String, String> tags = tags("tag", req.queryParams().getOrDefault("tag", List.of()));
    int limit = Params.intInRange("limit", req.queryParam("limit"), 20, 1, MAX_TRACES);
    TraceQuery query = new TraceQuery(service, operation, min, max, error, tags, from.toEpochMilli(), to.toEpochMilli());
    Map<String, Object> q = new LinkedHashMap<>(internalQuery(query));
    q.put("limit", limit);
    return cluster.fanOut(Stores.TRACE_INDEX.name(), Internal.TRACES, q, Parts.TracesPart.class, () -> local.traces(query, limit), QueryHandler.ids(req))
        .flatMap(parts -> {
          Map<String, TraceSummary> byId = new HashMap<>();
          for (Parts.TracesPart p : parts) for (TraceSummary t : p.traces()) byId.merge(t.traceId(), t, (a, b) -> a.spanCount() >= b.spanCount() ? a : b);
          List<TraceSummary> all = new ArrayList<>(byId.values());
          all.sort(LocalStores.TRACE_NEWEST_FIRST);
          List<SummaryView> views = all.stream().limit(limit).map(SummaryView::of).toList();
          return QueryHandler.json(new SearchView(from.toString(), to.toString(), limit, views.size(), views));
        });
  }

  /** The query as /internal/v1/traces parameters. */
  Map<String, Object> internalQuery(TraceQuery q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", q.fromMillis());
    m.put("to", q.toMillis());
    if (q.service() != null) m.put("service", q.service());
    if (q.operation() != null) m.put("operation", q.operation());
    if (q.minDurationNanos() != null) m.put("minDurationNanos", q.minDurationNanos());
    if (q.maxDurationNanos() != null) m.put("maxDurationNanos", q.maxDurationNanos());
    if (q.error() != null) m.put("error", q.error());
    if (!q.tags().isEmpty()) m.put("tags", json.writeValueAsString(q.tags()));
    return m;
  }

  /** Parses what {@link #internalQuery} wrote. */
  TraceQuery parseInternalQuery(ServerRequest req) {
    Map<String, String> tags = new TreeMap<>();
    req.queryParam("tags").ifPresent(t -> json.readTree(t).properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString())));
    return new TraceQuery(Params.service("service", req.queryParam("service")), req.queryParam("operation").orElse(null),
        req.queryParam("minDurationNanos").map(Long::valueOf).orElse(null), req.queryParam("maxDurationNanos").map(Long::valueOf).orElse(null),
        req.queryParam("error").map(Boolean::valueOf).orElse(null), tags,
        Long.parseLong(req.queryParam("from").orElseThrow()), Long.parseLong(req.queryParam("to").orElseThrow()));
  }

  // ---- RED metrics: operations and dependencies -------------------------------------------------

  /** Rate, errors and duration of a set of calls over a time range. */
  record RedView(String name, long count, double perMinute, long errors, double errorRate, double p50Ms, double p95Ms, double p99Ms) {
    static RedView of(String name, SpanMetrics m, double minutes) {
      return new RedView(name, m.count(), round(m.count() / minutes), m.errors(), m.errorRate(),
          round(m.quantileMillis(0.50)), round(m.quantileMillis(0.95)), round(m.quantileMillis(0.99)));
    }
  }

  record OperationsView(String service, int minutes, String from, String to, RedView total, List<RedView> operations) {}

  Mono<ServerResponse> operations(ServerRequest req) {
    String service = Params.service("name", java.util.Optional.of(req.pathVariable("name")));
    if (service == null) throw ApiException.badParameter("name", "parameter 'name' must not be blank");
    int minutes = Params.intInRange("minutes", req.queryParam("minutes"), 60, 1, QueryHandler.MAX_MINUTES);
    Instant to = clock.instant();
    Instant from = QueryHandler.windowsFrom(to, minutes);
    return serviceSpanMetrics(service, from, to, req).flatMap(m -> {
      SpanMetrics total = total(m);
      if (total == null) return Mono.error(ApiException.notFound("no spans of service '" + service + "' in the last " + minutes + " minutes"));
      List<RedView> ops = new ArrayList<>();
      m.forEach((op, metrics) -> ops.add(RedView.of(op, metrics, minutes)));
      ops.sort(Comparator.comparingLong(RedView::count).reversed().thenComparing(RedView::name));
      return QueryHandler.json(new OperationsView(service, minutes, from.toString(), to.toString(), RedView.of(service, total, minutes), ops));
    });
  }

  /** The merge of a service's operations; null when it has none. */
  static SpanMetrics total(Map<String, SpanMetrics> byOperation) {
    if (byOperation.isEmpty()) return null;
    SpanMetrics total = SpanMetrics.empty();
    byOperation.values().forEach(total::merge);
    return total;
  }

  /** A service's span metrics over [from, to] by operation, merged over every instance. */
  Mono<Map<String, SpanMetrics>> serviceSpanMetrics(String service, Instant from, Instant to, ServerRequest req) {
    Map<String, Object> q = Map.of("store", "metrics", "service", service, "from", from.toEpochMilli(), "to", to.toEpochMilli());
    return cluster.fanOut(Stores.SPAN_METRICS.name(), Internal.SPAN_METRICS, q, Parts.SpanMetricsPart.class,
        () -> local.spanMetrics(Stores.SPAN_METRICS.name(), service, from, to), QueryHandler.ids(req)).map(TraceHandler::mergeMetrics);
  }

  record EdgeView(String caller, String callee, long calls, double perMinute, long errors, double errorRate, double p50Ms, double p95Ms, double p99Ms) {}

  record DependenciesView(String from, String to, List<String> services, List<EdgeView> edges) {}

  Mono<ServerResponse> dependencies(ServerRequest req) {
    Instant to = Params.instant("to", req.queryParam("to"), clock.instant());
    Instant from = Params.instant("from", req.queryParam("from"), to.minus(DEFAULT_RANGE));
    checkRange(from, to);
    // a window belongs to the range when it starts in it: include the window holding 'from'
    Instant windowsFrom = Instant.ofEpochMilli(Merge.bucketStart(from.toEpochMilli(), Stores.STATS_WINDOW_MS));
    double minutes = Math.max(1, Duration.between(from, to).toMillis() / 60_000.0);
    Map<String, Object> q = Map.of("store", "edges", "from", windowsFrom.toEpochMilli(), "to", to.toEpochMilli());
    return cluster.fanOut(Stores.SERVICE_EDGES.name(), Internal.SPAN_METRICS, q, Parts.SpanMetricsPart.class,
            () -> local.spanMetrics(Stores.SERVICE_EDGES.name(), null, windowsFrom, to), QueryHandler.ids(req))
        .map(TraceHandler::mergeMetrics)
        .flatMap(edges -> {
          TreeSet<String> services = new TreeSet<>();
          List<EdgeView> out = new ArrayList<>();
          edges.forEach((key, m) -> {
            int sep = key.indexOf(Stores.KEY_SEPARATOR);
            String caller = key.substring(0, sep);
            String callee = key.substring(sep + 1);
            services.add(caller);
            services.add(callee);
            RedView r = RedView.of(key, m, minutes);
            out.add(new EdgeView(caller, callee, r.count(), r.perMinute(), r.errors(), r.errorRate(), r.p50Ms(), r.p95Ms(), r.p99Ms()));
          });
          return QueryHandler.json(new DependenciesView(from.toString(), to.toString(), List.copyOf(services), out));
        });
  }

  static Map<String, SpanMetrics> mergeMetrics(List<Parts.SpanMetricsPart> parts) {
    Map<String, SpanMetrics> out = new TreeMap<>();
    for (Parts.SpanMetricsPart p : parts) p.metrics().forEach((k, bytes) -> out.merge(k, SpanMetrics.fromBytes(bytes), SpanMetrics::merge));
    return out;
  }

  // ---- parameters -----------------------------------------------------------------------------

  private static void checkRange(Instant from, Instant to) {
    if (from.isAfter(to)) throw ApiException.badParameter("from", "parameter 'from' must not be after 'to'");
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) throw ApiException.badParameter("from", "parameter 'from' must be at most 7 days before 'to'");
  }

  static Long durationNanos(String name, java.util.Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) return null;
    try {
      double ms = Double.parseDouble(raw.get().trim());
      if (ms < 0 || Double.isNaN(ms) || Double.isInfinite(ms) || ms > 365.0 * 24 * 3600_000) throw new NumberFormatException();
      return Math.round(ms * 1_000_000);
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(name, "parameter '" + name + "' must be a duration in milliseconds (a number >= 0)");
    }
  }

  static Boolean bool(String name, java.util.Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) return null;
    return switch (raw.get().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw ApiException.badParameter(name, "parameter '" + name + "' must be true or false");
    };
  }

  /** {@code key:value} pairs (the first ':' separates; {@code key=value} is accepted too). */
  static Map<String, String> tags(String name, List<String> raw) {
    Map<String, String> out = new TreeMap<>();
    for (String t : raw) {
      int colon = t.indexOf(':');
      int eq = t.indexOf('=');
      int sep = colon < 0 ? eq : eq < 0 ? colon : Math.min(colon, eq);
      if (sep <= 0) throw ApiException.badParameter(name, "parameter '" + name + "' must be key:value, e.g. http.response.status_code:500");
      out.put(t.substring(0, sep).trim(), t.substring(sep + 1).trim());
    }
    return out;
  }

  static double millis(long nanos) {
    return round(nanos / 1e6);
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
