package io.logflow.api.alerting;

import io.logflow.alerts.AlertEvent;
import io.logflow.api.auth.Principal;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Triggered alerts: {@code GET /api/v1/alerts/triggered}, {@code POST …/{id}/acknowledge}, {@code POST
 * …/{id}/resolve}.
 *
 * <p>An acknowledge or resolve is checked against PostgreSQL (404, 409), then published to {@code
 * logflow.alerts} (ACKNOWLEDGED, or RESOLVED with {@code by}) — so every instance's stream shows it —
 * and then written to PostgreSQL. If Kafka does not take the event, nothing has changed (503, retry);
 * if the write fails after the publish, the alerts consumer applies the same event anyway. A resolve
 * is first published to {@code logflow.alert-resets} too, so the topology forgets the alert: if its
 * condition still holds, it fires again as a new alert (docs/adr/009-alerting.md).
 */
@Component
public class AlertsHandler {
    static final int MAX_LIMIT = 1000;
    static final int MAX_BY_LENGTH = 200;

    private final AlertStore store;
    private final AlertPublisher publisher;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    AlertsHandler(AlertStore store, AlertPublisher publisher, JsonMapper json) {
        this.store = store;
        this.publisher = publisher;
        this.json = json;
    }

    public Mono<ServerResponse> list(ServerRequest req) {
        String status = req.queryParam("status")
                .filter(s -> !s.isBlank())
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .orElse(null);
        if (status != null && !AlertStore.STATUSES.contains(status)) {
            throw ApiException.badParameter(
                    "status", "parameter 'status' must be one of firing, acknowledged, resolved");
        }
        String ruleId = req.queryParam("rule_id")
                .filter(s -> !s.isBlank())
                .map(String::trim)
                .orElse(null);
        if (ruleId != null && ruleId.length() > 100)
            throw ApiException.badParameter("rule_id", "parameter 'rule_id' is longer than 100 characters");
        int limit = Params.intInRange("limit", req.queryParam("limit"), 100, 1, MAX_LIMIT);
        return store.list(status, ruleId, limit)
                .collectList()
                .flatMap(alerts -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("count", alerts.size(), "alerts", alerts)));
    }

    /** {@code GET /api/v1/alerts/triggered/{id}}: one alert (the UI's alert page, a notification's deep link). */
    public Mono<ServerResponse> get(ServerRequest req) {
        String id = alertId(req);
        return store.find(id).switchIfEmpty(Mono.error(() -> notFound(id))).flatMap(AlertsHandler::ok);
    }

    public Mono<ServerResponse> acknowledge(ServerRequest req) {
        String id = alertId(req);
        return by(req).flatMap(by -> store.find(id)
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .flatMap(row -> {
                            if (!AlertStore.FIRING.equals(row.status())) {
                                return Mono.error(ApiException.conflict("alert " + id + " is " + row.status()
                                        + "; only a firing alert can be acknowledged"));
                            }
                            Instant at = now();
                            AlertMessage event = new AlertMessage(
                                    row.event().firing(), AlertMessage.ACKNOWLEDGED, by.orElse(null), at);
                            return publish(event)
                                    .then(store.acknowledge(id, by.orElse(null), at))
                                    .switchIfEmpty(Mono.error(() -> ApiException.conflict("alert " + id
                                            + " changed meanwhile (resolved?); it was not acknowledged")));
                        }))
                .flatMap(AlertsHandler::ok);
    }

    public Mono<ServerResponse> resolve(ServerRequest req) {
        String id = alertId(req);
        return by(req).flatMap(by -> store.find(id)
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .flatMap(row -> {
                            if (AlertStore.RESOLVED.equals(row.status()))
                                return Mono.error(ApiException.conflict("alert " + id + " is resolved already"));
                            Instant at = now();
                            String reason = "resolved manually"
                                    + by.map(b -> " by " + b).orElse("");
                            AlertEvent resolved = row.event().resolved(at, reason);
                            // the reset first: should the RESOLVED fail after it, a retry repeats both (a reset is
                            // idempotent)
                            return reset(resolved)
                                    .then(publish(
                                            new AlertMessage(resolved, AlertMessage.RESOLVED, by.orElse(null), null)))
                                    .then(store.resolve(id, by.orElse(null), reason, at))
                                    .switchIfEmpty(Mono.error(
                                            () -> ApiException.conflict("alert " + id + " was resolved meanwhile")));
                        }))
                .flatMap(AlertsHandler::ok);
    }

    private Mono<Void> reset(AlertEvent resolved) {
        return acknowledged(publisher.reset(resolved), "the reset of alert " + resolved.alertId());
    }

    private Mono<Void> publish(AlertMessage m) {
        return acknowledged(
                publisher.publish(m),
                "the " + m.state() + " event of alert " + m.event().alertId());
    }

    /** A send Kafka did not acknowledge is a 503: nothing was changed, the client retries. */
    private static Mono<Void> acknowledged(Mono<Void> send, String what) {
        return send.onErrorMap(
                e -> !(e instanceof ApiException),
                e -> ApiException.unavailable(
                        "Kafka did not acknowledge " + what + " (" + e.getMessage() + "); nothing was changed, retry",
                        null));
    }

    /**
     * Who acts: the signed-in user (the gate let only editors and admins here); a body's {@code {"by": "…"}} is
     * still read and checked, as older clients send it, but cannot speak for someone else.
     */
    private Mono<Optional<String>> by(ServerRequest req) {
        Optional<String> caller = Principal.of(req) instanceof Principal.UserPrincipal u
                ? Optional.of(u.user().username())
                : Optional.empty();
        return said(req).map(said -> caller.isPresent() ? caller : said);
    }

    private Mono<Optional<String>> said(ServerRequest req) {
        return req.bodyToMono(byte[].class)
                .map(bytes -> {
                    if (bytes.length == 0) return Optional.<String>empty();
                    if (bytes.length > 64 * 1024) throw ApiException.tooLarge("the body is at most 65536 bytes");
                    JsonNode n;
                    try {
                        n = json.readTree(bytes);
                    } catch (RuntimeException e) {
                        throw ApiException.badParameter(
                                "body", "the body must be a JSON object such as {\"by\": \"alice\"}");
                    }
                    if (n == null || n.isNull() || n.isMissingNode()) return Optional.<String>empty();
                    if (!n.isObject())
                        throw ApiException.badParameter(
                                "body", "the body must be a JSON object such as {\"by\": \"alice\"}");
                    JsonNode by = n.get("by");
                    if (by == null || by.isNull()) return Optional.<String>empty();
                    if (!by.isString()
                            || by.asString().isBlank()
                            || by.asString().length() > MAX_BY_LENGTH) {
                        throw ApiException.badParameter(
                                "by", "'by' must be a non-blank string of at most " + MAX_BY_LENGTH + " characters");
                    }
                    return Optional.of(by.asString().trim());
                })
                .defaultIfEmpty(Optional.empty());
    }

    private static String alertId(ServerRequest req) {
        String id = req.pathVariable("id");
        if (id.isBlank() || id.length() > 200 || id.chars().anyMatch(Character::isISOControl))
            throw ApiException.badParameter("id", "parameter 'id' must be an alert id");
        return id;
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no triggered alert " + id);
    }

    private static Mono<ServerResponse> ok(AlertStore.Row row) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(row.view());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
