package io.logflow.api.auth;

import io.logflow.api.ratelimit.RateLimits;
import io.logflow.api.web.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/auth/login} (JSON or the OAuth2 password form), {@code /refresh} and {@code /logout}. A
 * failed login says the same whether the user exists or not, and takes as long: an unknown user still costs one
 * bcrypt check.
 */
@Component
public class AuthHandler {
    public static final String BASE = "/api/v1/auth";
    static final String BAD_CREDENTIALS = "wrong username or password";
    static final String BAD_REFRESH = "invalid or expired refresh token; log in again";
    static final int MAX_BODY_BYTES = 8 * 1024;

    private final UserStore users;
    private final Passwords passwords;
    private final AccessTokens access;
    private final RefreshTokens refresh;
    private final JsonMapper json;
    private final RateLimits rateLimits;

    AuthHandler(
            UserStore users,
            Passwords passwords,
            AccessTokens access,
            RefreshTokens refresh,
            JsonMapper json,
            RateLimits rateLimits) {
        this.users = users;
        this.passwords = passwords;
        this.access = access;
        this.refresh = refresh;
        this.json = json;
        this.rateLimits = rateLimits;
    }

    public Mono<ServerResponse> login(ServerRequest req) {
        return fields(req).flatMap(f -> {
            String username = f.get("username");
            String password = f.get("password");
            List<Map<String, String>> errors = new ArrayList<>();
            if (username == null || username.isBlank()) errors.add(error("username", "is required"));
            String problem = Passwords.problem(password, false);
            if (problem != null) errors.add(error("password", problem));
            if (!errors.isEmpty()) return Mono.error(ApiException.invalidFields(errors));
            // the per-username limit (the per-address one is the filter's) before any password is checked
            return rateLimits
                    .checkLogin(req.exchange(), username)
                    .then(users.findByUsername(username.trim()))
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    // bcrypt is CPU work: off the event loop
                    .publishOn(Schedulers.boundedElastic())
                    .map(user -> {
                        boolean ok = user.isPresent()
                                ? passwords.matches(password, user.get().passwordHash())
                                : passwords.matchesNoUser(password);
                        if (!ok || user.get().disabled()) throw ApiException.unauthorized(BAD_CREDENTIALS);
                        return user.get();
                    })
                    .flatMap(user -> refresh.issue(user.id()).flatMap(r -> tokens(user, r)));
        });
    }

    public Mono<ServerResponse> refresh(ServerRequest req) {
        return refreshToken(req).flatMap(refresh::rotate).flatMap(rotation -> {
            if (!(rotation instanceof RefreshTokens.Rotated r))
                return Mono.error(ApiException.unauthorized(BAD_REFRESH));
            return users.findById(r.userId())
                    .filter(u -> !u.disabled())
                    .flatMap(u -> tokens(u, r.next()))
                    .switchIfEmpty(Mono.defer(() -> refresh.revokeFamily(r.familyId(), Instant.now())
                            .then(Mono.error(ApiException.unauthorized(BAD_REFRESH)))));
        });
    }

    /** Revokes the refresh token's family; 204 whether it was known or not. */
    public Mono<ServerResponse> logout(ServerRequest req) {
        return refreshToken(req)
                .flatMap(refresh::revoke)
                .then(ServerResponse.noContent().build());
    }

    /**
     * {@code POST /api/v1/auth/stream-ticket}: a 60 s ticket for {@code ?ticket=} on {@code /api/v1/stream/**}, the
     * one way an {@code EventSource} (which cannot send headers) authenticates; it opens streams and nothing else.
     */
    public Mono<ServerResponse> streamTicket(ServerRequest req) {
        AuthUser user = Principal.user(req);
        return Mono.fromCallable(() -> access.ticket(user))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(t -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("ticket", t.token());
                    body.put("expires_in", t.ttl().toSeconds());
                    return ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .cacheControl(CacheControl.noStore())
                            .bodyValue(body);
                });
    }

    private Mono<ServerResponse> tokens(User user, RefreshTokens.Issued next) {
        AccessTokens.Issued a = access.issue(user);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", a.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", a.ttl().toSeconds());
        body.put("refresh_token", next.token());
        // RFC 6749 5.1: tokens are never cached
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .bodyValue(body);
    }

    private Mono<String> refreshToken(ServerRequest req) {
        return fields(req).map(f -> {
            String token = f.get("refresh_token");
            if (token == null || token.isBlank())
                throw ApiException.invalidFields(List.of(error("refresh_token", "is required")));
            return token;
        });
    }

    /** The string fields of a JSON object body, or of an {@code application/x-www-form-urlencoded} body. */
    private Mono<Map<String, String>> fields(ServerRequest req) {
        boolean form = req.headers()
                .contentType()
                .map(MediaType.APPLICATION_FORM_URLENCODED::isCompatibleWith)
                .orElse(false);
        return req.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(bytes -> {
            if (bytes.length > MAX_BODY_BYTES)
                throw ApiException.tooLarge("a body of " + BASE + "/* is at most " + MAX_BODY_BYTES + " bytes");
            return form
                    ? form(new String(bytes, StandardCharsets.UTF_8))
                    : JsonBody.of(bytes, json).strings();
        });
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }
}
