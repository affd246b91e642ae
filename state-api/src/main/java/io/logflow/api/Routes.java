package io.logflow.api;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.logflow.api.alerting.AlertsHandler;
import io.logflow.api.alerting.RulesHandler;
import io.logflow.api.auth.AuthHandler;
import io.logflow.api.auth.JwksHandler;
import io.logflow.api.auth.TokensHandler;
import io.logflow.api.auth.UsersHandler;
import io.logflow.api.cache.CacheHandler;
import io.logflow.api.cluster.InternalHandler;
import io.logflow.api.ingest.IngestHandler;
import io.logflow.api.ingest.OtlpHandler;
import io.logflow.api.live.StreamHandler;
import io.logflow.api.query.MetricsHandler;
import io.logflow.api.query.RecentLogs;
import io.logflow.api.query.RedMetrics;
import io.logflow.api.query.SystemVitals;
import io.logflow.api.query.TraceHandler;
import io.logflow.api.ratelimit.RateLimitsHandler;
import io.logflow.api.search.LogSearch;
import io.logflow.api.ui.UiResources;
import io.logflow.api.web.StaleAnswers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Every HTTP route of LogFlow (functional style; one handler class per resource). */
@Configuration(proxyBeanMethods = false)
class Routes {
    @Bean
    RouterFunction<ServerResponse> logflowRoutes(
            HealthHandler health,
            IngestHandler ingest,
            OtlpHandler otlp,
            MetricsHandler metrics,
            RecentLogs recent,
            StreamHandler streams,
            TraceHandler traces,
            RedMetrics red,
            SystemVitals system,
            RulesHandler rules,
            AlertsHandler alerts,
            InternalHandler internal,
            LogSearch search,
            UiResources ui,
            AuthHandler auth,
            JwksHandler jwks,
            UsersHandler users,
            TokensHandler tokens,
            CacheHandler cache,
            RateLimitsHandler rateLimits,
            StaleAnswers staleAnswers) {
        return route().GET("/", ui::index)
                .GET("/docs", ui::docs)
                .GET("/openapi.yaml", ui::openapi)
                .GET("/health", health::health)
                // users and tokens (ADR 024); who may call each route: auth.Access (ADR 027)
                .POST("/api/v1/auth/login", auth::login)
                .POST("/api/v1/auth/refresh", auth::refresh)
                .POST("/api/v1/auth/logout", auth::logout)
                .POST("/api/v1/auth/stream-ticket", auth::streamTicket)
                .GET("/.well-known/jwks.json", jwks::jwks)
                // registration, the caller's account, user administration and ingest tokens (ADR 027)
                .GET("/api/v1/auth/options", users::options)
                .POST("/api/v1/auth/register", users::register)
                .GET("/api/v1/auth/me", users::me)
                .PUT("/api/v1/auth/me", users::changePassword)
                .GET(UsersHandler.USERS, users::list)
                .POST(UsersHandler.USERS, users::create)
                .PATCH(UsersHandler.USERS + "/{id}", users::update)
                .GET(TokensHandler.TOKENS, tokens::list)
                .POST(TokensHandler.TOKENS, tokens::create)
                .DELETE(TokensHandler.TOKENS + "/{id}", tokens::revoke)
                .POST("/api/v1/logs", ingest::ingest)
                // OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT=http://host:port)
                .POST("/v1/traces", otlp::traces)
                .POST("/v1/logs", otlp::logs)
                .POST("/v1/metrics", otlp::metrics)
                .GET("/api/v1/services", metrics::services)
                .GET("/api/v1/metrics/overview", metrics::overview)
                .GET("/api/v1/metrics/service/{name}", metrics::service)
                .GET("/api/v1/metrics/timeseries", metrics::timeseries)
                .GET("/api/v1/metrics/system", system::system)
                .GET("/api/v1/logs/recent", recent::recent)
                .GET("/api/v1/logs/trace/{traceId}", traces::logs)
                // full-text search in Elasticsearch (after the fixed /api/v1/logs/* paths above)
                .GET("/api/v1/logs/search", search::search)
                .GET("/api/v1/logs/{eventId}/context", search::context)
                .GET("/api/v1/logs/{eventId}", search::get)
                .GET("/api/v1/stream/logs", streams::logs)
                .GET("/api/v1/traces", traces::search)
                .GET("/api/v1/traces/{traceId}", traces::trace)
                .GET("/api/v1/services/{name}/operations", red::operations)
                .GET("/api/v1/services/{name}/operations/series", red::series)
                .GET("/api/v1/dependencies", red::dependencies)
                .DELETE("/api/v1/cache/clear", cache::clear)
                .GET("/api/v1/cache/stats", cache::stats)
                // this instance's rate limiters (admin only: the gate, ADR 027)
                .GET("/api/v1/rate-limits/status", rateLimits::status)
                .DELETE("/api/v1/rate-limits/reset/{id}", rateLimits::reset)
                .POST(RulesHandler.BASE, rules::create)
                .GET(RulesHandler.BASE, rules::list)
                .GET(RulesHandler.BASE + "/{id}", rules::get)
                .PUT(RulesHandler.BASE + "/{id}", rules::replace)
                .DELETE(RulesHandler.BASE + "/{id}", rules::delete)
                .GET("/api/v1/alerts/triggered", alerts::list)
                .GET("/api/v1/alerts/triggered/{id}", alerts::get)
                .POST("/api/v1/alerts/triggered/{id}/acknowledge", alerts::acknowledge)
                .POST("/api/v1/alerts/triggered/{id}/resolve", alerts::resolve)
                .GET("/api/v1/stream/alerts", streams::alerts)
                // asked by other instances only
                .GET(InternalHandler.PREFIX + "/{view}", internal::answer)
                // an answer read partly from standby or restoring replicas says so
                .filter(staleAnswers)
                .build();
    }
}
