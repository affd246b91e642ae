package io.logflow.api.ratelimit;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.logflow.api.config.LogFlowProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One resilience4j {@link RateLimiter} per (group, key), made on a key's first request and never waiting for a
 * permit (timeout 0: the event loop never blocks). Each limiter's periods start when it is made. Memory stays
 * bounded: at most once a minute, on a request, limiters unused for longer than their period are dropped (one
 * made anew would start full, as the old one would have been), and past {@code maxKeys} new keys share one {@link
 * #OVERFLOW} limiter per group.
 */
final class Limiters {
    /** The key that callers beyond {@code maxKeys} share. */
    static final String OVERFLOW = "overflow";

    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /** What one request got: a permit or not, and the numbers of its RateLimit-* headers. */
    record Outcome(boolean permitted, int limit, int remaining, long resetSeconds) {}

    /** One limiter as {@code GET /api/v1/rate-limits/status} shows it. */
    record Status(String key, Group group, int limit, int remaining, long resetSeconds) {
        boolean limited() {
            return remaining == 0;
        }
    }

    private record Name(Group group, String key) {
        String text() {
            return group.wire() + " " + key;
        }
    }

    private static final class Entry {
        final RateLimiter limiter;
        final long startNanos;
        final long periodNanos;
        volatile long lastUsedNanos;

        Entry(RateLimiter limiter, long startNanos, long periodNanos) {
            this.limiter = limiter;
            this.startNanos = startNanos;
            this.periodNanos = periodNanos;
            this.lastUsedNanos = startNanos;
        }

        /** Whole seconds (rounded up) until this limiter's current period ends and it is full again. */
        long resetSeconds(long now) {
            long intoPeriod = Math.floorMod(now - startNanos, periodNanos);
            long left = periodNanos - intoPeriod;
            return (left + 999_999_999L) / 1_000_000_000L;
        }

        int remaining() {
            return Math.max(0, limiter.getMetrics().getAvailablePermissions());
        }
    }

    private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    private final Map<Group, RateLimiterConfig> configs = new EnumMap<>(Group.class);
    private final ConcurrentHashMap<Name, Entry> entries = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final AtomicLong lastSweep;

    Limiters(LogFlowProperties.RateLimits settings, LongSupplier nanoTime) {
        for (Group g : Group.values()) {
            LogFlowProperties.Limit limit = g.limit(settings);
            configs.put(
                    g,
                    RateLimiterConfig.custom()
                            .limitForPeriod(limit.permits())
                            .limitRefreshPeriod(limit.period())
                            .timeoutDuration(Duration.ZERO)
                            .build());
        }
        this.maxKeys = settings.maxKeys();
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    /** Takes one permit from {@code key}'s limiter of {@code group}, never waiting. */
    Outcome acquire(Group group, String key) {
        long now = nanoTime.getAsLong();
        maybeSweep(now);
        Name name = new Name(group, key);
        Entry e = entries.get(name);
        if (e == null) {
            if (entries.size() >= maxKeys) {
                sweep(now);
                if (entries.size() >= maxKeys) name = new Name(group, OVERFLOW);
            }
            e = entries.computeIfAbsent(name, this::create);
        }
        e.lastUsedNanos = now;
        boolean permitted = e.limiter.acquirePermission();
        return new Outcome(permitted, limit(group), e.remaining(), e.resetSeconds(nanoTime.getAsLong()));
    }

    private Entry create(Name name) {
        RateLimiterConfig config = configs.get(name.group());
        RateLimiter limiter = registry.rateLimiter(name.text(), config);
        return new Entry(
                limiter, nanoTime.getAsLong(), config.getLimitRefreshPeriod().toNanos());
    }

    int limit(Group group) {
        return configs.get(group).getLimitForPeriod();
    }

    Duration period(Group group) {
        return configs.get(group).getLimitRefreshPeriod();
    }

    /** Every limiter this instance holds, by key then group. */
    List<Status> status() {
        long now = nanoTime.getAsLong();
        List<Status> out = new ArrayList<>();
        entries.forEach((name, e) ->
                out.add(new Status(name.key(), name.group(), limit(name.group()), e.remaining(), e.resetSeconds(now))));
        out.sort(Comparator.comparing(Status::key).thenComparing(Status::group));
        return out;
    }

    /** Drops every limiter of {@code key} (its next request starts full); how many there were. */
    int reset(String key) {
        int removed = 0;
        for (Map.Entry<Name, Entry> e : entries.entrySet()) {
            if (e.getKey().key().equals(key) && remove(e.getKey(), e.getValue())) removed++;
        }
        return removed;
    }

    int size() {
        return entries.size();
    }

    private void maybeSweep(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_EVERY.toNanos() && lastSweep.compareAndSet(last, now)) sweep(now);
    }

    /** Drops the limiters unused for longer than their period: each would be full again by now. */
    void sweep(long now) {
        for (Map.Entry<Name, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            if (now - entry.lastUsedNanos > entry.periodNanos) remove(e.getKey(), entry);
        }
    }

    private boolean remove(Name name, Entry entry) {
        if (!entries.remove(name, entry)) return false;
        registry.remove(name.text());
        return true;
    }
}
