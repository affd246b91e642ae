package io.logflow.api.query;

import io.logflow.api.query.RedMetrics.Read;
import io.logflow.api.web.Params;
import io.logflow.model.SpanMetrics;
import io.logflow.model.schema.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.util.MultiValueMap;

/**
 * Pure shaping of a service's RED metrics over time ({@code GET /api/v1/services/{name}/operations/series}): the
 * parameters, and the merged per-bucket sketches as points, every bucket of the range present.
 *
 * <p>The range is the one of {@code /operations?minutes=} (the current minute and the minutes-1 before it), widened
 * back to the start of the bucket holding its first minute as {@code /metrics/timeseries} does, so that the first
 * bucket is whole. A bucket without calls has zero counts and null quantiles (a gap in a latency chart, not a false
 * 0 ms).
 */
final class RedSeries {
    private RedSeries() {}

    private static final long MINUTE = Stores.STATS_WINDOW_MS;

    /**
     * What a series asks for.
     *
     * @param operation one operation, or null for the service total
     * @param from start of the first bucket
     * @param to now: the end of the range (inside the last bucket)
     */
    record Query(String service, String operation, int minutes, Params.Interval interval, Instant from, Instant to) {
        long bucketMs() {
            return interval.size.toMillis();
        }

        /** The read every instance answers: the service's (or operation's) windows in the range, summed per bucket. */
        Read read() {
            return new Read(Stores.SPAN_METRICS, service, operation, bucketMs(), from, to);
        }

        /** The detail of the 404 when no span matches. */
        String nothingFound() {
            return operation == null
                    ? "no spans of service '" + service + "' in the last " + minutes + " minutes"
                    : "no spans of operation '" + operation + "' of service '" + service + "' in the last " + minutes
                            + " minutes";
        }
    }

    /**
     * One bucket.
     *
     * @param perMinute calls per minute over the minutes of the bucket up to now (the current minute counted whole,
     *     as {@code /operations} does)
     * @param p50Ms null when the bucket has no calls (so are p95Ms and p99Ms)
     */
    record PointView(
            String start,
            long count,
            double perMinute,
            long errors,
            double errorRate,
            Double p50Ms,
            Double p95Ms,
            Double p99Ms) {}

    record SeriesView(
            String service,
            String operation,
            int minutes,
            String interval,
            String from,
            String to,
            List<PointView> points) {}

    /** The series parameters of a request; 400 naming the parameter when one is malformed. */
    static Query query(String service, MultiValueMap<String, String> params, Instant now) {
        int minutes = Params.intInRange("minutes", Params.first(params, "minutes"), 60, 1, MetricsHandler.MAX_MINUTES);
        Params.Interval interval = Params.interval("interval", Params.first(params, "interval"));
        String operation = Params.first(params, "operation")
                .filter(s -> !s.isBlank())
                .map(String::trim)
                .orElse(null);
        long bucket = interval.size.toMillis();
        // at most 1440 minutes of 1m buckets: never more than MetricsHandler.MAX_POINTS points
        Instant windowsFrom = MetricsHandler.windowsFrom(now, minutes);
        Instant from = Instant.ofEpochMilli(Merge.bucketStart(windowsFrom.toEpochMilli(), bucket));
        return new Query(service, operation, minutes, interval, from, now);
    }

    /**
     * The merged metrics per bucket (keys: bucket starts in epoch millis, as the parts carry them) as one point per
     * bucket from {@code q.from()} to the bucket holding {@code q.to()}, empty buckets included.
     */
    static SeriesView view(Query q, Map<String, SpanMetrics> byBucket) {
        Map<Long, SpanMetrics> buckets = new TreeMap<>();
        byBucket.forEach((k, m) -> buckets.merge(Long.parseLong(k), m, SpanMetrics::merge));
        long bucket = q.bucketMs();
        long to = q.to().toEpochMilli();
        // the end of the last minute that has begun: minutes after it are not counted in a bucket's rate
        long minutesEnd = Merge.bucketStart(to, MINUTE) + MINUTE;
        List<PointView> points = new ArrayList<>();
        for (long start = q.from().toEpochMilli(); start <= to; start += bucket) {
            double minutes = Math.max(1, (Math.min(start + bucket, minutesEnd) - start) / (double) MINUTE);
            points.add(point(start, buckets.get(start), minutes));
        }
        return new SeriesView(
                q.service(),
                q.operation(),
                q.minutes(),
                q.interval().label,
                q.from().toString(),
                q.to().toString(),
                points);
    }

    static PointView point(long start, SpanMetrics m, double minutes) {
        String iso = Counts.iso(start);
        if (m == null || m.count() == 0) return new PointView(iso, 0, 0.0, 0, 0.0, null, null, null);
        RedMetrics.RedView r = RedMetrics.RedView.of(null, m, minutes); // one place reads a bucket's sketch
        return new PointView(iso, r.count(), r.perMinute(), r.errors(), r.errorRate(), r.p50Ms(), r.p95Ms(), r.p99Ms());
    }
}
