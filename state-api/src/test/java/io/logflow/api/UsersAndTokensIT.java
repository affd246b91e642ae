package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.alerting.RulesHandler;
import io.logflow.api.auth.AuthUser;
import io.logflow.api.auth.IngestTokens;
import io.logflow.api.auth.Passwords;
import io.logflow.api.auth.Principal;
import io.logflow.api.auth.Role;
import io.logflow.api.auth.TokensHandler;
import io.logflow.api.auth.User;
import io.logflow.api.auth.UserStore;
import io.logflow.api.auth.UsersHandler;
import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Registration, the caller's account, user administration, ingest tokens and rule ownership against the real
 * PostgreSQL (its own database, registration open). The enforcing gate is not part of this step: over HTTP, the
 * routes that need a user answer 401 (no principal, fail closed); the calls as a user go to the handlers with the
 * principal the gate will set, and their effects are read back from PostgreSQL and over HTTP (login, refresh).
 */
class UsersAndTokensIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String ADMIN_PASSWORD = "it-admin-" + SUFFIX + "-long-enough";
    static final String PASSWORD = "a-long-enough-password-" + SUFFIX;
    static final Duration T = Duration.ofSeconds(30);
    static final String RULE =
            "{\"name\":\"errors\",\"condition\":\"greater_than\",\"threshold\":5," + "\"owner\":\"mallory\"}";

    static Instance app;
    static AuthUser admin;

    @BeforeAll
    static void start() {
        app = Instance.start(
                        "users-tokens-it-" + SUFFIX,
                        Map.of(
                                "logflow.database.url",
                                TestDatabase.another("ut"),
                                "logflow.auth.admin-password",
                                ADMIN_PASSWORD,
                                "logflow.auth.registration",
                                "open"))
                .awaitHealthy();
        User stored = users().findByUsername("admin").block(T);
        admin = new AuthUser(stored.id(), stored.username(), stored.role());
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @Test
    void register_open_makesAViewerThatLogsIn_neverWithARole_andAUsernameOnce() {
        String name = "reg-" + SUFFIX;
        Instance.Response r = post("/api/v1/auth/register", Map.of("username", name, "password", PASSWORD));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("role").asString()).isEqualTo("viewer");
        assertThat(r.json().get("disabled").asBoolean()).isFalse();
        assertThat(r.body()).doesNotContain("password", "$2a$");
        assertThat(login(name, PASSWORD).status()).isEqualTo(200);

        Instance.Response withRole =
                post("/api/v1/auth/register", Map.of("username", "x" + name, "password", PASSWORD, "role", "admin"));
        assertThat(withRole.status()).isEqualTo(400);
        assertThat(withRole.header("Content-Type")).startsWith("application/problem+json");
        assertThat(withRole.json().get("errors").get(0).get("field").asString()).isEqualTo("role");
        assertThat(users().findByUsername("x" + name).block(T)).isNull();

        Instance.Response taken = post(
                "/api/v1/auth/register",
                Map.of("username", name.toUpperCase(java.util.Locale.ROOT), "password", PASSWORD));
        assertThat(taken.status()).isEqualTo(409);
        Instance.Response weak = post("/api/v1/auth/register", Map.of("username", "y" + name, "password", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
    }

    @Test
    void withoutAToken_everyRouteThatNeedsAUser_is401_neverAnAnswer() {
        String[] none = {"Authorization", ""};
        assertThat(app.get("/api/v1/auth/me", none).status()).isEqualTo(401);
        assertThat(app.get("/api/v1/auth/users", none).status()).isEqualTo(401);
        assertThat(app.get("/api/v1/auth/tokens", none).status()).isEqualTo(401);
        assertThat(app.request("POST", "/api/v1/auth/tokens", "{\"name\":\"t\"}", none)
                        .status())
                .isEqualTo(401);
        assertThat(app.request("PATCH", "/api/v1/auth/users/" + admin.id(), "{\"role\":\"viewer\"}", none)
                        .status())
                .isEqualTo(401);
        Instance.Response rule = app.post(RulesHandler.BASE, "application/json", RULE, none);
        assertThat(rule.status()).isEqualTo(401);
        assertThat(rule.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(users().findById(admin.id()).block(T).role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void me_andTheUserList_showNoPasswordHash() {
        JsonNode me = json(usersHandler().me(request(admin, null, null)).block(T));
        assertThat(me.get("id").asString()).isEqualTo(admin.id().toString());
        assertThat(me.get("username").asString()).isEqualTo("admin");
        assertThat(me.get("role").asString()).isEqualTo("admin");
        assertThat(Instant.parse(me.get("created_at").asString())).isBefore(Instant.now());

        User eve = user("list-" + SUFFIX, Role.EDITOR);
        ServerResponse list = usersHandler().list(request(admin, null, null)).block(T);
        String body = text(list);
        assertThat(body).contains(eve.username()).doesNotContain("password", "$2a$", "$2b$");
        assertThat(json(usersHandler().list(request(admin, null, null)).block(T))
                        .get("count")
                        .asInt())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void anAdmin_createsAUserWithARole_thatLogsIn() {
        String name = "made-" + SUFFIX;
        ServerResponse r = usersHandler()
                .create(request(admin, body(Map.of("username", name, "password", PASSWORD, "role", "editor")), null))
                .block(T);
        assertThat(r.statusCode().value()).isEqualTo(201);
        assertThat(users().findByUsername(name).block(T).role()).isEqualTo(Role.EDITOR);
        Instance.Response login = login(name, PASSWORD);
        assertThat(login.status()).isEqualTo(200);
    }

    @Test
    void changingThePassword_needsTheOldOne_andEndsEveryRefreshToken() {
        User carl = user("carl-" + SUFFIX, Role.VIEWER);
        AuthUser me = new AuthUser(carl.id(), carl.username(), carl.role());
        String refresh =
                login(carl.username(), PASSWORD).json().get("refresh_token").asString();
        String next = "another-long-password-" + SUFFIX;

        assertThatThrownBy(() -> usersHandler()
                        .changePassword(request(
                                me, body(Map.of("old_password", "not-my-password-at-all", "new_password", next)), null))
                        .block(T))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getMessage())
                            .isEqualTo("invalid fields: old_password: does not match the current password");
                });
        assertThat(login(carl.username(), PASSWORD).status()).isEqualTo(200);

        ServerResponse r = usersHandler()
                .changePassword(request(me, body(Map.of("old_password", PASSWORD, "new_password", next)), null))
                .block(T);
        assertThat(r.statusCode().value()).isEqualTo(204);
        assertThat(refresh(refresh).status()).isEqualTo(401);
        assertThat(login(carl.username(), PASSWORD).status()).isEqualTo(401);
        assertThat(login(carl.username(), next).status()).isEqualTo(200);
    }

    @Test
    void disablingAUser_revokesItsRefreshTokens_andEnablingLetsItBackIn() {
        User dan = user("dan-" + SUFFIX, Role.EDITOR);
        String refresh =
                login(dan.username(), PASSWORD).json().get("refresh_token").asString();
        JsonNode changed = json(usersHandler()
                .update(request(admin, "{\"disabled\":true}", dan.id()))
                .block(T));
        assertThat(changed.get("disabled").asBoolean()).isTrue();
        assertThat(changed.get("role").asString()).isEqualTo("editor");
        assertThat(refresh(refresh).status()).isEqualTo(401);
        assertThat(login(dan.username(), PASSWORD).status()).isEqualTo(401);

        JsonNode back = json(usersHandler()
                .update(request(admin, "{\"disabled\":false,\"role\":\"viewer\"}", dan.id()))
                .block(T));
        assertThat(back.get("role").asString()).isEqualTo("viewer");
        assertThat(login(dan.username(), PASSWORD).status()).isEqualTo(200);

        assertThatThrownBy(() -> usersHandler()
                        .update(request(admin, "{\"disabled\":true}", UUID.randomUUID()))
                        .block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.NOT_FOUND));
    }

    @Test
    void theLastEnabledAdmin_cannotBeDemotedOrDisabled_evenByTwoAdminsAtOnce() {
        user("admin2-" + SUFFIX, Role.ADMIN);
        List<User> admins = users().list()
                .filter(u -> u.role() == Role.ADMIN && !u.disabled())
                .collectList()
                .block(T);
        assertThat(admins).hasSizeGreaterThanOrEqualTo(2);
        try {
            // every admin demotes itself at once: all but one succeed
            List<User> demoted = Flux.fromIterable(admins)
                    .flatMap(u -> users().update(u.id(), Role.EDITOR, false))
                    .collectList()
                    .block(T);
            assertThat(demoted).hasSize(admins.size() - 1);
            User last = admins.stream()
                    .filter(a -> demoted.stream().noneMatch(d -> d.id().equals(a.id())))
                    .findFirst()
                    .orElseThrow();
            for (String change : List.of("{\"role\":\"editor\"}", "{\"disabled\":true}")) {
                assertThatThrownBy(() -> usersHandler()
                                .update(request(admin, change, last.id()))
                                .block(T))
                        .as(change)
                        .isInstanceOfSatisfying(ApiException.class, e -> {
                            assertThat(e.status).isEqualTo(HttpStatus.CONFLICT);
                            assertThat(e.getMessage()).contains("last enabled admin");
                        });
            }
            assertThat(users().findById(last.id()).block(T).role()).isEqualTo(Role.ADMIN);
            assertThat(users().findById(last.id()).block(T).disabled()).isFalse();
        } finally {
            for (User a : admins) users().update(a.id(), Role.ADMIN, false).block(T);
        }
    }

    @Test
    void anIngestToken_isShownOnce_verifies_recordsItsLastUse_andARevokeHereRefusesItAtOnce() {
        String name = "agent-" + SUFFIX;
        ServerResponse created = tokensHandler()
                .create(request(admin, body(Map.of("name", name)), null))
                .block(T);
        assertThat(created.statusCode().value()).isEqualTo(201);
        assertThat(created.headers().getCacheControl()).contains("no-store");
        JsonNode issued = json(created);
        String token = issued.get("token").asString();
        UUID id = UUID.fromString(issued.get("id").asString());
        assertThat(token).matches("lf_[A-Za-z0-9_-]{43}");

        IngestTokens tokens = app.bean(IngestTokens.class);
        assertThat(tokens.verify(token).block(T)).isEqualTo(new Principal.IngestPrincipal(id, name));
        assertThat(tokens.verify(neverIssued(token)).block(T)).isNull();
        // only the hash is stored
        byte[] stored = db().sql("SELECT token_hash FROM ingest_tokens WHERE id = :id")
                .bind("id", id)
                .map(r -> r.get("token_hash", byte[].class))
                .one()
                .block(T);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(token.substring(3));
        assertThat(stored).hasSize(32);

        Awaitility.await("last_used_at")
                .atMost(Duration.ofSeconds(10))
                .until(() -> listed(id).lastUsedAt() != null);
        String list = text(tokensHandler().list(request(admin, null, null)).block(T));
        assertThat(list).contains(name, "\"created_by_username\":\"admin\"").doesNotContain(token, "lf_");

        assertThatThrownBy(() -> tokensHandler()
                        .create(request(admin, body(Map.of("name", name.toUpperCase(java.util.Locale.ROOT))), null))
                        .block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.CONFLICT));

        // cached on this instance a moment ago, refused at once after the revoke
        assertThat(tokensHandler()
                        .revoke(request(admin, null, id))
                        .block(T)
                        .statusCode()
                        .value())
                .isEqualTo(204);
        assertThat(tokens.verify(token).block(T)).isNull();
        assertThat(listed(id).revokedAt()).isNotNull();
        assertThatThrownBy(
                        () -> tokensHandler().revoke(request(admin, null, id)).block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.NOT_FOUND));
        // a revoked token's name may be taken again
        assertThat(tokens.create(name, admin.id()).block(T).name()).isEqualTo(name);
    }

    @Test
    void anotherInstance_refusesARevokedToken_onceItsCachedAnswerExpires() {
        IngestTokens here = app.bean(IngestTokens.class);
        AtomicLong clock = new AtomicLong();
        IngestTokens there = new IngestTokens(db(), clock::get);
        IngestTokens.Issued issued = here.create("remote-" + SUFFIX, admin.id()).block(T);
        assertThat(there.verify(issued.token()).block(T)).isNotNull();
        assertThat(here.revoke(issued.id()).block(T)).isTrue();
        assertThat(here.verify(issued.token()).block(T)).isNull();
        // the documented bound: another instance may accept it for up to 30 s
        assertThat(there.verify(issued.token()).block(T)).isNotNull();
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(there.verify(issued.token()).block(T)).isNull();
    }

    @Test
    void rules_belongToTheirCreator_anEditorChangesOnlyItsOwn_anAdminAny() {
        User alice = user("alice-" + SUFFIX, Role.EDITOR);
        User bob = user("bob-" + SUFFIX, Role.EDITOR);
        AuthUser a = new AuthUser(alice.id(), alice.username(), Role.EDITOR);
        AuthUser b = new AuthUser(bob.id(), bob.username(), Role.EDITOR);
        RulesHandler rules = app.bean(RulesHandler.class);

        JsonNode rule = json(rules.create(request(a, RULE, null)).block(T));
        UUID id = UUID.fromString(rule.get("id").asString());
        assertThat(rule.get("owner").asString()).isEqualTo(alice.username());
        assertThat(ownerId(id)).isEqualTo(alice.id());

        assertThatThrownBy(() -> rules.replace(request(b, RULE.replace("errors", "bob's"), id))
                        .block(T))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status.value()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("only the rule's owner or an admin may change it");
                });
        assertThatThrownBy(() -> rules.delete(request(b, null, id)).block(T)).isInstanceOf(ApiException.class);
        assertThat(app.get(RulesHandler.BASE + "/" + id).json().get("name").asString())
                .isEqualTo("errors");

        JsonNode replaced = json(
                rules.replace(request(a, RULE.replace("errors", "renamed"), id)).block(T));
        assertThat(replaced.get("name").asString()).isEqualTo("renamed");
        assertThat(replaced.get("owner").asString()).isEqualTo(alice.username());
        assertThat(json(rules.replace(request(admin, RULE, id)).block(T))
                        .get("owner")
                        .asString())
                .isEqualTo(alice.username());
        assertThat(ownerId(id)).isEqualTo(alice.id());

        // a rule from before owners were recorded: admin-only
        db().sql("UPDATE alert_rules SET owner_id = NULL WHERE id = :id")
                .bind("id", id)
                .then()
                .block(T);
        assertThatThrownBy(() -> rules.delete(request(a, null, id)).block(T)).isInstanceOf(ApiException.class);
        assertThat(rules.delete(request(admin, null, id)).block(T).statusCode().value())
                .isEqualTo(204);
        assertThat(app.get(RulesHandler.BASE + "/" + id).status()).isEqualTo(404);
    }

    /** A well-formed token that was never issued. */
    static String neverIssued(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    static IngestTokens.Listed listed(UUID id) {
        return app.bean(IngestTokens.class)
                .list()
                .filter(t -> t.id().equals(id))
                .blockFirst(T);
    }

    static UUID ownerId(UUID ruleId) {
        return db().sql("SELECT owner_id FROM alert_rules WHERE id = :id")
                .bind("id", ruleId)
                .map(r -> java.util.Optional.ofNullable(r.get("owner_id", UUID.class)))
                .one()
                .block(T)
                .orElse(null);
    }

    /** A stored user with {@link #PASSWORD}. */
    static User user(String name, Role role) {
        Instant now = Instant.now();
        User u = new User(UUID.randomUUID(), name, app.bean(Passwords.class).hash(PASSWORD), role, false, now, now);
        assertThat(users().insert(u).block(T)).isTrue();
        return u;
    }

    static UserStore users() {
        return app.bean(UserStore.class);
    }

    static UsersHandler usersHandler() {
        return app.bean(UsersHandler.class);
    }

    static TokensHandler tokensHandler() {
        return app.bean(TokensHandler.class);
    }

    static DatabaseClient db() {
        return app.bean(DatabaseClient.class);
    }

    /** A request as the gate will hand it on: the caller on it as {@link Principal#ATTRIBUTE}. */
    static MockServerRequest request(AuthUser caller, String body, UUID id) {
        MockServerRequest.Builder b = MockServerRequest.builder();
        if (caller != null) b.attribute(Principal.ATTRIBUTE, new Principal.UserPrincipal(caller));
        if (id != null) b.pathVariable("id", id.toString());
        return body == null ? b.build() : b.body(Mono.just(body.getBytes(StandardCharsets.UTF_8)));
    }

    static String body(Map<String, String> fields) {
        return Instance.JSON.writeValueAsString(fields);
    }

    static final ServerResponse.Context CONTEXT = new ServerResponse.Context() {
        @Override
        public List<HttpMessageWriter<?>> messageWriters() {
            return HandlerStrategies.withDefaults().messageWriters();
        }

        @Override
        public List<ViewResolver> viewResolvers() {
            return new ArrayList<>();
        }
    };

    /** The body a handler's answer writes. */
    static String text(ServerResponse r) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
        r.writeTo(exchange, CONTEXT).block(T);
        return exchange.getResponse().getBodyAsString().block(T);
    }

    static JsonNode json(ServerResponse r) {
        return Instance.JSON.readTree(text(r));
    }

    static Instance.Response post(String path, Map<String, String> body) {
        return app.post(path, "application/json", body(body));
    }

    static Instance.Response login(String username, String password) {
        return post("/api/v1/auth/login", Map.of("username", username, "password", password));
    }

    static Instance.Response refresh(String token) {
        return post("/api/v1/auth/refresh", Map.of("refresh_token", token));
    }
}
