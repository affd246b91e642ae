package io.logflow.api.auth;

import io.logflow.api.auth.TokenCheck.Reason;
import io.logflow.api.db.Database;
import io.logflow.api.web.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * From a request's {@code Authorization: Bearer} header to the verified, enabled user, or a {@link Reason}: what
 * the enforcing filter (ADR 016) will call. The reason goes only to the debug log, never the token; {@link
 * #unauthorized} is the one answer a client gets.
 */
@Component
public final class BearerAuth {
    private static final Logger log = LoggerFactory.getLogger(BearerAuth.class);
    private static final String SCHEME = "Bearer ";

    /** Most users remembered; a full map is emptied. */
    static final int MAX_KNOWN = 10_000;
    /**
     * How long a user as read answers for its next requests on this instance: a role change or a disable made here
     * acts at once (the store tells), one made on another instance within this.
     */
    static final Duration FRESH = Duration.ofSeconds(2);

    private final AccessTokens tokens;
    private final Function<UUID, Mono<User>> users;
    /** Each user as PostgreSQL last said, and when: for {@link #FRESH}, and while it cannot say. */
    private final Map<UUID, Known> lastKnown = new ConcurrentHashMap<>();

    private final LongSupplier nanos;

    private record Known(User user, long at) {}

    @Autowired
    public BearerAuth(AccessTokens tokens, UserStore users) {
        this(tokens, users::findById, System::nanoTime);
        users.onChange(lastKnown::remove);
    }

    BearerAuth(AccessTokens tokens, Function<UUID, Mono<User>> users) {
        this(tokens, users, neverFresh()); // tests: the user is asked on every request
    }

    /** A clock that moves {@link #FRESH} on each reading. */
    private static LongSupplier neverFresh() {
        AtomicLong t = new AtomicLong();
        return () -> t.addAndGet(FRESH.toNanos());
    }

    BearerAuth(AccessTokens tokens, Function<UUID, Mono<User>> users, LongSupplier nanos) {
        this.tokens = tokens;
        this.users = users;
        this.nanos = nanos;
    }

    public Mono<TokenCheck> check(ServerHttpRequest request) {
        return check(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
    }

    /** Checks an {@code Authorization} header's value (null when the request has none). */
    public Mono<TokenCheck> check(String authorization) {
        if (authorization == null || authorization.isBlank()) return rejected(Reason.MISSING);
        if (authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
            return rejected(Reason.NOT_BEARER);
        String token = authorization.substring(SCHEME.length()).trim();
        // verifying may read new keys from PostgreSQL, and ECDSA is CPU work: off the event loop
        return Mono.fromCallable(() -> tokens.verify(token))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(check -> check instanceof TokenCheck.Valid v ? withUser(v.user()) : Mono.just(check))
                .doOnNext(check -> {
                    if (check instanceof TokenCheck.Rejected r) log.debug("bearer token refused: {}", r.reason());
                });
    }

    /** Checks a stream ticket ({@code ?ticket=} of an SSE request): a user's token with the stream audience. */
    public Mono<TokenCheck> checkTicket(String ticket) {
        if (ticket == null || ticket.isBlank()) return rejected(Reason.MISSING);
        return Mono.fromCallable(() -> tokens.verifyTicket(ticket))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(check -> check instanceof TokenCheck.Valid v ? withUser(v.user()) : Mono.just(check))
                .doOnNext(check -> {
                    if (check instanceof TokenCheck.Rejected r) log.debug("stream ticket refused: {}", r.reason());
                });
    }

    /** The 401 for any refused check: the same detail whatever the reason. */
    public static ApiException unauthorized() {
        return ApiException.unauthorized(TokenCheck.CLIENT_DETAIL);
    }

    private Mono<TokenCheck> withUser(AuthUser claimed) {
        Known known = lastKnown.get(claimed.id());
        if (known != null && nanos.getAsLong() - known.at() < FRESH.toNanos()) return Mono.just(asStored(known.user()));
        return users.apply(claimed.id())
                .doOnNext(this::remember)
                .map(BearerAuth::asStored)
                .defaultIfEmpty(TokenCheck.rejected(Reason.USER_UNKNOWN))
                .onErrorResume(Database::unavailable, e -> Mono.just(whileDown(claimed)));
    }

    /**
     * PostgreSQL cannot be asked (ADR 027): the user as it last said, else the token's own claims — signed by this
     * deployment minutes ago. Reads keep working through an outage of the database; what is lost meanwhile is only
     * that disabling a user or changing a role acts at once (nobody can do either while it lasts).
     */
    private TokenCheck whileDown(AuthUser claimed) {
        Known known = lastKnown.get(claimed.id());
        return known != null ? asStored(known.user()) : new TokenCheck.Valid(claimed);
    }

    private void remember(User u) {
        if (lastKnown.size() >= MAX_KNOWN) lastKnown.clear();
        lastKnown.put(u.id(), new Known(u, nanos.getAsLong()));
    }

    private static TokenCheck asStored(User u) {
        return u.disabled()
                ? TokenCheck.rejected(Reason.USER_DISABLED)
                : new TokenCheck.Valid(new AuthUser(u.id(), u.username(), u.role()));
    }

    private static Mono<TokenCheck> rejected(Reason reason) {
        log.debug("bearer token refused: {}", reason);
        return Mono.just(TokenCheck.rejected(reason));
    }
}
