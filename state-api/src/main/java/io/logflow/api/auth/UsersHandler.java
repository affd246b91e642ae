package io.logflow.api.auth;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.config.LogFlowProperties.Auth.Registration;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registration, the caller's own account ({@code /api/v1/auth/me}) and user administration ({@code
 * /api/v1/auth/users}, admin only). A body never sets its own role: registration makes a viewer (enabled with {@code
 * LOGFLOW_REGISTRATION=open}, disabled until an admin enables it with {@code approval}, refused with {@code
 * closed}), and only an admin changes a role. The last enabled admin cannot be demoted or disabled. A password change
 * and a disabled account revoke the user's refresh tokens. No answer carries a password hash.
 */
@Component
public class UsersHandler {
    private static final Logger log = LoggerFactory.getLogger(UsersHandler.class);
    public static final String USERS = AuthHandler.BASE + "/users";
    static final String REGISTRATION_CLOSED = "registration is closed; ask an admin";
    static final String WRONG_OLD_PASSWORD = "does not match the current password";
    static final String LAST_ADMIN = "this is the last enabled admin; make another user admin first";
    /** Letters, digits, '.', '_', '@', '-'; starting with a letter or digit; 64 at most (the column's check). */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final UserStore users;
    private final Passwords passwords;
    private final RefreshTokens refresh;
    private final JsonMapper json;
    private final Registration registration;

    UsersHandler(
            UserStore users, Passwords passwords, RefreshTokens refresh, JsonMapper json, LogFlowProperties props) {
        this.users = users;
        this.passwords = passwords;
        this.refresh = refresh;
        this.json = json;
        this.registration = props.auth().registration();
    }

    /** {@code POST /api/v1/auth/register}: anyone, as the registration setting allows; always a viewer. */
    public Mono<ServerResponse> register(ServerRequest req) {
        if (registration == Registration.CLOSED) return Mono.error(RoleCheck.forbidden(REGISTRATION_CLOSED));
        boolean disabled = registration == Registration.APPROVAL;
        return JsonBody.read(req, json)
                .map(body -> newUser(body, false))
                .flatMap(n -> insert(n.username(), n.password(), Role.VIEWER, disabled))
                .flatMap(user -> {
                    Map<String, Object> body = view(user);
                    if (disabled) body.put("message", "an admin must enable this account before it can log in");
                    return created(user, body);
                });
    }

    /**
     * {@code GET /api/v1/auth/options}: what the login page may offer before anyone signs in (open: it says only
     * whether registration is open, closed or needs an admin's approval).
     */
    public Mono<ServerResponse> options(ServerRequest req) {
        return ok(Map.of("registration", registration.name().toLowerCase(Locale.ROOT)));
    }

    /** {@code GET /api/v1/auth/me}: the caller as stored. */
    public Mono<ServerResponse> me(ServerRequest req) {
        AuthUser caller = Principal.user(req);
        return users.findById(caller.id())
                .switchIfEmpty(Mono.error(() -> BearerAuth.unauthorized()))
                .flatMap(u -> ok(me(u)));
    }

    /**
     * {@code PUT /api/v1/auth/me}: a new password, given the current one. A wrong current password is a 400 naming
     * {@code old_password} (the caller is known already, so it tells nothing about who exists). Every refresh token
     * of the user is revoked: other sessions end when their access token expires.
     */
    public Mono<ServerResponse> changePassword(ServerRequest req) {
        AuthUser caller = Principal.user(req);
        return JsonBody.read(req, json)
                .map(body -> {
                    body.only(Set.of("old_password", "new_password"));
                    String old = body.string("old_password", false);
                    String next = body.string("new_password", false);
                    if (old != null) body.add("old_password", Passwords.problem(old, false));
                    if (next != null) body.add("new_password", Passwords.problem(next, true));
                    if (old != null && old.equals(next)) body.add("new_password", "must differ from the old password");
                    body.check();
                    return new String[] {old, next};
                })
                .flatMap(pw -> users.findById(caller.id())
                        .switchIfEmpty(Mono.error(() -> BearerAuth.unauthorized()))
                        // bcrypt is CPU work: off the event loop
                        .publishOn(Schedulers.boundedElastic())
                        .map(user -> {
                            if (!passwords.matches(pw[0], user.passwordHash()))
                                throw ApiException.invalidFields(
                                        List.of(JsonBody.error("old_password", WRONG_OLD_PASSWORD)));
                            return passwords.hash(pw[1]);
                        })
                        .flatMap(hash -> users.setPasswordHash(caller.id(), hash))
                        .flatMap(done -> refresh.revokeUser(caller.id(), Instant.now()))
                        .doOnNext(n ->
                                log.info("user {} changed its password; {} refresh tokens revoked", caller.id(), n))
                        .then(ServerResponse.noContent().build()));
    }

    /** {@code GET /api/v1/auth/users}: every user (admin). */
    public Mono<ServerResponse> list(ServerRequest req) {
        RoleCheck.require(req, Role.ADMIN);
        return users.list()
                .map(UsersHandler::view)
                .collectList()
                .flatMap(all -> ok(Map.of("count", all.size(), "users", all)));
    }

    /** {@code POST /api/v1/auth/users}: a user with a role (admin); viewer when the body names none. */
    public Mono<ServerResponse> create(ServerRequest req) {
        AuthUser admin = RoleCheck.require(req, Role.ADMIN);
        return JsonBody.read(req, json)
                .map(body -> newUser(body, true))
                .flatMap(n -> insert(n.username(), n.password(), n.role(), false))
                .doOnNext(u -> log.info(
                        "admin {} created user {} ({})",
                        admin.id(),
                        u.id(),
                        u.role().wire()))
                .flatMap(u -> created(u, view(u)));
    }

    /**
     * {@code PATCH /api/v1/auth/users/{id}}: {@code role} and / or {@code disabled} (admin). 409 when it would leave
     * no enabled admin; disabling revokes the user's refresh tokens.
     */
    public Mono<ServerResponse> update(ServerRequest req) {
        AuthUser admin = RoleCheck.require(req, Role.ADMIN);
        UUID id = id(req);
        return JsonBody.read(req, json)
                .map(body -> {
                    body.only(Set.of("role", "disabled"));
                    Role role = role(body);
                    Boolean disabled = body.bool("disabled");
                    if (!body.has("role") && !body.has("disabled"))
                        body.add("body", "names no change (role, disabled)");
                    body.check();
                    return new Change(role, disabled);
                })
                .flatMap(change -> users.findById(id)
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("no user " + id)))
                        .flatMap(current -> {
                            Role role = change.role() != null ? change.role() : current.role();
                            boolean disabled = change.disabled() != null ? change.disabled() : current.disabled();
                            return users.update(id, role, disabled)
                                    .switchIfEmpty(Mono.defer(() -> users.findById(id)
                                            .flatMap(u -> Mono.<User>error(ApiException.conflict(LAST_ADMIN)))
                                            .switchIfEmpty(Mono.error(() -> ApiException.notFound("no user " + id)))));
                        }))
                .flatMap(u -> {
                    log.info(
                            "admin {} set user {} to role {}, disabled {}",
                            admin.id(),
                            u.id(),
                            u.role().wire(),
                            u.disabled());
                    Mono<Long> revoked = u.disabled() ? refresh.revokeUser(u.id(), Instant.now()) : Mono.just(0L);
                    return revoked.then(ok(view(u)));
                });
    }

    /** A change of {@code PATCH /users/{id}}: null for what stays. */
    record Change(Role role, Boolean disabled) {}

    /** The fields of a new user (register: username and password only; admin: a role too). */
    record NewUser(String username, String password, Role role) {
        @Override
        public String toString() {
            return "NewUser[username=" + username + ", role=" + role + "]";
        }
    }

    /** A new user's fields checked, every problem in one 400. */
    static NewUser newUser(JsonBody body, boolean withRole) {
        body.only(withRole ? Set.of("username", "password", "role") : Set.of("username", "password"));
        String username = body.string("username", false);
        String password = body.string("password", true);
        if (username != null) body.add("username", usernameProblem(username.trim()));
        body.add("password", Passwords.problem(password, true));
        Role role = withRole ? role(body) : null;
        body.check();
        return new NewUser(username.trim(), password, role == null ? Role.VIEWER : role);
    }

    /** What is wrong with a new username, or null. */
    static String usernameProblem(String username) {
        if (username.isEmpty()) return "is required";
        if (!USERNAME.matcher(username).matches())
            return "must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or a digit";
        return null;
    }

    private static Role role(JsonBody body) {
        String wire = body.string("role", true);
        if (wire == null) return null;
        Role role = Role.fromWire(wire);
        body.add("role", role == null ? "must be viewer, editor or admin" : null);
        return role;
    }

    private Mono<User> insert(String username, String password, Role role, boolean disabled) {
        return Mono.fromCallable(() -> passwords.hash(password))
                .subscribeOn(Schedulers.boundedElastic())
                .map(hash -> {
                    User u = User.create(username, hash, role);
                    return new User(u.id(), u.username(), hash, role, disabled, u.createdAt(), u.updatedAt());
                })
                .flatMap(u -> users.insert(u)
                        .flatMap(done -> done
                                ? Mono.just(u)
                                : Mono.error(ApiException.conflict("the username " + username + " is taken"))));
    }

    static UUID id(ServerRequest req) {
        return Params.uuid("id", req.pathVariable("id"), "a UUID");
    }

    /** A user as an admin sees it: never the hash. */
    static Map<String, Object> view(User u) {
        Map<String, Object> m = me(u);
        m.put("disabled", u.disabled());
        m.put("updated_at", u.updatedAt() == null ? null : u.updatedAt().toString());
        return m;
    }

    /** A user as {@code /me} shows it. */
    static Map<String, Object> me(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("username", u.username());
        m.put("role", u.role().wire());
        m.put("created_at", u.createdAt() == null ? null : u.createdAt().toString());
        return m;
    }

    private static Mono<ServerResponse> ok(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private static Mono<ServerResponse> created(User u, Map<String, Object> body) {
        return ServerResponse.created(URI.create(USERS + "/" + u.id()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }
}
