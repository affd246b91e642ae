package io.logflow.api.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The browser-facing headers every answer carries, errors and the gate's 401s included (set as the response commits):
 * no MIME sniffing, never inside a frame (clickjacking an admin's buttons), no {@code Referer} leaving (a stream
 * ticket rides in {@code /api/v1/stream/*} URLs), and, unless the answer brings its own (the UI's pages do, {@code
 * ui.PagePolicy}), a Content-Security-Policy that lets nothing load or run: a JSON or YAML answer opened in a tab is
 * shown, never executed. HSTS belongs to whatever terminates TLS in front of LogFlow.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SecurityHeaders implements WebFilter {
    static final String NOTHING_RUNS =
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var response = exchange.getResponse();
        response.beforeCommit(() -> {
            apply(response.getHeaders());
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    static void apply(HttpHeaders headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        if (headers.getFirst("Content-Security-Policy") == null) headers.set("Content-Security-Policy", NOTHING_RUNS);
    }
}
