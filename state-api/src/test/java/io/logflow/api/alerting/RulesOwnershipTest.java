package io.logflow.api.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.alerts.AlertRule;
import io.logflow.alerts.OutboundPolicy;
import io.logflow.api.TestObjects;
import io.logflow.api.auth.AuthUser;
import io.logflow.api.auth.Principal;
import io.logflow.api.auth.Role;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Who may create, replace and delete which rule: an admin any, an editor its own, nobody else (ADR 027). */
class RulesOwnershipTest {
    static final Duration T = Duration.ofSeconds(5);
    static final AuthUser ALICE =
            new AuthUser(UUID.fromString("00000000-0000-0000-0000-00000000a11c"), "alice", Role.EDITOR);
    static final AuthUser BOB =
            new AuthUser(UUID.fromString("00000000-0000-0000-0000-000000000b0b"), "bob", Role.EDITOR);
    static final AuthUser ADMIN =
            new AuthUser(UUID.fromString("00000000-0000-0000-0000-0000000000ad"), "root", Role.ADMIN);
    static final AuthUser VIEWER =
            new AuthUser(UUID.fromString("00000000-0000-0000-0000-000000000f1e"), "vic", Role.VIEWER);
    static final String BODY =
            "{\"name\":\"errors\",\"condition\":\"greater_than\",\"threshold\":5," + "\"owner\":\"mallory\"}";

    final Rules store = new Rules();
    final RulesHandler handler = new RulesHandler(
            store,
            new Publisher(),
            JsonMapper.builder().build(),
            new WebhookGuard(OutboundPolicy.strict(), OutboundPolicy.SYSTEM));

    @Test
    void mayChange_adminAny_editorOwnOnly_viewerNone_unownedAdminOnly() {
        assertThat(RulesHandler.mayChange(ADMIN, ALICE.id())).isTrue();
        assertThat(RulesHandler.mayChange(ADMIN, null)).isTrue();
        assertThat(RulesHandler.mayChange(ALICE, ALICE.id())).isTrue();
        assertThat(RulesHandler.mayChange(ALICE, BOB.id())).isFalse();
        assertThat(RulesHandler.mayChange(ALICE, null)).isFalse();
        assertThat(RulesHandler.mayChange(new AuthUser(ALICE.id(), "alice", Role.VIEWER), ALICE.id()))
                .isFalse();
    }

    @Test
    void create_makesTheCallerTheOwner_whateverTheBodySays() {
        ServerResponse r = handler.create(request(ALICE, null, BODY)).block(T);
        assertThat(r.statusCode().value()).isEqualTo(201);
        RuleStore.Owned stored = store.rules.values().iterator().next();
        assertThat(stored.ownerId()).isEqualTo(ALICE.id());
        assertThat(stored.rule().owner()).isEqualTo("alice");
    }

    @Test
    void create_byAViewer_is403_andWithoutAUser_is401() {
        assertThatThrownBy(() -> handler.create(request(VIEWER, null, BODY)).block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(403));
        assertThatThrownBy(() -> handler.create(request(null, null, BODY)).block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.UNAUTHORIZED));
        assertThat(store.rules).isEmpty();
    }

    @Test
    void anotherEditor_cannotReplaceOrDelete_aRule_403NeverAChange() {
        UUID id = created(ALICE);
        for (var call : java.util.List.<java.util.function.Supplier<Mono<ServerResponse>>>of(
                () -> handler.replace(request(BOB, id, BODY.replace("errors", "mine now"))),
                () -> handler.delete(request(BOB, id, null)))) {
            assertThatThrownBy(() -> call.get().block(T)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status.value()).isEqualTo(403);
                assertThat(e.getMessage()).isEqualTo("only the rule's owner or an admin may change it");
            });
        }
        assertThat(store.rules.get(id).rule().name()).isEqualTo("errors");
        assertThat(store.deleted).isEmpty();
    }

    @Test
    void theOwner_replacesItsRule_andKeepsOwningIt() {
        UUID id = created(ALICE);
        ServerResponse r = handler.replace(request(ALICE, id, BODY.replace("errors", "renamed")))
                .block(T);
        assertThat(r.statusCode().value()).isEqualTo(200);
        assertThat(store.rules.get(id).rule().name()).isEqualTo("renamed");
        assertThat(store.rules.get(id).rule().owner()).isEqualTo("alice");
        assertThat(handler.delete(request(ALICE, id, null))
                        .block(T)
                        .statusCode()
                        .value())
                .isEqualTo(204);
    }

    @Test
    void anAdmin_replacesAndDeletesAnyRule_theOwnerStaysTheCreator() {
        UUID id = created(ALICE);
        assertThat(handler.replace(request(ADMIN, id, BODY.replace("errors", "by admin")))
                        .block(T)
                        .statusCode()
                        .value())
                .isEqualTo(200);
        assertThat(store.rules.get(id).rule().owner()).isEqualTo("alice");
        assertThat(store.rules.get(id).ownerId()).isEqualTo(ALICE.id());
        assertThat(handler.delete(request(ADMIN, id, null))
                        .block(T)
                        .statusCode()
                        .value())
                .isEqualTo(204);
        assertThat(store.deleted).containsExactly(id);
    }

    @Test
    void aRuleFromBeforeOwners_isAdminOnly_andKeepsNoOwner() {
        UUID id = UUID.randomUUID();
        store.rules.put(id, new RuleStore.Owned(rule(id, null), null));
        assertThatThrownBy(() -> handler.replace(request(ALICE, id, BODY)).block(T))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> handler.delete(request(ALICE, id, null)).block(T))
                .isInstanceOf(ApiException.class);
        assertThat(handler.replace(request(ADMIN, id, BODY))
                        .block(T)
                        .statusCode()
                        .value())
                .isEqualTo(200);
        // the body's "owner": "mallory" did not stick
        assertThat(store.rules.get(id).rule().owner()).isNull();
    }

    @Test
    void anUnknownRule_is404_forAnEditorToo() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> handler.delete(request(BOB, id, null)).block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.NOT_FOUND));
    }

    UUID created(AuthUser owner) {
        handler.create(request(owner, null, BODY)).block(T);
        return store.rules.keySet().iterator().next();
    }

    static AlertRule rule(UUID id, String owner) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new AlertRule(
                id.toString(),
                "errors",
                "",
                io.logflow.alerts.Metric.LOG_COUNT,
                io.logflow.alerts.Condition.GREATER_THAN,
                5,
                5,
                null,
                null,
                null,
                io.logflow.alerts.Severity.WARNING,
                io.logflow.alerts.Channel.CONSOLE,
                null,
                true,
                owner,
                now,
                now,
                1);
    }

    static MockServerRequest request(AuthUser caller, UUID id, String body) {
        MockServerRequest.Builder b = MockServerRequest.builder();
        if (caller != null) b.attribute(Principal.ATTRIBUTE, new Principal.UserPrincipal(caller));
        if (id != null) b.pathVariable("id", id.toString());
        return body == null ? b.build() : b.body(Mono.just(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The rules as the handler leaves them (PostgreSQL's part is covered by UsersAndTokensIT). */
    static final class Rules extends RuleStore {
        final Map<UUID, Owned> rules = new HashMap<>();
        final java.util.List<UUID> deleted = new java.util.ArrayList<>();

        Rules() {
            super(null);
        }

        @Override
        Mono<Void> insert(AlertRule r, UUID ownerId) {
            rules.put(UUID.fromString(r.id()), new Owned(r, ownerId));
            return Mono.empty();
        }

        @Override
        Mono<Owned> findOwned(UUID id) {
            return Mono.justOrEmpty(rules.get(id));
        }

        @Override
        Mono<Boolean> replace(AlertRule r, long expectedVersion) {
            UUID id = UUID.fromString(r.id());
            Owned current = rules.get(id);
            if (current == null || current.rule().version() != expectedVersion) return Mono.just(false);
            rules.put(id, new Owned(r, current.ownerId()));
            return Mono.just(true);
        }

        @Override
        Mono<Boolean> delete(UUID id, Instant now) {
            if (rules.remove(id) == null) return Mono.just(false);
            deleted.add(id);
            return Mono.just(true);
        }
    }

    /** Kafka's part: acknowledged at once. */
    static final class Publisher extends AlertPublisher {
        Publisher() {
            super(null, null, TestObjects.properties(new LogFlowProperties.Ingest(0, 0, 0, "none", T, T)));
        }

        @Override
        Mono<Void> publish(AlertRule rule) {
            return Mono.empty();
        }

        @Override
        Mono<Void> tombstone(String ruleId) {
            return Mono.empty();
        }
    }
}
