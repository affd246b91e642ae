package io.logflow.api.alerting;

import io.logflow.alerts.AlertRule;
import io.logflow.alerts.RuleJson;
import io.logflow.alerts.RuleValidation;
import io.logflow.api.auth.AuthUser;
import io.logflow.api.auth.Role;
import io.logflow.api.auth.RoleCheck;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
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
 *
 * <p>A rule belongs to the user who created it ({@code owner_id}, and its username in {@code owner}; the body's
 * {@code owner} is ignored). An editor may replace or delete only its own rules, an admin any rule; rules older than
 * ownership (no {@code owner_id}) are admin-only. Anyone else gets a 403, never a change (ADR 027).
 */
@Component
public class RulesHandler {
    private static final Logger log = LoggerFactory.getLogger(RulesHandler.class);
    public static final String BASE = "/api/v1/alerts/rules";
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final String NOT_OWNER = "only the rule's owner or an admin may change it";

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
        AuthUser caller = RoleCheck.require(req, Role.EDITOR);
        return body(req).flatMap(body -> {
            Instant now = now();
            AlertRule valid =
                    valid(RuleValidation.validate(body, UUID.randomUUID().toString(), caller.username(), now, 1, null));
            return guard.checked(valid)
                    .flatMap(rule -> store.insert(rule, caller.id())
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
        AuthUser caller = RoleCheck.require(req, Role.EDITOR);
        UUID id = id(req);
        return body(req)
                .flatMap(body -> store.findOwned(id)
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .map(owned -> changeable(caller, owned))
                        .flatMap(current -> {
                            // the owner stays who created the rule, whatever the body says
                            AlertRule valid = withOwner(
                                    valid(RuleValidation.validate(
                                            body,
                                            id.toString(),
                                            current.owner(),
                                            now(),
                                            current.version() + 1,
                                            current.createdAt())),
                                    current.owner());
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
        AuthUser caller = RoleCheck.require(req, Role.EDITOR);
        UUID id = id(req);
        // the owner never changes, so checking it before the delete cannot race with a change of owner
        return store.findOwned(id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .map(owned -> changeable(caller, owned))
                .flatMap(rule -> store.delete(id, now()))
                .flatMap(done -> done
                        ? published(publisher.tombstone(id.toString()), "deleted", id.toString())
                                .then(ServerResponse.noContent().build())
                        : Mono.error(notFound(id)));
    }

    /** The rule when {@code caller} may change it (an admin, or the editor who owns it); else a 403. */
    static AlertRule changeable(AuthUser caller, RuleStore.Owned owned) {
        if (!mayChange(caller, owned.ownerId())) throw RoleCheck.forbidden(NOT_OWNER);
        return owned.rule();
    }

    /** An admin may change any rule, an editor its own; a rule without an owner id only an admin. */
    static boolean mayChange(AuthUser caller, UUID ownerId) {
        if (caller.role().includes(Role.ADMIN)) return true;
        return caller.role().includes(Role.EDITOR) && ownerId != null && ownerId.equals(caller.id());
    }

    /** {@code rule} with {@code owner} (RuleValidation takes the body's owner when the given one is null). */
    static AlertRule withOwner(AlertRule r, String owner) {
        if (java.util.Objects.equals(r.owner(), owner)) return r;
        return new AlertRule(
                r.id(),
                r.name(),
                r.description(),
                r.metric(),
                r.condition(),
                r.threshold(),
                r.timeWindowMinutes(),
                r.services(),
                r.levels(),
                r.messagePattern(),
                r.severity(),
                r.channel(),
                r.notificationConfig(),
                r.active(),
                owner,
                r.createdAt(),
                r.updatedAt(),
                r.version());
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
        return Params.uuid(
                "id", req.pathVariable("id"), "a rule id (a UUID such as 3f2a6c1e-8d4b-4b7a-9c1d-2e5f6a7b8c9d)");
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
