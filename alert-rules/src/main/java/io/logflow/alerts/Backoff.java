package io.logflow.alerts;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait between notification attempts: exponential (500 ms, 1 s, 2 s, … by default),
 * capped, with random jitter so that many failing notifications do not retry in lockstep. Pure
 * apart from the {@link Random} supplied (seed it in tests).
 */
public final class Backoff {
    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(500);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);
    /** ±20%. */
    public static final double DEFAULT_JITTER = 0.2;

    public static final int DEFAULT_MAX_ATTEMPTS = 6;

    private final long initialMillis;
    private final double multiplier;
    private final long maxMillis;
    private final double jitter;
    private final int maxAttempts;
    private final Random random;

    /** The defaults: 500 ms × 2 per attempt, at most 30 s, ±20% jitter, 6 attempts. */
    public Backoff(Random random) {
        this(DEFAULT_INITIAL, DEFAULT_MULTIPLIER, DEFAULT_MAX, DEFAULT_JITTER, DEFAULT_MAX_ATTEMPTS, random);
    }

    /**
     * @param jitter the fraction 0..1 by which a delay may randomly be shorter or longer
     * @param maxAttempts attempts in all, the first included (≥ 1)
     */
    public Backoff(Duration initial, double multiplier, Duration max, double jitter, int maxAttempts, Random random) {
        this.initialMillis = requireNonNull(initial, "initial").toMillis();
        this.maxMillis = requireNonNull(max, "max").toMillis();
        this.random = requireNonNull(random, "random");
        if (initialMillis <= 0 || maxMillis < initialMillis)
            throw new IllegalArgumentException("need 0 < initial <= max");
        if (!(multiplier >= 1)) throw new IllegalArgumentException("multiplier must be at least 1");
        if (!(jitter >= 0 && jitter < 1)) throw new IllegalArgumentException("jitter must be in [0, 1)");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The wait after failed attempt number {@code attempt} (1 = the first) before the next one:
     * {@code initial × multiplier^(attempt-1)}, capped at {@code max}, then moved by up to ±jitter —
     * never above {@code max}.
     */
    public Duration delay(int attempt) {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be at least 1");
        double base = Math.min(maxMillis, initialMillis * Math.pow(multiplier, attempt - 1));
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(Math.min(maxMillis, base * factor)));
    }

    public int maxAttempts() {
        return maxAttempts;
    }
}
