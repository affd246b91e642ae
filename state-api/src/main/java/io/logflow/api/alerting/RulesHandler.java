package io.logflow.api.alerting;

import io.logflow.alerts.AlertRule;
import io.logflow.alerts.RuleJson;
import io.logflow.alerts.RuleValidation;
import io.logflow.api.web.ApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/alerts/rules}: create, list, read, replace and delete alert rules (snake_case JSON,
 * {@link RuleJson}); a webhook or Slack URL must pass {@link WebhookGuard}. Every change is written to
 * PostgreSQL first, then published to {@code logflow.alert-rules}; when Kafka does not acknowledge,
 * the answer is 503 — the change is stored and reaches the topic at the next start of any instance
 * (ADR 010).
 */
@Component
public class RulesHandler {
    private static final Logger log = LoggerFactory.getLogger(RulesHandler.class);
    public static final String BASE = "/api/v1/alerts/rules";
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final RuleStore store;
    private final AlertPublisher publisher;
    private final JsonMapper json;
    private final WebhookGuard guard;
    private final Clock clock = Clock.systemUTC();

    RulesHandler(RuleStore store, AlertPublisher publisher, JsonMapper json, WebhookGuard guard) {
        this.store = store;
        this.publisher = publisher;
        this.json = json;
        this.guard = guard;
    }

    public Mono<ServerResponse> create(ServerRequest req) {
        return body(req).flatMap(body -> {
            Instant now = now();
            AlertRule valid =
                    valid(RuleValidation.validate(body, UUID.randomUUID().toString(), null, now, 1, null));
            return guard.checked(valid)
                    .flatMap(rule -> store.insert(rule)
                            .then(published(publisher.publish(rule), "created", rule.id()))
                            .then(ServerResponse.created(URI.create(BASE + "/" + rule.id()))
                                    .contentType(MediaType.APPLICATION_JSON)
                                    .bodyValue(RuleJson.toMap(rule))));
        });
    }

    public Mono<ServerResponse> list(ServerRequest req) {
        Boolean active = bool("active", req.queryParam("active"));
        return store.list(active)
                .map(RuleJson::toMap)
                .collectList()
                .flatMap(rules -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("count", rules.size(), "rules", rules)));
    }

    public Mono<ServerResponse> get(ServerRequest req) {
        UUID id = id(req);
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(rule -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(RuleJson.toMap(rule)));
    }

    /** Full replacement: every field from the body (defaults for those left out), version + 1, created_at kept. */
    public Mono<ServerResponse> replace(ServerRequest req) {
        UUID id = id(req);
        return body(req)
                .flatMap(body -> store.find(id)
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .flatMap(current -> {
                            AlertRule valid = valid(RuleValidation.validate(
                                    body, id.toString(), null, now(), current.version() + 1, current.createdAt()));
                            return guard.checked(valid)
                                    .flatMap(rule -> store.replace(rule, current.version())
                                            .flatMap(done -> done
                                                    ? published(publisher.publish(rule), "replaced", rule.id())
                                                            .then(ServerResponse.ok()
                                                                    .contentType(MediaType.APPLICATION_JSON)
                                                                    .bodyValue(RuleJson.toMap(rule)))
                                                    : Mono.error(ApiException.conflict("rule " + id
                                                            + " was changed or deleted by another "
                                                            + "request meanwhile; read it "
                                                            + "again and retry"))));
                        }));
    }

    public Mono<ServerResponse> delete(ServerRequest req) {
        UUID id = id(req);
        return store.delete(id, now())
                .flatMap(done -> done
                        ? published(publisher.tombstone(id.toString()), "deleted", id.toString())
                                .then(ServerResponse.noContent().build())
                        : Mono.error(notFound(id)));
    }

    /**
     * A publish after the database write: a failure is a 503 saying the change is stored and will be published at the
     * next start.
     */
    private static Mono<Void> published(Mono<Void> publish, String what, String id) {
        return publish.onErrorMap(e -> !(e instanceof ApiException), e -> {
            log.warn(
                    "alert rule {} {} in PostgreSQL but not published to logflow.alert-rules: {}",
                    id,
                    what,
                    e.toString());
            return ApiException.unavailable(
                    "rule " + id + " was " + what
                            + " in PostgreSQL, but Kafka did not acknowledge it on logflow.alert-rules ("
                            + e.getMessage() + "); it is published again at the next start of LogFlow",
                    null);
        });
    }

    private Mono<JsonNode> body(ServerRequest req) {
        return req.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(bytes -> {
            if (bytes.length > MAX_BODY_BYTES)
                throw ApiException.tooLarge("a rule body is at most " + MAX_BODY_BYTES + " bytes");
            if (bytes.length == 0)
                throw ApiException.invalidFields(List.of(Map.of("field", "body", "message", "must be a JSON object")));
            try {
                return json.readTree(bytes);
            } catch (RuntimeException e) {
                throw ApiException.invalidFields(List.of(Map.of("field", "body", "message", "is not JSON")));
            }
        });
    }

    private static AlertRule valid(RuleValidation.Result result) {
        if (result instanceof RuleValidation.Valid v) return v.rule();
        RuleValidation.Invalid invalid = (RuleValidation.Invalid) result;
        throw ApiException.invalidFields(invalid.errors().stream()
                .map(e -> Map.of("field", e.field(), "message", e.message()))
                .toList());
    }

    static UUID id(ServerRequest req) {
        String raw = req.pathVariable("id");
        try {
            UUID id = UUID.fromString(raw);
            if (!id.toString().equalsIgnoreCase(raw)) throw new IllegalArgumentException();
            return id;
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(
                    "id", "parameter 'id' must be a rule id (a UUID such as 3f2a6c1e-8d4b-4b7a-9c1d-2e5f6a7b8c9d)");
        }
    }

    static Boolean bool(String name, Optional<String> raw) {
        if (raw.isEmpty() || raw.get().isBlank()) return null;
        return switch (raw.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badParameter(name, "parameter '" + name + "' must be true or false");
        };
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("no alert rule " + id);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
