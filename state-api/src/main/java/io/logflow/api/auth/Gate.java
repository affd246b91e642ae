package io.logflow.api.auth;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one place that decides who may call what (ADR 027): classifies each request with {@link Access}, establishes
 * its {@link Principal} from an access token, a stream ticket, an ingest token or a cluster token, and refuses it
 * with a 401 (no or bad credential) or a 403 (a role too low) before any handler runs. Runs after {@code
 * RequestIds} (so refusals carry request ids) and {@code Cors} (a preflight carries no credentials).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class Gate implements WebFilter {
    /** The query parameter a stream ticket travels in (an {@code EventSource} cannot send headers). */
    public static final String TICKET = "ticket";

    static final String INGEST_REQUIRED =
            "an ingest token is required: Authorization: Bearer <token> (an admin creates one under Admin → Ingest"
                    + " tokens)";
    static final String INGEST_REFUSED = "invalid or revoked ingest token";
    static final String INTERNAL_ONLY = "internal routes answer other instances of this deployment only";
    private static final String BEARER = "Bearer ";

    private final BearerAuth users;
    private final AccessTokens tokens;
    private final Function<String, Mono<Principal.IngestPrincipal>> ingest;
    private final LogFlowProperties.Auth settings;

    /**
     * The token this server's own OpenTelemetry agent sends to its own OTLP receiver: {@code ./logflow up} makes a
     * fresh one per start and gives it to both (infra's {@code OtelAgent}, ADR 011).
     */
    static final String SELF_TOKEN = "${LOGFLOW_SELF_INGEST_TOKEN:}";

    static final Principal.IngestPrincipal SELF = new Principal.IngestPrincipal(new UUID(0, 0), "self-tracing");

    @Autowired
    Gate(
            BearerAuth users,
            AccessTokens tokens,
            IngestTokens ingest,
            LogFlowProperties props,
            @Value(SELF_TOKEN) String selfToken) {
        this(users, tokens, withSelf(selfToken, ingest::verify), props.auth());
    }

    /** {@code verify} with the server's own agent's token in front (compared in constant time); unchanged without. */
    static Function<String, Mono<Principal.IngestPrincipal>> withSelf(
            String self, Function<String, Mono<Principal.IngestPrincipal>> verify) {
        if (self == null || self.isBlank()) return verify;
        if (self.length() < 32)
            throw new IllegalArgumentException("LOGFLOW_SELF_INGEST_TOKEN is too short to be secret");
        byte[] expected = self.getBytes(StandardCharsets.UTF_8);
        return presented -> MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                ? Mono.just(SELF)
                : verify.apply(presented);
    }

    Gate(
            BearerAuth users,
            AccessTokens tokens,
            Function<String, Mono<Principal.IngestPrincipal>> ingest,
            LogFlowProperties.Auth settings) {
        this.users = users;
        this.tokens = tokens;
        this.ingest = ingest;
        this.settings = settings;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = path(request);
        Access access = Access.of(request.getMethod(), path);
        return principal(access, request, path).flatMap(p -> {
            Principal.set(exchange, p);
            return chain.filter(exchange);
        });
    }

    private Mono<Principal> principal(Access access, ServerHttpRequest request, String path) {
        return switch (access) {
            case OPEN -> Mono.just(Principal.Anonymous.INSTANCE);
            case INGEST -> ingest(request);
            case INTERNAL -> instance(request);
            case PROMETHEUS ->
                settings.prometheusOpen() ? Mono.just(Principal.Anonymous.INSTANCE) : user(Access.ADMIN, request, path);
            default -> user(access, request, path);
        };
    }

    private Mono<Principal> ingest(ServerHttpRequest request) {
        if (settings.ingest() == LogFlowProperties.Auth.IngestAuth.OFF) return Mono.just(Principal.Anonymous.INSTANCE);
        String token = bearer(request);
        if (token == null) return Mono.error(ApiException.unauthorized(INGEST_REQUIRED));
        return ingest.apply(token)
                .cast(Principal.class)
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized(INGEST_REFUSED)));
    }

    private Mono<Principal> instance(ServerHttpRequest request) {
        String token = bearer(request);
        if (token == null) return Mono.error(ApiException.unauthorized(INTERNAL_ONLY));
        return Mono.fromCallable(() -> tokens.verifyCluster(token))
                .subscribeOn(Schedulers.boundedElastic())
                .map(id -> (Principal) new Principal.InstancePrincipal(id))
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized(INTERNAL_ONLY)));
    }

    private Mono<Principal> user(Access access, ServerHttpRequest request, String path) {
        String ticket = request.getQueryParams().getFirst(TICKET);
        boolean byTicket = ticket != null
                && Access.isStream(request.getMethod(), path)
                && request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION) == null;
        Mono<TokenCheck> check = byTicket ? users.checkTicket(ticket) : users.check(request);
        Role needed = access.role();
        return check.flatMap(c -> {
            if (!(c instanceof TokenCheck.Valid valid)) return Mono.error(BearerAuth.unauthorized());
            if (!valid.user().role().includes(needed))
                return Mono.error(ApiException.forbidden("this needs the " + needed.wire() + " role; "
                        + valid.user().username() + " is " + valid.user().role().wire()));
            return Mono.just(new Principal.UserPrincipal(valid.user()));
        });
    }

    /**
     * The path as the router will match it: each segment percent-decoded and without matrix parameters, so that
     * {@code /api/v1/auth/%75sers} is classified as the {@code /users} route it reaches.
     */
    static String path(ServerHttpRequest request) {
        PathContainer p = request.getPath().pathWithinApplication();
        String decoded = p.elements().stream()
                .map(e -> e instanceof PathContainer.PathSegment s ? s.valueToMatch() : e.value())
                .collect(Collectors.joining());
        return decoded.isEmpty() ? "/" : decoded;
    }

    private static String bearer(ServerHttpRequest request) {
        String h = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (h == null || h.length() <= BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
            return null;
        String token = h.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
