package io.logflow.topology;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Everything the topology's shape depends on. The same record is built by the production config
 * (state-api) and by the tests.
 *
 * @param grace how long a 1-minute window accepts out-of-order logs after it ends (default 30 s)
 * @param statsRetention how long per-minute statistics are kept (default 24 h)
 * @param recentLogsPerLevel ring size of recent logs per service and level (default 1,000)
 * @param maxLogsPerTrace logs kept per trace (default 1,000); more are still in logflow.logs
 * @param traceRetention how long logs and spans are kept by trace id (default 1 h)
 * @param maxSpansPerTrace spans kept per trace (default 1,000); more still count in the span
 *     metrics and are still in logflow.spans
 * @param deadLetters told of every record sent to the dead-letter topic (metrics)
 * @param statsVersions told of every write to a statistics window, for readers in the same JVM
 *     that keep what they derived from closed windows ({@link WindowVersions})
 */
public record TopologyOptions(
        Duration grace,
        Duration statsRetention,
        int recentLogsPerLevel,
        int maxLogsPerTrace,
        Duration traceRetention,
        int maxSpansPerTrace,
        DeadLetterListener deadLetters,
        WindowVersions statsVersions) {

    public TopologyOptions {
        requireNonNull(grace, "grace");
        requireNonNull(statsRetention, "statsRetention");
        requireNonNull(traceRetention, "traceRetention");
        requireNonNull(deadLetters, "deadLetters");
        requireNonNull(statsVersions, "statsVersions");
        if (grace.isNegative()) throw new IllegalArgumentException("grace must be >= 0");
        if (statsRetention.isNegative() || statsRetention.isZero())
            throw new IllegalArgumentException("statsRetention must be > 0");
        if (traceRetention.toMillis() < 1) throw new IllegalArgumentException("traceRetention must be >= 1 ms");
        if (recentLogsPerLevel < 1) throw new IllegalArgumentException("recentLogsPerLevel must be >= 1");
        if (maxLogsPerTrace < 1) throw new IllegalArgumentException("maxLogsPerTrace must be >= 1");
        if (maxSpansPerTrace < 1) throw new IllegalArgumentException("maxSpansPerTrace must be >= 1");
    }

    public static TopologyOptions defaults() {
        return new TopologyOptions(
                Duration.ofSeconds(30),
                Duration.ofHours(24),
                1000,
                1000,
                Duration.ofHours(1),
                1000,
                DeadLetterListener.NONE,
                new WindowVersions());
    }

    public TopologyOptions withDeadLetters(DeadLetterListener listener) {
        return new TopologyOptions(
                grace,
                statsRetention,
                recentLogsPerLevel,
                maxLogsPerTrace,
                traceRetention,
                maxSpansPerTrace,
                listener,
                statsVersions);
    }

    public TopologyOptions withStatsVersions(WindowVersions versions) {
        return new TopologyOptions(
                grace,
                statsRetention,
                recentLogsPerLevel,
                maxLogsPerTrace,
                traceRetention,
                maxSpansPerTrace,
                deadLetters,
                versions);
    }
}
