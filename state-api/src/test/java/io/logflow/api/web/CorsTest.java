package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.TestObjects;
import io.logflow.api.config.LogFlowProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class CorsTest {
    /** The server's own address: a request from another origin is a cross-origin one. */
    static final String SERVER = "http://logflow.local:8080";

    static Cors cors(String... origins) {
        return new Cors(TestObjects.properties(new LogFlowProperties.Cors(List.of(origins), Duration.ofMinutes(30))));
    }

    /** Runs the filter; whether the request went on to the routes. */
    static boolean run(Cors filter, MockServerWebExchange exchange) {
        AtomicBoolean passed = new AtomicBoolean();
        filter.filter(exchange, e -> {
                    passed.set(true);
                    return Mono.empty();
                })
                .block(Duration.ofSeconds(5));
        return passed.get();
    }

    static MockServerWebExchange preflight(String path, String origin) {
        return MockServerWebExchange.from(MockServerHttpRequest.options(SERVER + path)
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type"));
    }

    @Test
    void offByDefault_noCorsHeaderOnAnyAnswer() {
        for (Cors off : List.of(cors(), cors(" ", ""))) {
            MockServerWebExchange get =
                    MockServerWebExchange.from(MockServerHttpRequest.get(SERVER + "/api/v1/alerts/rules")
                            .header(HttpHeaders.ORIGIN, "https://evil.example"));
            assertThat(run(off, get)).isTrue();
            assertThat(get.getResponse().getHeaders().headerNames()).isEmpty();
            MockServerWebExchange pre = preflight("/api/v1/alerts/rules", "https://evil.example");
            run(off, pre);
            assertThat(pre.getResponse().getHeaders().getAccessControlAllowOrigin())
                    .isNull();
        }
    }

    @Test
    void aListedOrigin_isAllowed_anUnlistedOneIsNot() {
        Cors on = cors("https://ops.example.com", "http://localhost:3000");
        MockServerWebExchange listed = preflight("/api/v1/alerts/rules", "https://ops.example.com");
        assertThat(run(on, listed)).isFalse(); // a preflight is answered by the filter
        HttpHeaders h = listed.getResponse().getHeaders();
        assertThat(h.getAccessControlAllowOrigin()).isEqualTo("https://ops.example.com");
        assertThat(h.getAccessControlAllowMethods()).contains(HttpMethod.POST, HttpMethod.DELETE);
        assertThat(h.getAccessControlAllowHeaders()).containsExactlyInAnyOrder("authorization", "content-type");
        assertThat(h.getAccessControlMaxAge()).isEqualTo(1800);
        assertThat(h.getAccessControlAllowCredentials()).isFalse();

        MockServerWebExchange unlisted = preflight("/api/v1/alerts/rules", "https://evil.example");
        run(on, unlisted);
        assertThat(unlisted.getResponse().getHeaders().getAccessControlAllowOrigin())
                .isNull();
        assertThat(unlisted.getResponse().getStatusCode().value()).isEqualTo(403);

        MockServerWebExchange get =
                MockServerWebExchange.from(MockServerHttpRequest.get(SERVER + "/api/v1/alerts/rules")
                        .header(HttpHeaders.ORIGIN, "http://localhost:3000"));
        assertThat(run(on, get)).isTrue();
        assertThat(get.getResponse().getHeaders().getAccessControlAllowOrigin()).isEqualTo("http://localhost:3000");
        assertThat(get.getResponse().getHeaders().getAccessControlExposeHeaders())
                .contains("X-Request-ID");
    }

    @Test
    void internalAndUiPaths_neverGetCorsHeaders() {
        Cors on = cors("https://ops.example.com");
        for (String path : List.of("/internal/v1/service-stats", "/", "/ui/app.js", "/health")) {
            MockServerWebExchange pre = preflight(path, "https://ops.example.com");
            assertThat(run(on, pre)).as(path).isTrue();
            assertThat(pre.getResponse().getHeaders().headerNames()).as(path).isEmpty();
        }
    }
}
