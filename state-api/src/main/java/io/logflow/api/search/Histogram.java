package io.logflow.api.search;

import java.time.Duration;
import java.util.List;

/** The bucket width of the count histogram of a range: the smallest of a fixed ladder giving at most 60 buckets. */
final class Histogram {
    private Histogram() {}

    static final int MAX_BUCKETS = 60;

    /** A bucket width and its Elasticsearch {@code fixed_interval} spelling. */
    record Interval(Duration size, String label) {}

    static final List<Interval> LADDER = List.of(
            new Interval(Duration.ofSeconds(1), "1s"),
            new Interval(Duration.ofSeconds(2), "2s"),
            new Interval(Duration.ofSeconds(5), "5s"),
            new Interval(Duration.ofSeconds(10), "10s"),
            new Interval(Duration.ofSeconds(15), "15s"),
            new Interval(Duration.ofSeconds(30), "30s"),
            new Interval(Duration.ofMinutes(1), "1m"),
            new Interval(Duration.ofMinutes(2), "2m"),
            new Interval(Duration.ofMinutes(5), "5m"),
            new Interval(Duration.ofMinutes(10), "10m"),
            new Interval(Duration.ofMinutes(15), "15m"),
            new Interval(Duration.ofMinutes(30), "30m"),
            new Interval(Duration.ofHours(1), "1h"),
            new Interval(Duration.ofHours(2), "2h"),
            new Interval(Duration.ofHours(3), "3h"),
            new Interval(Duration.ofHours(6), "6h"),
            new Interval(Duration.ofHours(12), "12h"),
            new Interval(Duration.ofDays(1), "1d"),
            new Interval(Duration.ofDays(7), "7d"),
            new Interval(Duration.ofDays(30), "30d"));

    static Interval forRange(Duration range) {
        for (Interval i : LADDER) {
            long buckets =
                    (range.toMillis() + i.size().toMillis() - 1) / i.size().toMillis();
            if (buckets <= MAX_BUCKETS) return i;
        }
        return LADDER.get(LADDER.size() - 1);
    }
}
