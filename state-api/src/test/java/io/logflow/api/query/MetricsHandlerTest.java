package io.logflow.api.query;

import static io.logflow.api.TestObjects.CARD_DECLINED;
import static io.logflow.api.TestObjects.NOW;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.PAYMENTS;
import static io.logflow.api.TestObjects.TIMEOUT;
import static io.logflow.api.TestObjects.counts;
import static io.logflow.api.TestObjects.error;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.TestObjects.spanMetrics;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static io.logflow.model.Level.ERROR;
import static io.logflow.model.Level.INFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logflow.api.query.MetricsHandler.OverviewServiceView;
import io.logflow.api.query.MetricsHandler.OverviewView;
import io.logflow.api.query.MetricsHandler.PointView;
import io.logflow.api.query.MetricsHandler.Series;
import io.logflow.api.query.MetricsHandler.ServiceMetricsView;
import io.logflow.api.query.MetricsHandler.ServiceSeriesView;
import io.logflow.api.query.MetricsHandler.ServicesSeriesView;
import io.logflow.api.query.MetricsHandler.TimeseriesView;
import io.logflow.api.query.RedMetrics.RedView;
import io.logflow.api.query.ServiceStats.Buckets;
import io.logflow.api.query.ServiceStats.StatsPart;
import io.logflow.api.web.Params.Interval;
import io.logflow.model.SpanMetrics;
import io.logflow.model.TopErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricsHandlerTest {
    /** 00:01:30, half way through a minute. */
    static final Instant MID_MINUTE = NOW.plusSeconds(90);

    @Test
    void series_defaultsToSixtyIntervalsEndingNow_readingFromTheStartOfTheFirstBucket() {
        Series s = MetricsHandler.series(query(), MID_MINUTE);
        assertThat(s)
                .isEqualTo(new Series(
                        null,
                        Interval.ONE_MINUTE,
                        MID_MINUTE.minus(Duration.ofMinutes(60)),
                        MID_MINUTE,
                        new Buckets(null, Instant.parse("2025-12-31T23:01:00Z"), MID_MINUTE, 60_000),
                        MetricsHandler.SERIES_SERVICES));
        assertThat(s.windows().byService()).isFalse();

        Series byService = MetricsHandler.series(query("by", "service", "limit", "5"), MID_MINUTE);
        assertThat(byService.windows().byService()).isTrue();
        assertThat(byService.windows().service()).isNull();
        assertThat(byService.limit()).isEqualTo(5);

        Series fiveMinutes = MetricsHandler.series(query("interval", "5m", "service", "orders"), MID_MINUTE);
        assertThat(fiveMinutes.from()).isEqualTo(MID_MINUTE.minus(Duration.ofMinutes(300)));
        assertThat(fiveMinutes.windows())
                .isEqualTo(new Buckets(ORDERS, Instant.parse("2025-12-31T19:00:00Z"), MID_MINUTE, 300_000));

        Series hours = MetricsHandler.series(
                query("interval", "1h", "from", "2025-12-31T22:30:00Z", "to", "2026-01-01T00:30:00Z"), MID_MINUTE);
        assertThat(hours.from()).isEqualTo(Instant.parse("2025-12-31T22:30:00Z"));
        assertThat(hours.windows())
                .isEqualTo(new Buckets(null, Instant.parse("2025-12-31T22:00:00Z"), NOW.plusSeconds(1800), 3_600_000));
    }

    @Test
    void series_is400NamingTheParameter_whenMalformed_reversed_orTooManyPoints() {
        assertBadParameter(() -> MetricsHandler.series(query("interval", "2m"), NOW), "interval");
        assertBadParameter(
                () -> MetricsHandler.series(query("from", "2026-01-01T00:00:01Z", "to", "2026-01-01T00:00:00Z"), NOW),
                "from");
        // 1440 one-minute points at most: from the bucket of 'from' to the bucket of 'to'
        MetricsHandler.series(query("from", NOW.minus(Duration.ofMinutes(1439)).toString()), NOW.plusSeconds(59));
        assertBadParameter(
                () -> MetricsHandler.series(
                        query("from", NOW.minus(Duration.ofMinutes(1440)).toString()), NOW),
                "from");
        assertBadParameter(() -> MetricsHandler.series(query("service", "s".repeat(300)), NOW), "service");
        assertBadParameter(() -> MetricsHandler.series(query("by", "level"), NOW), "by");
        assertBadParameter(() -> MetricsHandler.series(query("by", "service", "service", ORDERS), NOW), "by");
        assertBadParameter(() -> MetricsHandler.series(query("by", "service", "limit", "0"), NOW), "limit");
        assertBadParameter(() -> MetricsHandler.series(query("by", "service", "limit", "101"), NOW), "limit");
        assertBadParameter(() -> MetricsHandler.series(query("limit", "x"), NOW), "limit");
    }

    @Test
    void timeseriesView_fillsEveryBucketOfTheRange_withZerosInTheGaps() {
        Series s = MetricsHandler.series(
                query("from", "2026-01-01T00:00:30Z", "to", "2026-01-01T00:03:10Z", "service", ORDERS), NOW);
        TimeseriesView v =
                MetricsHandler.timeseriesView(s, Map.of(NOW.plusSeconds(60).toEpochMilli(), counts(INFO, ERROR)));
        assertThat(v.service()).isEqualTo(ORDERS);
        assertThat(v.interval()).isEqualTo("1m");
        assertThat(v.from()).isEqualTo("2026-01-01T00:00:30Z");
        assertThat(v.points())
                .extracting(PointView::start, PointView::total, PointView::errors)
                .containsExactly(
                        tuple("2026-01-01T00:00:00Z", 0L, 0L), tuple("2026-01-01T00:01:00Z", 2L, 1L),
                        tuple("2026-01-01T00:02:00Z", 0L, 0L), tuple("2026-01-01T00:03:00Z", 0L, 0L));
        assertThat(v.points().get(0).byLevel()).containsEntry("INFO", 0L);
    }

    @Test
    void servicesSeriesView_keepsTheServicesWithTheMostLogs_eachWithTheSeriesItWouldHaveAlone() {
        Series s = MetricsHandler.series(
                query("from", "2026-01-01T00:00:30Z", "to", "2026-01-01T00:02:10Z", "by", "service", "limit", "2"),
                NOW);
        long m1 = NOW.plusSeconds(60).toEpochMilli();
        long m2 = NOW.plusSeconds(120).toEpochMilli();
        Map<String, Map<Long, Counts>> byService = Map.of(
                ORDERS,
                Map.of(m1, counts(INFO, ERROR)),
                PAYMENTS,
                Map.of(m1, counts(ERROR), m2, counts(INFO, INFO)),
                "quiet",
                Map.of(m2, counts(INFO)),
                "alpha",
                Map.of(m2, counts(INFO, INFO)));
        ServicesSeriesView v = MetricsHandler.servicesSeriesView(s, byService);
        assertThat(v.by()).isEqualTo("service");
        assertThat(v.count()).isEqualTo(4);
        assertThat(v.limit()).isEqualTo(2);
        // most logs first, ties by name: payments (3), then alpha and orders (2) by name
        assertThat(v.services())
                .extracting(ServiceSeriesView::service, ServiceSeriesView::total, ServiceSeriesView::errors)
                .containsExactly(tuple(PAYMENTS, 3L, 1L), tuple("alpha", 2L, 0L));
        Series alone = MetricsHandler.series(
                query("from", "2026-01-01T00:00:30Z", "to", "2026-01-01T00:02:10Z", "service", PAYMENTS), NOW);
        assertThat(v.services().get(0).points())
                .isEqualTo(MetricsHandler.timeseriesView(alone, byService.get(PAYMENTS))
                        .points());
        assertThat(v.services().get(0).points()).extracting(PointView::total).containsExactly(0L, 1L, 2L);
    }

    @Test
    void overviewView_sumsTheParts_andMergesErrorTemplatesAcrossThem() {
        StatsPart one = new StatsPart(Set.of(0), Map.of(ORDERS, counts(INFO, ERROR)), Map.of(ORDERS, List.of(TIMEOUT)));
        StatsPart two = new StatsPart(
                Set.of(1),
                Map.of(ORDERS, counts(INFO), PAYMENTS, counts(ERROR, ERROR)),
                Map.of(ORDERS, List.of(error("timeout after <n>s", 2, 5_000)), PAYMENTS, List.of(CARD_DECLINED)));
        // payments' spans over two operations, merged per service by the read: the sketch's p95, not an average
        SpanMetrics paymentsSpans = spanMetrics(0, 10, 10, 10).merge(spanMetrics(1, 200));
        OverviewView v = MetricsHandler.overviewView(
                NOW.minus(Duration.ofMinutes(4)), NOW, 5, List.of(one, two), Map.of(PAYMENTS, paymentsSpans));
        assertThat(v.total()).isEqualTo(5);
        assertThat(v.errors()).isEqualTo(3);
        assertThat(v.errorRate()).isEqualTo(0.6);
        assertThat(v.logsPerMinute()).isEqualTo(1.0);
        assertThat(v.byLevel()).containsEntry("INFO", 2L).containsEntry("ERROR", 3L);
        assertThat(v.byService())
                .extracting(OverviewServiceView::name, OverviewServiceView::total)
                .containsExactly(tuple(ORDERS, 3L), tuple(PAYMENTS, 2L));
        assertThat(v.byService().get(0).spans()).isNull();
        RedView spans = v.byService().get(1).spans();
        assertThat(spans).isEqualTo(RedView.of(PAYMENTS, paymentsSpans, 5));
        assertThat(spans.count()).isEqualTo(4);
        assertThat(spans.errors()).isEqualTo(1);
        assertThat(spans.p95Ms()).isGreaterThan(150);
        assertThat(v.topErrors())
                .extracting(Merge.ServiceError::service, Merge.ServiceError::template, Merge.ServiceError::count)
                .containsExactly(
                        tuple(ORDERS, "timeout after <n>s", 5L), tuple(PAYMENTS, "card declined for order <n>", 2L));
    }

    @Test
    void serviceView_showsTheWindow_tenTopErrors_andNoSpansWhenItSentNone() {
        List<TopErrors.Entry> twelve = IntStream.range(0, 12)
                .mapToObj(i -> error("error " + i, 12 - i, 0))
                .toList();
        StatsPart window =
                new StatsPart(Set.of(0), Map.of(ORDERS, counts(INFO, ERROR, ERROR, INFO)), Map.of(ORDERS, twelve));
        ServiceMetricsView v =
                MetricsHandler.serviceView(ORDERS, 2, NOW.minusSeconds(60), NOW, counts(INFO), window, null);
        assertThat(v.allTime().total()).isEqualTo(1);
        assertThat(v.window())
                .extracting(w -> w.total(), w -> w.errors(), w -> w.logsPerMinute(), w -> w.from())
                .containsExactly(4L, 2L, 2.0, "2025-12-31T23:59:00Z");
        assertThat(v.topErrors()).isEqualTo(twelve.subList(0, 10));
        assertThat(v.spans()).isNull();

        ServiceMetricsView withSpans = MetricsHandler.serviceView(
                PAYMENTS, 2, NOW.minusSeconds(60), NOW, Counts.EMPTY, window, spanMetrics(1, 10, 20, 30, 40));
        assertThat(withSpans.window().total()).isZero();
        assertThat(withSpans.topErrors()).isEmpty();
        assertThat(withSpans.spans())
                .extracting(r -> r.name(), r -> r.count(), r -> r.perMinute(), r -> r.errors())
                .containsExactly(PAYMENTS, 4L, 2.0, 1L);
    }

    @Test
    void windowsFrom_isTheStartOfTheMinute_minutesMinusOneBefore() {
        assertThat(MetricsHandler.windowsFrom(MID_MINUTE, 1)).isEqualTo(NOW.plusSeconds(60));
        assertThat(MetricsHandler.windowsFrom(MID_MINUTE, 15)).isEqualTo(Instant.parse("2025-12-31T23:47:00Z"));
    }

    @Test
    void aTimeseriesCacheKey_isTheParsedParameters_soSpellingsOfOneQueryShareIt() {
        var iso = query("service", "orders", "from", "2026-12-07T09:00:00Z", "to", "2026-12-07T09:30:00Z");
        var millis = query("service", "orders", "interval", "1m", "from", "1796634000000", "to", "1796635800000");
        assertThat(MetricsHandler.cacheKey(MetricsHandler.series(iso, MID_MINUTE), iso)
                        .toString())
                .isEqualTo(MetricsHandler.cacheKey(MetricsHandler.series(millis, MID_MINUTE), millis)
                        .toString())
                .contains("interval=1m", "service=orders")
                .contains("from 2026-12-07T09:00:00Z to 2026-12-07T09:30:00Z");
        // the default range follows now: neither end in the key, the range ends now
        var none = query("by", "service");
        assertThat(MetricsHandler.cacheKey(MetricsHandler.series(none, MID_MINUTE), none)
                        .toString())
                .doesNotContain(" from ", " to ")
                .contains("by=service", "limit=" + MetricsHandler.SERIES_SERVICES);
    }
}
