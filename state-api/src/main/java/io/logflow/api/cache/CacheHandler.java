package io.logflow.api.cache;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Responses;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/cache/stats}: this instance's hits, misses, errors and hit ratio since it started, and from
 * Redis the number of this deployment's keys and its memory; {@code "redis": "up"}, {@code "down"} (the counters
 * only) or {@code "off"} (no {@code REDIS_URL}). Always 200. {@code DELETE /api/v1/cache/clear}: {@link #clear}.
 */
@Component
public class CacheHandler {
    /** How long the Redis part (SCAN and INFO) may take before Redis is reported down. */
    static final Duration STATS_TIMEOUT = Duration.ofSeconds(2);
    /** How long a clear may take (SCAN and UNLINK of every key) before Redis is reported down. */
    static final Duration CLEAR_TIMEOUT = Duration.ofSeconds(30);

    private final RedisCache redis;
    private final LogFlowMetrics metrics;

    CacheHandler(RedisCache redis, LogFlowMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    public Mono<ServerResponse> stats(ServerRequest req) {
        if (!redis.enabled()) return Responses.json(stats("off", metrics.cacheCounts(), Map.of()));
        return redis.keysAndMemory(STATS_TIMEOUT)
                .map(fromRedis -> stats("up", metrics.cacheCounts(), fromRedis))
                .onErrorResume(e -> Mono.just(stats("down", metrics.cacheCounts(), Map.of())))
                .flatMap(Responses::json);
    }

    /**
     * {@code DELETE /api/v1/cache/clear} (admin, ADR 027): deletes this deployment's cached answers, {@code
     * {"deleted": n}}; 0 without a {@code REDIS_URL}; 503 with Retry-After when Redis does not answer. Answers are
     * computed anew on their next request.
     */
    public Mono<ServerResponse> clear(ServerRequest req) {
        if (!redis.enabled()) return Responses.json(Map.of("deleted", 0L));
        return redis.clear(CLEAR_TIMEOUT)
                .onErrorMap(e -> ApiException.unavailable(
                        "the cache's Redis does not answer (" + RedisCache.describe(e) + "); it may be partly cleared",
                        null))
                .flatMap(deleted -> Responses.json(Map.of("deleted", deleted)));
    }

    /** The answer: {@code fromRedis} (keys, memory) when Redis answered, else those as null. */
    static Map<String, Object> stats(String redis, LogFlowMetrics.CacheCounts counts, Map<String, Object> fromRedis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis", redis);
        m.put("hits", counts.hits());
        m.put("misses", counts.misses());
        m.put("errors", counts.errors());
        long lookups = counts.hits() + counts.misses();
        m.put("hitRatio", lookups == 0 ? 0.0 : Math.round(10_000.0 * counts.hits() / lookups) / 10_000.0);
        m.put("keys", fromRedis.get("keys"));
        m.put("keysCapped", fromRedis.get("keysCapped"));
        m.put("usedMemory", fromRedis.get("usedMemory"));
        m.put("usedMemoryHuman", fromRedis.get("usedMemoryHuman"));
        return m;
    }
}
