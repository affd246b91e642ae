package io.logflow.api;

import io.logflow.api.alerting.AlertsHandler;
import io.logflow.api.alerting.RulesHandler;
import io.logflow.api.ingest.IngestHandler;
import io.logflow.api.ingest.OtlpHandler;
import io.logflow.api.live.TailHandler;
import io.logflow.api.query.Internal;
import io.logflow.api.query.QueryHandler;
import io.logflow.api.query.TraceHandler;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Every HTTP route of LogFlow (functional style; one handler class per resource). */
@Configuration(proxyBeanMethods = false)
class Routes {
  @Bean
  RouterFunction<ServerResponse> logflowRoutes(HealthHandler health, IngestHandler ingest, OtlpHandler otlp, QueryHandler query, TailHandler tail,
      TraceHandler traces, RulesHandler rules, AlertsHandler alerts, Internal internal) {
    return route()
        .GET("/health", health::health)
        .POST("/api/v1/logs", ingest::ingest)
        // OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT=http://host:port)
        .POST("/v1/traces", otlp::traces)
        .POST("/v1/logs", otlp::logs)
        .POST("/v1/metrics", otlp::metrics)
        .GET("/api/v1/services", query::services)
        .GET("/api/v1/metrics/overview", query::overview)
        .GET("/api/v1/metrics/service/{name}", query::service)
        .GET("/api/v1/metrics/timeseries", query::timeseries)
        .GET("/api/v1/logs/recent", query::recent)
        .GET("/api/v1/logs/trace/{traceId}", query::trace)
        .GET("/api/v1/stream/logs", tail::tail)
        .GET("/api/v1/traces", traces::search)
        .GET("/api/v1/traces/{traceId}", traces::trace)
        .GET("/api/v1/services/{name}/operations", traces::operations)
        .GET("/api/v1/dependencies", traces::dependencies)
        .POST(RulesHandler.BASE, rules::create)
        .GET(RulesHandler.BASE, rules::list)
        .GET(RulesHandler.BASE + "/{id}", rules::get)
        .PUT(RulesHandler.BASE + "/{id}", rules::replace)
        .DELETE(RulesHandler.BASE + "/{id}", rules::delete)
        .GET("/api/v1/alerts/triggered", alerts::list)
        .POST("/api/v1/alerts/triggered/{id}/acknowledge", alerts::acknowledge)
        .POST("/api/v1/alerts/triggered/{id}/resolve", alerts::resolve)
        .GET("/api/v1/stream/alerts", alerts::stream)
        // asked by other instances only
        .GET(Internal.SERVICES, internal::services)
        .GET(Internal.STATS, internal::stats)
        .GET(Internal.SERIES, internal::series)
        .GET(Internal.RECENT, internal::recent)
        .GET(Internal.TRACE, internal::trace)
        .GET(Internal.SPANS, internal::spans)
        .GET(Internal.TRACES, internal::traces)
        .GET(Internal.SPAN_METRICS, internal::spanMetrics)
        .build();
  }
}
