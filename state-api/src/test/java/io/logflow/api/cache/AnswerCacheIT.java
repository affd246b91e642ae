package io.logflow.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.TestObjects;
import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Staleness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AnswerCache} on the machine's Redis (127.0.0.1:6379, as in CI), under an application id of its own: what is
 * stored and what never is. The server around it: {@code CacheIT} and {@code RedisOutageIT}.
 */
class AnswerCacheIT {
    static final String APP =
            "answer-cache-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);

    static LogFlowMetrics metrics;
    static RedisCache redis;
    static AnswerCache cache;

    @BeforeAll
    static void connect() {
        LogFlowProperties props = properties("redis://127.0.0.1:6379", APP);
        metrics = new LogFlowMetrics(new SimpleMeterRegistry());
        redis = new RedisCache(props, metrics);
        cache = new AnswerCache(redis, metrics, JsonMapper.builder().build(), props);
    }

    @AfterAll
    static void close() {
        if (redis != null) redis.destroy();
    }

    static LogFlowProperties properties(String redisUrl, String applicationId) {
        return TestObjects.properties(
                new LogFlowProperties.Streams(
                        applicationId, null, null, 1, Duration.ofSeconds(30), null, 0, 0, 0, null, null, null),
                new LogFlowProperties.Cache(
                        redisUrl, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(10)));
    }

    /** The answer to one request: its cache header and body, the request's staleness as the filter would see it. */
    record Answer(String cache, String body, Staleness staleness) {}

    static Answer ask(CacheKey key, Mono<?> compute) {
        Staleness staleness = new Staleness();
        ServerResponse r = cache.json(key, () -> compute)
                .contextWrite(ctx -> ctx.put(Staleness.class, staleness))
                .block(Duration.ofSeconds(5));
        byte[] body = (byte[]) ((EntityResponse<?>) r).entity();
        return new Answer(
                r.headers().getFirst(AnswerCache.HEADER), new String(body, StandardCharsets.UTF_8), staleness);
    }

    @Test
    void aWholeAnswer_isStored_andReadBack() {
        AtomicInteger computed = new AtomicInteger();
        CacheKey key = CacheKey.of("whole").with("n", 1).live();
        Mono<Map<String, Integer>> compute = Mono.fromSupplier(() -> Map.of("computed", computed.incrementAndGet()));
        List<String> computedBodies = new ArrayList<>();
        // the write does not delay the answer, and a 2 s slot may end between two requests: ask until a hit
        Answer hit = Awaitility.await("a hit")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> {
                            Answer a = ask(key, compute);
                            if ("miss".equals(a.cache())) computedBodies.add(a.body());
                            return a;
                        },
                        a -> "hit".equals(a.cache()));
        assertThat(computedBodies).isNotEmpty().contains(hit.body());
        assertThat(metrics.cacheCounts().hits()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAnswerReadPartlyFromReplicas_isAnsweredFlaggedStale_butNeverStored() {
        AtomicInteger computed = new AtomicInteger();
        CacheKey key = CacheKey.of("stale").with("n", 1).live();
        Staleness read = new Staleness();
        read.add(new Staleness.Entry("service-stats-store", 3, "127.0.0.1:1", 42));
        Mono<Map<String, Integer>> compute = Mono.fromSupplier(() -> Map.of("computed", computed.incrementAndGet()))
                .flatMap(v -> Staleness.note(read).thenReturn(v));
        for (int i = 0; i < 3; i++) {
            Answer a = ask(key, compute);
            assertThat(a.cache()).isEqualTo("miss");
            assertThat(a.staleness().entries()).containsExactlyElementsOf(read.entries());
        }
        assertThat(computed).hasValue(3);
    }

    @Test
    void anError_isPassedOn_andNeverStored() {
        AtomicInteger computed = new AtomicInteger();
        CacheKey key = CacheKey.of("error").with("n", 1).live();
        Mono<Object> compute = Mono.defer(() -> {
            computed.incrementAndGet();
            return Mono.error(ApiException.notFound("unknown service 'nobody'"));
        });
        for (int i = 0; i < 2; i++) assertThatThrownBy(() -> ask(key, compute)).isInstanceOf(ApiException.class);
        assertThat(computed).hasValue(2);
    }

    @Test
    void bytes_areStoredAsTheyAre() {
        CacheKey key = CacheKey.of("bytes").with("n", 1).live();
        Answer a = ask(key, Mono.just("{\"already\":\"json\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(a.body()).isEqualTo("{\"already\":\"json\"}");
    }

    @Test
    void anotherDeployment_onTheSameRedis_doesNotReadThisOnesAnswers() {
        CacheKey key = CacheKey.of("shared").with("n", 1);
        LogFlowProperties other = properties("redis://127.0.0.1:6379", APP + "-other");
        RedisCache otherRedis = new RedisCache(other, metrics);
        try {
            AnswerCache otherCache =
                    new AnswerCache(otherRedis, metrics, JsonMapper.builder().build(), other);
            Awaitility.await("this deployment's answer stored")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ask(key, Mono.just(Map.of("mine", true))).cache(), "hit"::equals);
            ServerResponse theirs = otherCache
                    .json(CacheKey.of("shared").with("n", 1), () -> Mono.just(Map.of("theirs", true)))
                    .block(Duration.ofSeconds(5));
            assertThat(theirs.headers().getFirst(AnswerCache.HEADER)).isEqualTo("miss");
            assertThat(new String((byte[]) ((EntityResponse<?>) theirs).entity(), StandardCharsets.UTF_8))
                    .contains("theirs");
        } finally {
            otherRedis.destroy();
        }
    }

    @Test
    void redisKeys_andMemory_areReported() {
        ask(CacheKey.of("counted").with("n", 1), Mono.just(Map.of("x", 1)));
        Map<String, Object> m = redis.keysAndMemory(Duration.ofSeconds(2)).block();
        assertThat((Long) m.get("keys")).isGreaterThanOrEqualTo(1);
        assertThat((Long) m.get("usedMemory")).isPositive();
        assertThat(redis.check()).containsEntry("status", "UP");
    }

    @Test
    void clear_deletesThisDeploymentsKeysOnly() {
        String prefix = CacheKey.prefix(APP);
        for (int i = 0; i < 1500; i++)
            redis.set(prefix + "cleared?n=" + i, new byte[] {1}, Duration.ofMinutes(1))
                    .block();
        String theirs = CacheKey.prefix(APP + "-neighbour") + "kept?n=1";
        String notOurs = "someone-else:" + APP;
        redis.set(theirs, new byte[] {1}, Duration.ofMinutes(1)).block();
        redis.set(notOurs, new byte[] {1}, Duration.ofMinutes(1)).block();
        try {
            assertThat(redis.clear(Duration.ofSeconds(10)).block()).isGreaterThanOrEqualTo(1500L);
            assertThat(redis.get(prefix + "cleared?n=7").blockOptional()).isEmpty();
            assertThat(redis.get(theirs).blockOptional()).isPresent();
            assertThat(redis.get(notOurs).blockOptional()).isPresent();
            assertThat(redis.keysAndMemory(Duration.ofSeconds(2)).block()).containsEntry("keys", 0L);
        } finally {
            redis.set(theirs, new byte[] {1}, Duration.ofMillis(1)).block();
            redis.set(notOurs, new byte[] {1}, Duration.ofMillis(1)).block();
        }
    }

    @Test
    void clear_withRedisDown_is503() {
        int deadPort = 1; // tcpmux: nothing listens there
        LogFlowProperties down = properties("redis://127.0.0.1:" + deadPort, APP + "-down");
        RedisCache downRedis = new RedisCache(down, metrics);
        try {
            assertThatThrownBy(() ->
                            new CacheHandler(downRedis, metrics).clear(null).block(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            e -> assertThat(e.status.value()).isEqualTo(503));
        } finally {
            downRedis.destroy();
        }
    }
}
