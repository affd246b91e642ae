package io.logflow.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The cache benchmark, on the log benchmark's server and data: {@code /api/v1/metrics/overview} and {@code
 * /api/v1/metrics/service/{name}} from C concurrent clients, uncached, then cached, in one run. Uncached: the server's
 * {@code REDIS_URL} names a Redis that is not started yet, so every answer is computed (what a server without Redis
 * does; a lookup fails at once on the closed port); then that Redis starts, the server uses it within a second
 * (ADR 026), and the same requests are measured again — the queries a dashboard sends, with live answers cached for
 * {@code LOGFLOW_CACHE_LIVE_TTL}, so one request per key and slot still computes. The hit ratio of the cached phase is
 * read from {@code /api/v1/cache/stats}.
 */
final class CacheBench {
    /** Runs the load on one URL: {@code Bench}'s clients. */
    interface Load {
        Bench.Latency run(URI uri, String authorization, String name) throws InterruptedException;
    }

    /** Starts the Redis the server's REDIS_URL names. */
    interface RedisStarter {
        void start() throws Exception;
    }

    private final Api api;
    private final Load load;
    private final int concurrency;

    CacheBench(Api api, Load load, int concurrency) {
        this.api = api;
        this.load = load;
        this.concurrency = concurrency;
    }

    /** Measures, fills {@code results.cache}, returns the summary line. */
    String run(RedisStarter redis, Map<String, Object> results) throws Exception {
        String service = busiestService();
        URI overview = api.base().resolve(Bench.OVERVIEW);
        URI serviceMetrics = api.base()
                .resolve("/api/v1/metrics/service/" + URLEncoder.encode(service, StandardCharsets.UTF_8)
                        + "?minutes=15");
        Map<String, Object> cache = new LinkedHashMap<>();
        results.put("cache", cache);
        cache.put("concurrency", concurrency);
        cache.put("service", service);
        cache.put("redis_before", redisState());
        Bench.say("cache: uncached (its Redis not started yet): overview, then service metrics of %s", service);
        Bench.Latency overviewUncached = load.run(overview, api.authorization(), "overview-uncached");
        Bench.Latency serviceUncached = load.run(serviceMetrics, api.authorization(), "service-uncached");

        redis.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!"up".equals(redisState())) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the server did not reach its Redis within 15 s: "
                        + api.get("/api/v1/cache/stats").body());
            Thread.sleep(100);
        }
        JsonNode before = stats();
        Bench.say("cache: cached (Redis up): overview, then service metrics");
        Bench.Latency overviewCached = load.run(overview, api.authorization(), "overview-cached");
        Bench.Latency serviceCached = load.run(serviceMetrics, api.authorization(), "service-cached");
        JsonNode after = stats();
        long hits = after.path("hits").asLong() - before.path("hits").asLong();
        long misses = after.path("misses").asLong() - before.path("misses").asLong();
        double hitRatio = hits + misses == 0 ? 0 : (double) hits / (hits + misses);

        cache.put("overview", compare(overviewUncached, overviewCached));
        cache.put("service_metrics", compare(serviceUncached, serviceCached));
        cache.put("cached_phase_hits", hits);
        cache.put("cached_phase_misses", misses);
        cache.put("cached_phase_hit_ratio", Bench.round(hitRatio, 4));
        return String.format(
                Locale.ROOT,
                "bench cache: %d clients; overview p50 %.2f → %.2f ms (%.1f×), p99 %.2f → %.2f ms (%.1f×); service"
                        + " metrics p50 %.2f → %.2f ms (%.1f×), p99 %.2f → %.2f ms (%.1f×) uncached → cached; hit ratio"
                        + " %.1f %%, errors %d/%d",
                concurrency,
                overviewUncached.p50(),
                overviewCached.p50(),
                overviewUncached.p50() / overviewCached.p50(),
                overviewUncached.p99(),
                overviewCached.p99(),
                overviewUncached.p99() / overviewCached.p99(),
                serviceUncached.p50(),
                serviceCached.p50(),
                serviceUncached.p50() / serviceCached.p50(),
                serviceUncached.p99(),
                serviceCached.p99(),
                serviceUncached.p99() / serviceCached.p99(),
                hitRatio * 100,
                overviewUncached.errors() + serviceUncached.errors(),
                overviewCached.errors() + serviceCached.errors());
    }

    /** Both phases' figures and the ratios uncached / cached (how many times faster the cached answer is). */
    static Map<String, Object> compare(Bench.Latency uncached, Bench.Latency cached) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uncached", figures(uncached));
        m.put("cached", figures(cached));
        m.put("p50_uncached_to_cached", Bench.round(uncached.p50() / cached.p50(), 2));
        m.put("p99_uncached_to_cached", Bench.round(uncached.p99() / cached.p99(), 2));
        m.put("throughput_cached_to_uncached", Bench.round(cached.perSecond() / uncached.perSecond(), 2));
        return m;
    }

    private static Map<String, Object> figures(Bench.Latency l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", l.requests());
        m.put("requests_per_s", Bench.round(l.perSecond(), 0));
        m.put("errors", l.errors());
        m.put("error_kinds", l.errorKinds());
        m.put("p50_ms", Bench.round(l.p50(), 2));
        m.put("p99_ms", Bench.round(l.p99(), 2));
        m.put("max_ms", Bench.round(l.max(), 2));
        return m;
    }

    /** The service with the most logs in the last 15 minutes (the overview's first). */
    private String busiestService() {
        Api.Answer a = api.get("/api/v1/services");
        if (!a.ok()) throw new IllegalStateException("GET /api/v1/services: HTTP " + a.status() + " " + a.body());
        String best = null;
        long most = -1;
        for (JsonNode s : a.json().path("services")) {
            long total = s.path("total").asLong();
            if (total > most) {
                most = total;
                best = s.path("name").asString();
            }
        }
        if (best == null) throw new IllegalStateException("no service to ask for: " + Api.abbreviate(a.body()));
        return best;
    }

    private JsonNode stats() {
        Api.Answer a = api.get("/api/v1/cache/stats");
        if (!a.ok()) throw new IllegalStateException("GET /api/v1/cache/stats: HTTP " + a.status());
        return a.json();
    }

    private String redisState() {
        Api.Answer a = api.get("/api/v1/cache/stats");
        return a.ok() ? a.json().path("redis").asString("?") : "HTTP " + a.status();
    }
}
