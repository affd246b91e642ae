package io.logflow.api;

import io.logflow.model.Level;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /internal/v1/...}: this instance's own part of a query, asked by the instance that
 * received the public request. With a key (a service, the trace id of spans) the part is answered
 * only by the key's owner ({@link LocalStores}): a moved key is a 503, so the asking instance
 * retries rather than trusting an empty answer. The logs of a trace ({@link #TRACE}) are asked of
 * every instance, each answering for all its partitions.
 */
@Component
class Internal {
  static final String PREFIX = "/internal/v1";
  static final String SERVICES = PREFIX + "/services";
  static final String STATS = PREFIX + "/stats";
  static final String SERIES = PREFIX + "/series";
  static final String RECENT = PREFIX + "/recent";
  static final String TRACE = PREFIX + "/trace";
  static final String SPANS = PREFIX + "/spans";
  static final String TRACES = PREFIX + "/traces";
  static final String SPAN_METRICS = PREFIX + "/span-metrics";

  private final LocalStores local;
  private final TraceHandler traces;

  Internal(LocalStores local, TraceHandler traces) {
    this.local = local;
    this.traces = traces;
  }

  Mono<ServerResponse> services(ServerRequest req) {
    String service = Params.service("service", req.queryParam("service"));
    return answer(() -> local.services(service));
  }

  Mono<ServerResponse> stats(ServerRequest req) {
    String service = Params.service("service", req.queryParam("service"));
    Instant from = epoch(req, "from");
    Instant to = epoch(req, "to");
    return answer(() -> local.stats(service, from, to));
  }

  Mono<ServerResponse> series(ServerRequest req) {
    String service = Params.service("service", req.queryParam("service"));
    Instant from = epoch(req, "from");
    Instant to = epoch(req, "to");
    long bucket = Params.intInRange("bucket", req.queryParam("bucket"), 60_000, 60_000, 24 * 3600_000);
    return answer(() -> local.series(service, from, to, bucket));
  }

  Mono<ServerResponse> recent(ServerRequest req) {
    String service = Params.service("service", req.queryParam("service"));
    Level level = Params.level("level", req.queryParam("level"));
    int limit = Params.intInRange("limit", req.queryParam("limit"), 100, 1, QueryHandler.MAX_RECENT);
    return answer(() -> local.recent(service, level, limit));
  }

  Mono<ServerResponse> trace(ServerRequest req) {
    String traceId = Params.traceId("trace_id", req.queryParam("trace_id").orElse(""));
    return answer(() -> local.trace(traceId));
  }

  Mono<ServerResponse> spans(ServerRequest req) {
    String traceId = Params.traceId("trace_id", req.queryParam("trace_id").orElse(""));
    return answer(() -> local.spans(traceId));
  }

  Mono<ServerResponse> traces(ServerRequest req) {
    io.logflow.model.TraceQuery query = traces.parseInternalQuery(req);
    int limit = Params.intInRange("limit", req.queryParam("limit"), 20, 1, TraceHandler.MAX_TRACES);
    return answer(() -> local.traces(query, limit));
  }

  Mono<ServerResponse> spanMetrics(ServerRequest req) {
    String store = switch (req.queryParam("store").orElse("")) {
      case "metrics" -> io.logflow.model.schema.Stores.SPAN_METRICS.name();
      case "edges" -> io.logflow.model.schema.Stores.SERVICE_EDGES.name();
      default -> throw ApiException.badParameter("store", "parameter 'store' must be metrics or edges");
    };
    String service = Params.service("service", req.queryParam("service"));
    Instant from = epoch(req, "from");
    Instant to = epoch(req, "to");
    return answer(() -> local.spanMetrics(store, service, from, to));
  }

  private static Instant epoch(ServerRequest req, String name) {
    Optional<String> raw = req.queryParam(name);
    if (raw.isEmpty()) throw ApiException.badParameter(name, "parameter '" + name + "' is required");
    return Params.instant(name, raw, null);
  }

  private static Mono<ServerResponse> answer(java.util.concurrent.Callable<? extends Parts.Part> read) {
    return Cluster.blocking(read).flatMap(QueryHandler::json);
  }
}
