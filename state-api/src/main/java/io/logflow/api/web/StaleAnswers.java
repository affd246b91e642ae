package io.logflow.api.web;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives every request a {@link Staleness} and flags an answer built from replicas: a JSON object answer gains
 * {@code "stale": true} and {@code "staleness": {"maxLag": …, "partitions": [{store, partition, instance, lag}]}},
 * and every such answer the header {@value #HEADER} with the largest lag. An answer read only from running active
 * tasks is left exactly as it was.
 */
@Component
public class StaleAnswers implements HandlerFilterFunction<ServerResponse, ServerResponse> {
    public static final String HEADER = "X-LogFlow-Stale";

    private final JsonMapper json;

    StaleAnswers(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        Staleness staleness = new Staleness();
        return Mono.defer(() -> {
                    try {
                        return next.handle(request);
                    } catch (Exception e) {
                        return Mono.error(e);
                    }
                })
                .contextWrite(ctx -> ctx.put(Staleness.class, staleness))
                .flatMap(response -> staleness.isEmpty() ? Mono.just(response) : flag(response, staleness));
    }

    Mono<ServerResponse> flag(ServerResponse response, Staleness staleness) {
        if (!(response instanceof EntityResponse<?> entity)
                || !response.statusCode().is2xxSuccessful()) return Mono.just(response);
        var described = staleness.describe();
        Object body = entity.entity();
        if (toObject(body) instanceof ObjectNode object) {
            object.put("stale", true);
            object.set("staleness", json.valueToTree(described));
            body = json.writeValueAsBytes(object);
        }
        return ServerResponse.status(response.statusCode())
                .headers(h -> h.addAll(response.headers()))
                .header(HEADER, "max-lag=" + described.get("maxLag"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }

    private JsonNode toObject(Object entity) {
        if (entity instanceof byte[] bytes) return json.readTree(bytes);
        if (entity instanceof String || entity == null) return null;
        return json.valueToTree(entity);
    }
}
