package io.logflow.api.auth;

import io.logflow.api.web.ApiException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/auth/tokens} (admin): create an ingest token (its secret in this one answer only), list them
 * (never a secret), revoke one.
 */
@Component
public class TokensHandler {
    private static final Logger log = LoggerFactory.getLogger(TokensHandler.class);
    public static final String TOKENS = AuthHandler.BASE + "/tokens";

    private final IngestTokens tokens;
    private final JsonMapper json;

    TokensHandler(IngestTokens tokens, JsonMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    /** {@code POST}: {@code {name}} → 201 {@code {id, name, token, created_at}}; the token is shown only here. */
    public Mono<ServerResponse> create(ServerRequest req) {
        AuthUser admin = RoleCheck.require(req, Role.ADMIN);
        return JsonBody.read(req, json)
                .map(body -> {
                    body.only(Set.of("name"));
                    String name = body.string("name", false);
                    if (name != null) body.add("name", IngestTokens.nameProblem(name));
                    body.check();
                    return name;
                })
                .flatMap(name -> tokens.create(name, admin.id()))
                .flatMap(issued -> {
                    log.info("admin {} created ingest token {} ({})", admin.id(), issued.id(), issued.name());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", issued.id());
                    body.put("name", issued.name());
                    body.put("token", issued.token());
                    body.put("created_at", issued.createdAt().toString());
                    return ServerResponse.created(URI.create(TOKENS + "/" + issued.id()))
                            .contentType(MediaType.APPLICATION_JSON)
                            .cacheControl(CacheControl.noStore())
                            .header("Pragma", "no-cache")
                            .bodyValue(body);
                });
    }

    /** {@code GET}: every token, newest first, with who created it and when it was last used (to the minute). */
    public Mono<ServerResponse> list(ServerRequest req) {
        RoleCheck.require(req, Role.ADMIN);
        return tokens.list()
                .map(TokensHandler::view)
                .collectList()
                .flatMap(all -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("count", all.size(), "tokens", all)));
    }

    /** {@code DELETE /{id}}: 204 when a live token was revoked, 404 when there is none. */
    public Mono<ServerResponse> revoke(ServerRequest req) {
        AuthUser admin = RoleCheck.require(req, Role.ADMIN);
        UUID id = UsersHandler.id(req);
        return tokens.revoke(id).flatMap(done -> {
            if (!done) return Mono.error(ApiException.notFound("no live ingest token " + id));
            log.info("admin {} revoked ingest token {}", admin.id(), id);
            return ServerResponse.noContent().build();
        });
    }

    static Map<String, Object> view(IngestTokens.Listed t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("created_by", t.createdBy());
        m.put("created_by_username", t.createdByUsername());
        m.put("created_at", text(t.createdAt()));
        m.put("last_used_at", text(t.lastUsedAt()));
        m.put("revoked_at", text(t.revokedAt()));
        m.put("revoked", t.revokedAt() != null);
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
