package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.logflow.api.cache.AnswerCache;
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
import tools.jackson.databind.JsonNode;

/**
 * The Redis cache of query answers (issue 17 §4) in a real server, on the machine's Redis (127.0.0.1:6379, as in CI)
 * under this class's own application id: a live answer is never older than the short TTL, a closed range is kept
 * long, errors are never stored, and the statistics and {@code /health} say what Redis holds. Redis going away and
 * coming back: {@link RedisOutageIT}.
 */
class CacheIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String APP = "cache-it-" + SUFFIX;
    static final String SERVICE = "cached-" + SUFFIX;
    static final String REDIS = "redis://127.0.0.1:6379";
    static final Duration LIVE_TTL = Duration.ofSeconds(2);
    static final String OVERVIEW = "/api/v1/metrics/overview?minutes=15";

    static Instance app;
    static RedisClient redis;
    static StatefulRedisConnection<String, String> connection;
    /** A {@code minutes} no request asked for before: an answer computed now. */
    static final AtomicInteger unasked = new AtomicInteger(20);

    @BeforeAll
    static void start() {
        app = Instance.start(APP, Map.of("logflow.cache.url", REDIS, "logflow.cache.live-ttl", "2s"))
                .awaitHealthy();
        redis = RedisClient.create(REDIS);
        connection = redis.connect();
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
        if (connection != null) connection.close();
        if (redis != null) redis.shutdown();
    }

    @Test
    void aLiveAnswer_isNeverOlderThanTheShortTtl() throws Exception {
        app.ingest(logs(3));
        Awaitility.await("3 logs in a fresh overview")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> freshTotal() == 3);
        // the last 15 minutes, asked twice within one slot of the short TTL: the second is read from Redis
        Instance.Response hit = Awaitility.await("a hit")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> app.get(OVERVIEW), r -> "hit".equals(r.header(AnswerCache.HEADER)));
        assertThat(total(hit.json())).isEqualTo(3);

        app.ingest(logs(2));
        Awaitility.await("5 logs in a fresh overview")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> freshTotal() == 5);
        long visibleAt = System.nanoTime();
        // whatever was cached before the new logs were visible has gone one short TTL later
        Thread.sleep(Math.max(0, LIVE_TTL.toNanos() - (System.nanoTime() - visibleAt)) / 1_000_000 + 50);
        Instance.Response after = app.get(OVERVIEW);
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(total(after.json())).as(after.body()).isEqualTo(5);
    }

    @Test
    void aClosedRange_isKeptForLong_aRangeEndingNow_forTheShortTtl() {
        long to = System.currentTimeMillis() - 3_600_000;
        String closed = "/api/v1/metrics/timeseries?interval=5m&from=" + (to - 3_600_000) + "&to=" + to;
        Instance.Response first = app.get(closed);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // stored right after it was answered: read back from then on, whatever the time
        Instance.Response second = Awaitility.await("a hit")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> app.get(closed), r -> "hit".equals(r.header(AnswerCache.HEADER)));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(ttlsOf("timeseries?"))
                .isNotEmpty()
                .allSatisfy(ttl -> assertThat(ttl).isGreaterThan(Duration.ofMinutes(9)));

        assertThat(app.get("/api/v1/dependencies").status()).isEqualTo(200);
        assertThat(ttlsOf("dependencies?"))
                .isNotEmpty()
                .allSatisfy(ttl -> assertThat(ttl).isLessThanOrEqualTo(LIVE_TTL));
    }

    @Test
    void errors_areNeverStored() {
        String unknown = "/api/v1/metrics/service/nobody-" + SUFFIX;
        for (int i = 0; i < 2; i++) {
            Instance.Response r = app.get(unknown);
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.header(AnswerCache.HEADER)).isNull();
        }
        assertThat(ttlsOf("service?")).isEmpty();
    }

    @Test
    void statsAndHealth_sayWhatRedisHolds() {
        Awaitility.await("a hit")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> app.get("/api/v1/metrics/overview?minutes=2").header(AnswerCache.HEADER), "hit"::equals);
        Instance.Response r = app.get("/api/v1/cache/stats");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.get("redis").asString()).isEqualTo("up");
        assertThat(s.get("hits").asLong()).isPositive();
        assertThat(s.get("misses").asLong()).isPositive();
        assertThat(s.get("hitRatio").asDouble()).isBetween(0.0, 1.0);
        assertThat(s.get("keys").asLong()).isPositive();
        assertThat(s.get("usedMemory").asLong()).isPositive();

        JsonNode health = app.get("/health").json();
        assertThat(health.get("cache").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("status").asString()).isEqualTo("UP");
    }

    /** The TTLs of this deployment's keys whose endpoint part starts with {@code endpoint}. */
    static List<Duration> ttlsOf(String endpoint) {
        List<Duration> ttls = new ArrayList<>();
        var sync = connection.sync();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = sync.scan(
                    cursor,
                    ScanArgs.Builder.matches("logflow:cache:" + APP + ":*").limit(1000));
            for (String key : page.getKeys()) {
                String afterVersion = key.substring(key.indexOf(':', ("logflow:cache:" + APP + ":").length()) + 1);
                if (afterVersion.startsWith(endpoint)) ttls.add(Duration.ofMillis(sync.pttl(key)));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return ttls;
    }

    /** The overview's total of this class's service, from an overview no request asked for before. */
    static long freshTotal() {
        Instance.Response r = app.get("/api/v1/metrics/overview?minutes=" + unasked.incrementAndGet());
        return r.status() == 200 ? total(r.json()) : -1;
    }

    static long total(JsonNode overview) {
        for (JsonNode s : overview.get("byService"))
            if (s.get("name").asString().equals(SERVICE)) return s.get("total").asLong();
        return 0;
    }

    static List<String> logs(int n) {
        List<String> lines = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) lines.add(LogFlowApiIT.log(SERVICE, "INFO", "cached " + i, null, now - 1000 + i));
        return lines;
    }
}
