package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StaleAnswersTest {
    final JsonMapper json = JsonMapper.builder().build();
    final StaleAnswers filter = new StaleAnswers(json);
    final ServerRequest request = ServerRequest.create(
            MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET, "/api/v1/services")),
            HandlerStrategies.withDefaults().messageReaders());

    record Answer(int count, List<String> services) {}

    /** A handler that notes {@code stale} (when not null) the way the cluster reads do, then answers. */
    ServerResponse handle(Staleness.Entry stale, Object body) {
        return filter.filter(request, req -> {
                    Staleness found = new Staleness();
                    if (stale != null) found.add(stale);
                    return Staleness.note(found).then(Responses.json(body));
                })
                .block();
    }

    @Test
    void anAnswerFromActiveTasksOnly_isLeftAsItWas() {
        ServerResponse r = handle(null, new Answer(1, List.of("checkout")));
        assertThat(r.headers().containsHeader(StaleAnswers.HEADER)).isFalse();
        assertThat(((org.springframework.web.reactive.function.server.EntityResponse<?>) r).entity())
                .isEqualTo(new Answer(1, List.of("checkout")));
    }

    @Test
    void anAnswerReadFromAReplica_isFlaggedStaleWithItsLag() {
        ServerResponse r = handle(new Staleness.Entry("stats", 3, "10.0.0.2:8080", 42), new Answer(1, List.of("a")));
        assertThat(r.headers().getFirst(StaleAnswers.HEADER)).isEqualTo("max-lag=42");
        Object entity = ((org.springframework.web.reactive.function.server.EntityResponse<?>) r).entity();
        JsonNode body = json.readTree((byte[]) entity);
        assertThat(body.path("count").asInt()).isEqualTo(1);
        assertThat(body.path("stale").asBoolean()).isTrue();
        assertThat(body.path("staleness").path("maxLag").asLong()).isEqualTo(42);
        assertThat(json.convertValue(body.path("staleness").path("partitions").get(0), Map.class))
                .isEqualTo(Map.of("store", "stats", "partition", 3, "instance", "10.0.0.2:8080", "lag", 42));
    }

    @Test
    void aCoalescedAnswer_isFlaggedForEveryRequestJoiningIt() {
        Coalescer coalescer = new Coalescer();
        Mono<String> slow = Mono.delay(java.time.Duration.ofMillis(200))
                .then(Staleness.note(one(new Staleness.Entry("stats", 1, "h", 5))))
                .thenReturn("x");
        List<ServerResponse> both = reactor.core.publisher.Flux.merge(
                        filter.filter(
                                request, req -> coalescer.join("k", () -> slow).flatMap(Responses::json)),
                        filter.filter(
                                request, req -> coalescer.join("k", () -> slow).flatMap(Responses::json)))
                .collectList()
                .block();
        assertThat(both)
                .hasSize(2)
                .allSatisfy(r ->
                        assertThat(r.headers().getFirst(StaleAnswers.HEADER)).isEqualTo("max-lag=5"));
    }

    static Staleness one(Staleness.Entry e) {
        Staleness s = new Staleness();
        s.add(e);
        return s;
    }
}
