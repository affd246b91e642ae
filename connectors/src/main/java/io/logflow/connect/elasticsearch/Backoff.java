package io.logflow.connect.elasticsearch;

/**
 * Exponential backoff: {@code initialMs} before the first retry, doubled at each further attempt, never more than
 * {@code maxMs}. The jitter keeps tasks that failed together from retrying together.
 */
record Backoff(long initialMs, long maxMs) {
    Backoff {
        if (initialMs < 1 || maxMs < initialMs) {
            throw new IllegalArgumentException("need 1 <= initialMs <= maxMs, got " + initialMs + ", " + maxMs);
        }
    }

    /** The wait before retry number {@code attempt} (1 for the first retry), without jitter. */
    long delayMs(int attempt) {
        if (attempt <= 1) return initialMs;
        int doublings = Math.min(attempt - 1, 62);
        long delay = initialMs << doublings;
        if (delay <= 0 || (delay >> doublings) != initialMs) return maxMs; // overflowed
        return Math.min(delay, maxMs);
    }

    /**
     * The wait before retry number {@code attempt}, between half and all of {@link #delayMs}.
     *
     * @param random a number in [0, 1)
     */
    long delayMs(int attempt, double random) {
        long delay = delayMs(attempt);
        return delay - (long) (delay / 2.0 * random);
    }
}
