package io.logflow.api.cache;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.Staleness;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way a query handler caches its answer: {@code cache.json(key, () -> answer)} answers 200 with the JSON
 * cached under the key, or computes it, answers it and stores it for the key's TTL ({@link CacheKey}). Only whole
 * answers are stored: an error is passed on as it is, and an answer read partly from replicas (stale, see {@link
 * Staleness}) is answered — flagged as such — but not stored. A cached answer was complete when it was stored.
 *
 * <p>Redis is never in the way: when it does not answer within {@code logflow.cache.timeout} the answer is computed
 * (and not stored); a write does not delay the answer. Concurrent misses of one key each compute the answer and
 * store it (the last write wins, all equal); handlers that coalesce identical queries ({@code web.Coalescer}) still
 * do so under the cache. Every answer says {@value #HEADER}{@code : hit} or {@code miss} when Redis is configured.
 */
@Component
public class AnswerCache {
    public static final String HEADER = "X-LogFlow-Cache";

    private final RedisCache redis;
    private final LogFlowMetrics metrics;
    private final JsonMapper json;
    private final String prefix;
    private final Duration grace;
    private final Duration liveTtl;
    private final Duration closedTtl;
    private final Clock clock = Clock.systemUTC();

    AnswerCache(RedisCache redis, LogFlowMetrics metrics, JsonMapper json, LogFlowProperties props) {
        this.redis = redis;
        this.metrics = metrics;
        this.json = json;
        this.prefix = CacheKey.prefix(props.streams().applicationId());
        this.grace = props.streams().grace();
        this.liveTtl = props.cache().liveTtl();
        this.closedTtl = props.cache().closedTtl();
    }

    /**
     * 200 with the answer of {@code key}: from Redis, or {@code answer} (a value to serialise, or JSON bytes)
     * computed.
     */
    public Mono<ServerResponse> json(CacheKey key, Supplier<Mono<?>> answer) {
        if (!redis.enabled()) return answer.get().map(this::bytes).flatMap(body -> ok(body, null));
        CacheKey.Entry entry = key.entry(prefix, clock.instant(), grace, liveTtl, closedTtl);
        return redis.get(entry.key())
                .map(value -> new Lookup(value, true))
                .defaultIfEmpty(Lookup.MISSING)
                .onErrorReturn(Lookup.NO_ANSWER)
                .flatMap(lookup -> {
                    metrics.cacheLookup(lookup.value() != null);
                    if (lookup.value() != null) return ok(lookup.value(), "hit");
                    // Redis that did not answer the read is not written to either
                    return compute(answer, lookup.answered() ? entry : null);
                });
    }

    /** What Redis said: the value, nothing (a miss), or no answer ({@code answered} false). */
    private record Lookup(byte[] value, boolean answered) {
        static final Lookup MISSING = new Lookup(null, true);
        static final Lookup NO_ANSWER = new Lookup(null, false);
    }

    /** Computes the answer; stores it under {@code store} (null: not at all) when nothing was read from replicas. */
    private Mono<ServerResponse> compute(Supplier<Mono<?>> answer, CacheKey.Entry store) {
        Staleness staleness = new Staleness();
        return answer.get()
                .map(this::bytes)
                .contextWrite(ctx -> ctx.put(Staleness.class, staleness))
                .flatMap(body -> {
                    if (store != null && staleness.isEmpty())
                        redis.set(store.key(), body, store.ttl()).subscribe();
                    // the request's own collector learns what was stale, so the answer says so
                    return Staleness.note(staleness).then(ok(body, "miss"));
                });
    }

    private byte[] bytes(Object answer) {
        return answer instanceof byte[] b ? b : json.writeValueAsBytes(answer);
    }

    private static Mono<ServerResponse> ok(byte[] body, String cache) {
        ServerResponse.BodyBuilder b = ServerResponse.ok().contentType(MediaType.APPLICATION_JSON);
        if (cache != null) b.header(HEADER, cache);
        return b.bodyValue(body);
    }
}
