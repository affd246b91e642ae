package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.TestObjects;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.config.LogFlowProperties.Auth.Registration;
import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Registration by setting, field checks, who may call what; PostgreSQL's part is in UsersAndTokensIT. */
class UsersHandlerTest {
    static final Duration T = Duration.ofSeconds(10);
    static final String PASSWORD = "correct horse battery";
    static final String USERNAME_RULE =
            "must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or a digit";
    static final AuthUser ADMIN =
            new AuthUser(UUID.fromString("00000000-0000-0000-0000-0000000000ad"), "root", Role.ADMIN);
    static final AuthUser EDITOR =
            new AuthUser(UUID.fromString("00000000-0000-0000-0000-0000000000ed"), "ed", Role.EDITOR);

    final Users users = new Users();

    UsersHandler handler(Registration registration) {
        return new UsersHandler(
                users, new Passwords(), null, JsonMapper.builder().build(), props(registration));
    }

    static LogFlowProperties props(Registration registration) {
        return TestObjects.properties(new LogFlowProperties.Auth(
                "logflow",
                "logflow-api",
                Duration.ofMinutes(15),
                Duration.ofDays(7),
                null,
                Path.of("unused"),
                registration,
                LogFlowProperties.Auth.IngestAuth.REQUIRED,
                true));
    }

    @Test
    void registration_closed_is403_sayingSo_andCreatesNobody() {
        assertThatThrownBy(() -> handler(Registration.CLOSED)
                        .register(request(null, body("username", "eve", "password", PASSWORD)))
                        .block(T))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status.value()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("registration is closed; ask an admin");
                });
        assertThat(users.byId).isEmpty();
    }

    @Test
    void registration_open_makesAnEnabledViewer() {
        var r = handler(Registration.OPEN)
                .register(request(null, body("username", " eve ", "password", PASSWORD)))
                .block(T);
        assertThat(r.statusCode().value()).isEqualTo(201);
        User eve = users.byId.values().iterator().next();
        assertThat(eve.username()).isEqualTo("eve");
        assertThat(eve.role()).isEqualTo(Role.VIEWER);
        assertThat(eve.disabled()).isFalse();
        assertThat(new Passwords().matches(PASSWORD, eve.passwordHash())).isTrue();
        assertThat(r.headers().getLocation()).hasToString("/api/v1/auth/users/" + eve.id());
    }

    @Test
    void registration_approval_makesADisabledViewer() {
        handler(Registration.APPROVAL)
                .register(request(null, body("username", "eve", "password", PASSWORD)))
                .block(T);
        User eve = users.byId.values().iterator().next();
        assertThat(eve.role()).isEqualTo(Role.VIEWER);
        assertThat(eve.disabled()).isTrue();
    }

    @Test
    void registration_cannotSetARoleOrAnOwner_400NamingThem() {
        assertThatThrownBy(() -> handler(Registration.OPEN)
                        .register(request(
                                null, body("username", "eve", "password", PASSWORD, "role", "admin", "owner", "x")))
                        .block(T))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("role: is not a field", "owner: is not a field");
                });
        assertThat(users.byId).isEmpty();
    }

    @Test
    void registration_namesEveryBadField_asLoginDoes() {
        assertThatThrownBy(() -> handler(Registration.OPEN)
                        .register(request(null, body("username", "bad name!", "password", "short")))
                        .block(T))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("invalid fields: username: " + USERNAME_RULE
                                        + "; password: must be at least 12 characters"));
        assertThatThrownBy(() -> handler(Registration.OPEN)
                        .register(request(null, "[1]"))
                        .block(T))
                .hasMessage("invalid fields: body: must be a JSON object");
    }

    @Test
    void aTakenUsername_inAnyCase_is409() {
        UsersHandler h = handler(Registration.OPEN);
        h.register(request(null, body("username", "eve", "password", PASSWORD))).block(T);
        assertThatThrownBy(() -> h.register(request(null, body("username", "EVE", "password", PASSWORD)))
                        .block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.CONFLICT));
    }

    @Test
    void userAdministration_isForAdmins_401WithoutAUser_403ForAnEditor() {
        UsersHandler h = handler(Registration.CLOSED);
        String newUser = body("username", "eve", "password", PASSWORD, "role", "editor");
        assertThatThrownBy(() -> h.create(request(null, newUser)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.UNAUTHORIZED));
        assertThatThrownBy(() -> h.create(request(EDITOR, newUser)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(403));
        assertThatThrownBy(() -> h.list(request(EDITOR, null))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> h.update(
                        request(EDITOR, body("role", "admin"), UUID.randomUUID().toString())))
                .isInstanceOf(ApiException.class);
        assertThat(users.byId).isEmpty();
    }

    @Test
    void anAdmin_createsAUserWithARole() {
        var r = handler(Registration.CLOSED)
                .create(request(ADMIN, body("username", "eve", "password", PASSWORD, "role", "editor")))
                .block(T);
        assertThat(r.statusCode().value()).isEqualTo(201);
        assertThat(users.byId.values().iterator().next().role()).isEqualTo(Role.EDITOR);
        assertThatThrownBy(() -> handler(Registration.CLOSED)
                        .create(request(ADMIN, body("username", "fay", "password", PASSWORD, "role", "root")))
                        .block(T))
                .hasMessage("invalid fields: role: must be viewer, editor or admin");
    }

    @Test
    void patch_needsAChange_andKnownFields() {
        UsersHandler h = handler(Registration.CLOSED);
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> h.update(request(ADMIN, "{}", id.toString())).block(T))
                .hasMessage("invalid fields: body: names no change (role, disabled)");
        assertThatThrownBy(() -> h.update(request(ADMIN, "{\"disabled\":\"yes\",\"password\":\"x\"}", id.toString()))
                        .block(T))
                .hasMessageContaining("password: is not a field")
                .hasMessageContaining("disabled: must be true or false");
        assertThatThrownBy(() ->
                        h.update(request(ADMIN, "{\"role\":\"editor\"}", "1")).block(T))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    void changePassword_namesMissingFields_andRefusesTheSamePassword() {
        UsersHandler h = handler(Registration.CLOSED);
        assertThatThrownBy(() -> h.changePassword(request(EDITOR, "{}")).block(T))
                .hasMessage("invalid fields: old_password: is required; new_password: is required");
        assertThatThrownBy(() -> h.changePassword(
                                request(EDITOR, body("old_password", PASSWORD, "new_password", PASSWORD)))
                        .block(T))
                .hasMessage("invalid fields: new_password: must differ from the old password");
        assertThatThrownBy(() -> h.changePassword(request(null, "{}"))).isInstanceOf(ApiException.class);
    }

    @Test
    void aUserAsShown_neverCarriesItsHash() {
        User u = User.create("eve", new Passwords().hash(PASSWORD), Role.EDITOR);
        Map<String, Object> view = UsersHandler.view(u);
        assertThat(view).containsOnlyKeys("id", "username", "role", "created_at", "disabled", "updated_at");
        assertThat(view.values()).doesNotContain(u.passwordHash());
        assertThat(UsersHandler.me(u)).containsOnlyKeys("id", "username", "role", "created_at");
    }

    @Test
    void usernames() {
        assertThat(UsersHandler.usernameProblem("alice.smith@example-1")).isNull();
        assertThat(UsersHandler.usernameProblem("a".repeat(64))).isNull();
        assertThat(UsersHandler.usernameProblem("a".repeat(65))).isNotNull();
        assertThat(UsersHandler.usernameProblem("")).isEqualTo("is required");
        for (String bad : List.of(".hidden", "two words", "tab\t", "ünïcode", "semi;colon"))
            assertThat(UsersHandler.usernameProblem(bad)).as(bad).isNotNull();
    }

    static String body(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return JsonMapper.builder().build().writeValueAsString(m);
    }

    static MockServerRequest request(AuthUser caller, String body) {
        return request(caller, body, null);
    }

    static MockServerRequest request(AuthUser caller, String body, String id) {
        MockServerRequest.Builder b = MockServerRequest.builder();
        if (caller != null) b.attribute(Principal.ATTRIBUTE, new Principal.UserPrincipal(caller));
        if (id != null) b.pathVariable("id", id);
        return body == null ? b.build() : b.body(Mono.just(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Users in memory, unique by lower-case name as the real index makes them. */
    static final class Users extends UserStore {
        final Map<UUID, User> byId = new ConcurrentHashMap<>();

        Users() {
            super(null);
        }

        @Override
        public Mono<User> findByUsername(String username) {
            return Flux.fromIterable(byId.values())
                    .filter(u -> u.username().equalsIgnoreCase(username))
                    .next();
        }

        @Override
        public Mono<User> findById(UUID id) {
            return Mono.justOrEmpty(byId.get(id));
        }

        @Override
        public Mono<Boolean> insert(User u) {
            return findByUsername(u.username()).hasElement().map(taken -> {
                if (!taken) byId.put(u.id(), u);
                return !taken;
            });
        }

        @Override
        public Flux<User> list() {
            return Flux.fromIterable(byId.values());
        }
    }
}
