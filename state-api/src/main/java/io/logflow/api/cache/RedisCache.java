package io.logflow.api.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanStream;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one Redis connection of this instance (lettuce, reactive), or none when {@code REDIS_URL} is empty.
 *
 * <p>Redis is never required: every operation waits at most {@code logflow.cache.timeout} and fails rather than
 * wait longer; each failure is counted ({@code logflow_cache_errors_total{operation}}), and one line is logged when
 * Redis stops answering and one when it answers again — not one per request. The connection is opened in the
 * background at start; while Redis cannot be reached, a new attempt is made on use at most every {@link #RETRY}. Once
 * connected, lettuce reconnects by itself (every {@link #RECONNECT_AT_MOST} at most) and meanwhile rejects commands
 * at once. So a server started before its Redis, or whose Redis restarts, uses it as soon as it answers.
 */
@Component
public class RedisCache implements DisposableBean {
    static final Duration RETRY = Duration.ofSeconds(1);
    static final Duration RECONNECT_AT_MOST = Duration.ofSeconds(1);
    /** At most this many keys are counted by {@link #keysAndMemory}; more are reported as "at least". */
    static final int MAX_KEYS_COUNTED = 100_000;

    private static final Logger log = LoggerFactory.getLogger(RedisCache.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final LogFlowMetrics metrics;
    private final Duration timeout;
    private final String where;
    private final String pattern;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile CompletableFuture<StatefulRedisConnection<String, byte[]>> connection;
    private volatile long lastAttempt;

    RedisCache(LogFlowProperties props, LogFlowMetrics metrics) {
        this.metrics = metrics;
        LogFlowProperties.Cache settings = props.cache();
        this.timeout = settings.timeout();
        this.pattern = CacheKey.pattern(props.streams().applicationId());
        if (!settings.enabled()) {
            this.where = null;
            this.resources = null;
            this.client = null;
            this.uri = null;
            return;
        }
        try {
            this.uri = RedisURI.create(settings.url().strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("REDIS_URL (logflow.cache.url) is not a Redis URL: " + e.getMessage());
        }
        this.where = uri.getHost() + ":" + uri.getPort();
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), RECONNECT_AT_MOST, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(timeout.multipliedBy(10))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        connect(); // in the background: the server starts whether Redis answers or not
    }

    /** Whether a Redis is configured. */
    public boolean enabled() {
        return client != null;
    }

    /** The cached value, empty when there is none; an error when Redis did not answer (counted, logged once). */
    Mono<byte[]> get(String key) {
        return call("get", c -> c.get(key));
    }

    /** Stores {@code value} for {@code ttl}; never fails (a failure is counted and logged once). */
    Mono<Void> set(String key, byte[] value, Duration ttl) {
        return call("set", c -> c.set(key, value, SetArgs.Builder.px(ttl.toMillis())))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /** The cache part of {@code /health}: OFF (no {@code REDIS_URL}), UP (answers PING in time) or DOWN. */
    public Map<String, Object> check() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!enabled()) {
            m.put("status", "OFF");
            return m;
        }
        m.put("redis", where);
        try {
            call("health", RedisReactiveCommands::ping).block();
            m.put("status", "UP");
        } catch (RuntimeException e) {
            m.put("status", "DOWN");
            m.put("error", describe(e));
        }
        return m;
    }

    /** Redis' side of the statistics: this deployment's keys (SCAN, at most {@link #MAX_KEYS_COUNTED}) and memory. */
    Mono<Map<String, Object>> keysAndMemory(Duration within) {
        return call("stats", within, c -> {
            Mono<Long> keys = ScanStream.scan(
                            c, ScanArgs.Builder.matches(pattern).limit(1000))
                    .take(MAX_KEYS_COUNTED + 1L)
                    .count();
            return Mono.zip(keys, c.info("memory")).map(t -> keysAndMemory(t.getT1(), t.getT2()));
        });
    }

    /**
     * Deletes this deployment's keys, and only those (SCAN by its prefix, UNLINK in batches — never FLUSHDB: other
     * deployments or programs may share the Redis): how many were deleted. An error when Redis does not answer within
     * {@code within}; keys deleted before that stay deleted.
     */
    Mono<Long> clear(Duration within) {
        return call(
                "clear",
                within,
                c -> ScanStream.scan(c, ScanArgs.Builder.matches(pattern).limit(1000))
                        .buffer(1000)
                        .concatMap(keys -> c.unlink(keys.toArray(String[]::new)))
                        .reduce(0L, Long::sum));
    }

    /** The figures from {@code keys} counted (a count over the cap: "at least") and the text of INFO memory. */
    static Map<String, Object> keysAndMemory(long keys, String infoMemory) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", Math.min(keys, MAX_KEYS_COUNTED));
        m.put("keysCapped", keys > MAX_KEYS_COUNTED);
        m.put("usedMemory", infoField(infoMemory, "used_memory"));
        m.put("usedMemoryHuman", infoField(infoMemory, "used_memory_human"));
        return m;
    }

    /** A field of INFO's {@code name:value} lines; a number when it is one, null when absent. */
    static Object infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                String v = line.substring(name.length() + 1).strip();
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return v;
                }
            }
        }
        return null;
    }

    private <T> Mono<T> call(String operation, Function<RedisReactiveCommands<String, byte[]>, Mono<T>> op) {
        return call(operation, timeout, op);
    }

    /** {@code op} on the connection within {@code within}; its failure counted (and logged once per outage). */
    private <T> Mono<T> call(
            String operation, Duration within, Function<RedisReactiveCommands<String, byte[]>, Mono<T>> op) {
        return connected()
                .flatMap(op)
                .timeout(within)
                .doOnSuccess(v -> answered())
                .doOnError(e -> failed(operation, e));
    }

    /** The connection's commands, or an error when it is not open yet (then a new attempt may start). */
    private Mono<RedisReactiveCommands<String, byte[]>> connected() {
        return Mono.defer(() -> {
            if (!enabled()) return Mono.error(new IllegalStateException("no REDIS_URL"));
            CompletableFuture<StatefulRedisConnection<String, byte[]>> c = connection;
            if (c == null || c.isCompletedExceptionally()) c = connect();
            return Mono.fromFuture(c, true).map(StatefulRedisConnection::reactive);
        });
    }

    /** The connection, or an attempt to open it when there is none and the last one failed more than RETRY ago. */
    private synchronized CompletableFuture<StatefulRedisConnection<String, byte[]>> connect() {
        CompletableFuture<StatefulRedisConnection<String, byte[]>> c = connection;
        if (c != null && !c.isCompletedExceptionally()) return c;
        long now = System.nanoTime();
        if (c != null && now - lastAttempt < RETRY.toNanos()) return c;
        lastAttempt = now;
        CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt =
                client.connectAsync(CODEC, uri).toCompletableFuture();
        attempt.whenComplete((conn, e) -> {
            if (e != null) failed("connect", e);
        });
        connection = attempt;
        return attempt;
    }

    private void answered() {
        if (down.compareAndSet(true, false)) log.info("Redis at {} answers again: answers are cached again", where);
    }

    private void failed(String operation, Throwable e) {
        metrics.cacheError(operation);
        if (down.compareAndSet(false, true))
            log.warn(
                    "Redis at {} does not answer ({}: {}); answers are computed uncached until it does",
                    where,
                    operation,
                    describe(e));
    }

    /** The root cause, briefly; a timeout as such. */
    static String describe(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) return "no answer in time";
            root = t;
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void destroy() {
        if (client == null) return;
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
