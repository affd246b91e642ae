package io.logflow.api.web;

import io.logflow.api.config.LogFlowProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS for {@code /api/**}, off by default ({@code LOGFLOW_CORS_ORIGINS}): without origins no request
 * gets a CORS header, so browsers refuse cross-origin reads; with them, Spring's {@link CorsWebFilter}
 * answers preflights and marks the answers to the listed origins. Never {@code /internal/**} (instance
 * to instance) or the UI. Ordered right after {@link RequestIds}, before anything that authenticates:
 * a browser's preflight carries no credentials. No cookies are used, so credentials stay off.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class Cors implements WebFilter {
    static final String PATHS = "/api/**";
    static final List<String> METHODS = List.of(
            HttpMethod.GET.name(),
            HttpMethod.HEAD.name(),
            HttpMethod.POST.name(),
            HttpMethod.PUT.name(),
            HttpMethod.DELETE.name());
    static final List<String> REQUEST_HEADERS = List.of(
            "Authorization",
            "Content-Type",
            "If-None-Match",
            "Last-Event-ID",
            RequestIds.REQUEST_ID,
            RequestIds.CORRELATION_ID);
    static final List<String> RESPONSE_HEADERS = List.of(
            "ETag",
            "Location",
            "Retry-After",
            RequestIds.REQUEST_ID,
            RequestIds.CORRELATION_ID,
            // the rate limits' (ratelimit.RateLimits)
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset");

    /** Null when no origin is configured. */
    private final CorsWebFilter spring;

    Cors(LogFlowProperties props) {
        LogFlowProperties.Cors cors = props.cors();
        List<String> origins = cors == null || cors.origins() == null
                ? List.of()
                : cors.origins().stream()
                        .map(String::strip)
                        .filter(o -> !o.isEmpty())
                        .toList();
        this.spring = origins.isEmpty() ? null : new CorsWebFilter(source(origins, cors.maxAge()));
    }

    static UrlBasedCorsConfigurationSource source(List<String> origins, Duration maxAge) {
        CorsConfiguration c = new CorsConfiguration();
        c.setAllowedOrigins(origins);
        c.setAllowedMethods(METHODS);
        c.setAllowedHeaders(REQUEST_HEADERS);
        c.setExposedHeaders(RESPONSE_HEADERS);
        c.setAllowCredentials(false);
        c.setMaxAge(maxAge == null ? Duration.ofMinutes(30) : maxAge);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(PATHS, c);
        return source;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (spring == null || !exchange.getRequest().getPath().value().startsWith("/api/"))
            return chain.filter(exchange);
        return spring.filter(exchange, chain);
    }
}
