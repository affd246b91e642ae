package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.TestObjects;
import io.logflow.api.config.LogFlowProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A rate limit's 429 as {@link ProblemHandler} renders it: problem+json, Retry-After, the RateLimit-* kept. */
class RateLimitProblemTest {
    final JsonMapper json = JsonMapper.builder().build();
    final ProblemHandler handler = new ProblemHandler(
            json,
            TestObjects.properties(new LogFlowProperties.Query(Duration.ofSeconds(5), Duration.ofSeconds(5))),
            List.of());

    @Test
    void tooManyRequests_is429ProblemJson_withRetryAfterInWholeSeconds_andTheLimitHeadersKept() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/auth/login"));
        // as the rate-limit filter leaves them before it ends the request
        exchange.getResponse().getHeaders().set("RateLimit-Limit", "20");
        exchange.getResponse().getHeaders().set("RateLimit-Remaining", "0");
        exchange.getResponse().getHeaders().set("RateLimit-Reset", "1234");
        handler.handle(
                        exchange,
                        ApiException.tooManyRequests(
                                "rate limit exceeded: 20 requests per hour for login", Duration.ofMillis(1_233_001)))
                .block(Duration.ofSeconds(5));

        var response = exchange.getResponse();
        assertThat(response.getStatusCode().value()).isEqualTo(429);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1234");
        assertThat(response.getHeaders().getFirst("RateLimit-Limit")).isEqualTo("20");
        assertThat(response.getHeaders().getFirst("RateLimit-Remaining")).isEqualTo("0");
        assertThat(response.getHeaders().getFirst("RateLimit-Reset")).isEqualTo("1234");
        assertThat(response.getHeaders().getFirst("WWW-Authenticate")).isNull();
        JsonNode body = json.readTree(
                response.getBodyAsString().block(Duration.ofSeconds(5)).getBytes(StandardCharsets.UTF_8));
        assertThat(body.get("status").asInt()).isEqualTo(429);
        assertThat(body.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(body.get("detail").asString()).isEqualTo("rate limit exceeded: 20 requests per hour for login");
        assertThat(body.get("instance").asString()).isEqualTo("/api/v1/auth/login");
    }

    @Test
    void retryAfter_isAtLeastOneSecond() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/services"));
        handler.handle(exchange, ApiException.tooManyRequests("slow down", Duration.ZERO))
                .block(Duration.ofSeconds(5));
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void aPageOnAnAllowedOrigin_mayReadTheRateLimitHeaders() {
        assertThat(Cors.RESPONSE_HEADERS)
                .contains("Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");
    }
}
