package io.logflow.api.web;

import io.logflow.api.config.LogFlowProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place HTTP errors are rendered: RFC 9457 problem+json for every failure of every route
 * (API, internal, unknown paths). Bad input is never a 500; a dependency that is down ({@link DependencyDown})
 * is a 503 with Retry-After.
 */
@Component
@Order(-2) // before Spring Boot's default error handler
class ProblemHandler implements WebExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final JsonMapper json;
    private final Duration retryAfter;
    private final List<DependencyDown> dependencies;

    ProblemHandler(JsonMapper json, LogFlowProperties props, List<DependencyDown> dependencies) {
        this.json = json;
        this.dependencies = List.copyOf(dependencies);
        this.retryAfter = props.query().retryAfter();
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) return Mono.error(ex);
        ProblemDetail problem = toProblem(ex, exchange);
        Duration retry = ex instanceof ApiException a ? a.retryAfter : null;
        if (problem.getStatus() == 503 && retry == null) retry = retryAfter;
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retry != null) headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retry.toSeconds())));
        // the rest of an oversized body may still be on its way: do not reuse this connection
        // RFC 6750: a 401 names the scheme it wants
        if (problem.getStatus() == 401) headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        if (problem.getStatus() == 413) headers.set(HttpHeaders.CONNECTION, "close");
        byte[] body = json.writeValueAsBytes(problem);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(status.getReasonPhrase());
        return p;
    }

    private ProblemDetail toProblem(Throwable ex, ServerWebExchange exchange) {
        ProblemDetail p;
        String down;
        if (ex instanceof ApiException a) {
            p = problem(a.status, a.getMessage());
            if (a.parameter != null) p.setProperty("parameter", a.parameter);
            if (a.errors != null) p.setProperty("errors", a.errors);
        } else if (ex instanceof DataBufferLimitException || causedBy(ex, DataBufferLimitException.class)) {
            p = problem(HttpStatus.CONTENT_TOO_LARGE, "request body exceeds the limit");
        } else if (ex instanceof InvalidStateStoreException || causedBy(ex, InvalidStateStoreException.class)) {
            p = problem(HttpStatus.SERVICE_UNAVAILABLE, "state stores are rebalancing or restoring; retry shortly");
        } else if ((down = down(ex)) != null) {
            // a dependency that is down degrades its feature, with no stack trace per request
            log.warn(
                    "request {} {}: {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    down);
            p = problem(HttpStatus.SERVICE_UNAVAILABLE, down + "; retry later");
        } else if (ex instanceof ErrorResponse e) {
            // Spring's own: 404 unknown route, 405, 406, 415, 400 for unreadable input
            HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
            if (status == null) status = HttpStatus.BAD_REQUEST;
            String detail = e.getBody().getDetail();
            p = problem(status, detail != null ? detail : status.getReasonPhrase());
            if (status.is5xxServerError())
                log.error(
                        "request {} {} failed",
                        exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(),
                        ex);
        } else {
            log.error(
                    "request {} {} failed",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    ex);
            p = problem(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "internal error; see the server log for request " + exchange.getAttribute(RequestIds.REQUEST_ID));
        }
        p.setInstance(URI.create(exchange.getRequest().getPath().value()));
        return p;
    }

    /** What a {@link DependencyDown} says is down in {@code ex}, or null. */
    private String down(Throwable ex) {
        for (DependencyDown d : dependencies) {
            String what = d.describe(ex);
            if (what != null) return what;
        }
        return null;
    }

    private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}
