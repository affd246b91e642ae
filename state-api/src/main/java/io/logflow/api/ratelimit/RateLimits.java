package io.logflow.api.ratelimit;

import io.logflow.api.auth.Principal;
import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The rate limits (issue 17), right after the gate ({@code HIGHEST_PRECEDENCE + 2}), which put the caller on the
 * exchange. A request of a limited {@link Group} takes one permit from its caller's limiter: the {@link Principal}'s
 * key ({@code user:<id>}, {@code token:<id>}), else {@code ip:<address>} ({@link ClientAddress}); login and register
 * always per address. Other instances ({@code InstancePrincipal}) are never limited: their fan-out answers a user
 * this instance has limited already. Every limited answer carries {@code RateLimit-Limit}, {@code
 * RateLimit-Remaining}, {@code RateLimit-Reset} (seconds; draft-ietf-httpapi-ratelimit-headers); over the limit the
 * request ends here with 429 problem+json and {@code Retry-After}, counted in {@code
 * logflow_rate_limited_total{group}}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class RateLimits implements WebFilter {
    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";
    static final int MAX_USERNAME_KEY = 128;
    /** The response headers set on every limited answer (CORS exposes them to pages on allowed origins). */
    static final List<String> HEADERS = List.of(LIMIT, REMAINING, RESET);

    private final boolean enabled;
    private final Limiters limiters;
    private final ClientAddress addresses;
    private final Map<Group, Counter> limited = new EnumMap<>(Group.class);

    @Autowired
    RateLimits(LogFlowProperties props, LogFlowMetrics metrics) {
        this(
                props.rateLimits() == null ? LogFlowProperties.RateLimits.defaults() : props.rateLimits(),
                metrics,
                System::nanoTime);
    }

    RateLimits(LogFlowProperties.RateLimits settings, LogFlowMetrics metrics, LongSupplier nanoTime) {
        this.enabled = settings.enabled();
        this.limiters = new Limiters(settings, nanoTime);
        this.addresses = new ClientAddress(settings.trustedProxies());
        for (Group g : Group.values()) limited.put(g, metrics.rateLimitedCounter(g.wire()));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled) return chain.filter(exchange);
        Principal principal = Principal.of(exchange);
        if (principal instanceof Principal.InstancePrincipal) return chain.filter(exchange);
        Group group = Group.of(
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value());
        if (group == null) return chain.filter(exchange);
        String key = group.perAddress() || principal.limitKey() == null
                ? addresses.key(exchange.getRequest())
                : principal.limitKey();
        Limiters.Outcome outcome = limiters.acquire(group, key);
        setHeaders(exchange, outcome);
        if (!outcome.permitted()) return Mono.error(tooMany(group, outcome));
        return chain.filter(exchange);
    }

    /**
     * The login's second limit, per username (any case, whatever the address): the login handler calls it once it has
     * read the body and before it checks the password. Empty when allowed, else a 429 error; the RateLimit-* headers
     * then show the tighter of the address's and the username's limit.
     */
    public Mono<Void> checkLogin(ServerWebExchange exchange, String username) {
        if (!enabled || username == null || username.isBlank()) return Mono.empty();
        Limiters.Outcome outcome = limiters.acquire(Group.LOGIN_USERNAME, usernameKey(username));
        String shown = exchange.getResponse().getHeaders().getFirst(REMAINING);
        if (!outcome.permitted() || shown == null || Long.parseLong(shown) > outcome.remaining())
            setHeaders(exchange, outcome);
        return outcome.permitted() ? Mono.empty() : Mono.error(tooMany(Group.LOGIN_USERNAME, outcome));
    }

    /**
     * The login-by-username bucket's key, as {@code DELETE /api/v1/rate-limits/reset/{id}} takes it: cut to {@value
     * #MAX_USERNAME_KEY} characters, so that made-up long names cannot fill memory.
     */
    static String usernameKey(String username) {
        String key = username.strip().toLowerCase(Locale.ROOT);
        return key.length() > MAX_USERNAME_KEY ? key.substring(0, MAX_USERNAME_KEY) : key;
    }

    Limiters limiters() {
        return limiters;
    }

    boolean enabled() {
        return enabled;
    }

    private ApiException tooMany(Group group, Limiters.Outcome outcome) {
        limited.get(group).increment();
        Duration period = limiters.period(group);
        return ApiException.tooManyRequests(
                "rate limit exceeded: " + outcome.limit() + " requests per " + describe(period) + " for " + group.wire()
                        + "; retry in " + Math.max(1, outcome.resetSeconds()) + " s",
                Duration.ofSeconds(Math.max(1, outcome.resetSeconds())));
    }

    private static void setHeaders(ServerWebExchange exchange, Limiters.Outcome outcome) {
        HttpHeaders h = exchange.getResponse().getHeaders();
        h.set(LIMIT, String.valueOf(outcome.limit()));
        h.set(REMAINING, String.valueOf(outcome.remaining()));
        h.set(RESET, String.valueOf(outcome.resetSeconds()));
    }

    /** {@code hour}, {@code minute}, {@code 30s}: the period as the detail says it. */
    static String describe(Duration period) {
        String p = new LogFlowProperties.Limit(1, period).toString().substring(2);
        return switch (p) {
            case "1d" -> "day";
            case "1h" -> "hour";
            case "1m" -> "minute";
            case "1s" -> "second";
            default -> p;
        };
    }
}
