package io.logflow.api.query;

import static io.logflow.api.TestObjects.NOW;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.TestObjects.spanMetrics;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logflow.api.query.RedMetrics.SpanMetricsPart;
import io.logflow.api.query.RedSeries.PointView;
import io.logflow.api.query.RedSeries.Query;
import io.logflow.api.query.RedSeries.SeriesView;
import io.logflow.api.web.Params;
import io.logflow.model.SpanMetrics;
import io.logflow.model.schema.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedSeriesTest {
    /** 2026-01-01T00:02:30Z: in the middle of a minute and of a 5-minute bucket. */
    static final Instant MID = NOW.plus(Duration.ofSeconds(150));

    static long at(int minutes) {
        return NOW.toEpochMilli() + minutes * 60_000L;
    }

    @Test
    void query_defaultsToTheLastHourInMinutes_forTheServiceTotal() {
        Query q = RedSeries.query(ORDERS, query(), MID);
        assertThat(q.minutes()).isEqualTo(60);
        assertThat(q.interval()).isEqualTo(Params.Interval.ONE_MINUTE);
        assertThat(q.operation()).isNull();
        // the current minute and the 59 before it: as /operations?minutes=60 reads
        assertThat(q.from()).isEqualTo(MetricsHandler.windowsFrom(MID, 60)).isEqualTo(Instant.ofEpochMilli(at(-57)));
        assertThat(q.to()).isEqualTo(MID);
        assertThat(q.read()).isEqualTo(new RedMetrics.Read(Stores.SPAN_METRICS, ORDERS, null, 60_000, q.from(), MID));
    }

    @Test
    void query_widensTheRangeToWholeBuckets_andTrimsTheOperation() {
        Query q = RedSeries.query(ORDERS, query("minutes", "10", "interval", "5m", "operation", " POST /orders "), MID);
        // windows from 23:53 (10 minutes up to 00:02), widened back to the 5-minute bucket holding it
        assertThat(q.from()).isEqualTo(Instant.parse("2025-12-31T23:50:00Z"));
        assertThat(q.operation()).isEqualTo("POST /orders");
        assertThat(q.read().bucketMs()).isEqualTo(300_000);
        assertThat(RedSeries.query(ORDERS, query("operation", "  "), MID).operation())
                .isNull();
    }

    @Test
    void query_is400NamingTheParameter_whenOneIsMalformed() {
        assertBadParameter(() -> RedSeries.query(ORDERS, query("minutes", "0"), MID), "minutes");
        assertBadParameter(() -> RedSeries.query(ORDERS, query("minutes", "1441"), MID), "minutes");
        assertBadParameter(() -> RedSeries.query(ORDERS, query("minutes", "an hour"), MID), "minutes");
        assertBadParameter(() -> RedSeries.query(ORDERS, query("interval", "2m"), MID), "interval");
    }

    @Test
    void view_hasEveryBucket_emptyOnesWithZerosAndNullQuantiles() {
        Query q = RedSeries.query(ORDERS, query("minutes", "5"), MID);
        SeriesView v = RedSeries.view(
                q,
                Map.of(Long.toString(at(-2)), spanMetrics(1, 10, 20, 30, 40), Long.toString(at(0)), spanMetrics(0, 7)));
        assertThat(v.points())
                .extracting(
                        PointView::start,
                        PointView::count,
                        PointView::errors,
                        p -> p.p50Ms() == null ? null : Math.round(p.p50Ms())) // the sketch is within 1%
                .containsExactly(
                        tuple("2025-12-31T23:58:00Z", 4L, 1L, 20L),
                        tuple("2025-12-31T23:59:00Z", 0L, 0L, null),
                        tuple("2026-01-01T00:00:00Z", 1L, 0L, 7L),
                        tuple("2026-01-01T00:01:00Z", 0L, 0L, null),
                        tuple("2026-01-01T00:02:00Z", 0L, 0L, null));
        PointView empty = v.points().get(1);
        assertThat(empty.perMinute()).isZero();
        assertThat(empty.errorRate()).isZero();
        assertThat(empty.p95Ms()).isNull();
        assertThat(empty.p99Ms()).isNull();
        PointView first = v.points().get(0);
        assertThat(first.perMinute()).isEqualTo(4.0);
        assertThat(first.errorRate()).isEqualTo(0.25);
        assertThat(first.p99Ms()).isBetween(39.5, 40.5);
        assertThat(v)
                .extracting(SeriesView::service, SeriesView::operation, SeriesView::interval, SeriesView::from)
                .containsExactly(ORDERS, null, "1m", "2025-12-31T23:58:00Z");
    }

    @Test
    void view_ratesAreCallsPerMinuteOfTheBucket_upToTheCurrentMinute() {
        Query q = RedSeries.query(ORDERS, query("minutes", "10", "interval", "5m"), MID);
        long[] ten = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
        SeriesView v = RedSeries.view(
                q, Map.of(Long.toString(at(-10)), spanMetrics(0, ten), Long.toString(at(0)), spanMetrics(0, ten)));
        // 23:50 and 23:55 whole; 00:00 has begun 3 minutes (00:00, 00:01 and the current 00:02)
        assertThat(v.points())
                .extracting(PointView::start, PointView::count, PointView::perMinute)
                .containsExactly(
                        tuple("2025-12-31T23:50:00Z", 10L, 2.0),
                        tuple("2025-12-31T23:55:00Z", 0L, 0.0),
                        tuple("2026-01-01T00:00:00Z", 10L, 3.333));
    }

    @Test
    void partsOfSeveralInstances_mergeTheirSketchesPerBucket_neverAveragingPercentiles() {
        String bucket = Long.toString(at(1));
        // one instance saw the fast calls of the minute, the other the slow ones
        SpanMetricsPart fast = part(0, bucket, spanMetrics(0, 10, 10, 10, 10, 10, 10, 10, 10));
        SpanMetricsPart slow = part(1, bucket, spanMetrics(2, 1000, 1000));
        Map<String, SpanMetrics> merged = RedMetrics.mergeMetrics(List.of(fast, slow));
        assertThat(merged).containsOnlyKeys(bucket);
        PointView p = RedSeries.view(RedSeries.query(ORDERS, query("minutes", "3"), MID), merged)
                .points()
                .get(1);
        assertThat(p.start()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(p.count()).isEqualTo(10);
        assertThat(p.errors()).isEqualTo(2);
        // the quantiles of all ten calls: p50 fast, p95 and p99 slow (an average of the parts' p50 would be 505)
        assertThat(p.p50Ms()).isBetween(9.9, 10.1);
        assertThat(p.p95Ms()).isBetween(990.0, 1010.0);
        assertThat(p.p99Ms()).isBetween(990.0, 1010.0);
        SpanMetrics all = spanMetrics(2, 1000, 1000, 10, 10, 10, 10, 10, 10, 10, 10);
        assertThat(merged.get(bucket)).isEqualTo(all);
    }

    @Test
    void nothingFound_namesTheServiceAndTheOperationWhenAsked() {
        assertThat(RedSeries.query(ORDERS, query("minutes", "15"), MID).nothingFound())
                .isEqualTo("no spans of service '" + ORDERS + "' in the last 15 minutes");
        assertThat(RedSeries.query(ORDERS, query("operation", "GET /"), MID).nothingFound())
                .isEqualTo("no spans of operation 'GET /' of service '" + ORDERS + "' in the last 60 minutes");
    }

    static SpanMetricsPart part(int partition, String key, SpanMetrics m) {
        return new SpanMetricsPart(Set.of(partition), Map.of(key, m.toBytes()));
    }
}
