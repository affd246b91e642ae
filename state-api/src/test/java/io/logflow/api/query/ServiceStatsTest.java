package io.logflow.api.query;

import static io.logflow.api.TestObjects.NOW;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.asQuery;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.cluster.View;
import io.logflow.api.query.ServiceStats.Buckets;
import io.logflow.api.query.ServiceStats.Range;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServiceStatsTest {
    final ServiceStats stats = new ServiceStats(null); // the views' query functions read nothing
    static final Instant FROM = NOW.minus(Duration.ofMinutes(15));

    static <A> A roundTrip(View<A, ?> view, A args) {
        return view.fromQuery().apply(asQuery(view.toQuery().apply(args)));
    }

    @Test
    void everyView_isParsedBackFromItsQuery() {
        assertThat(roundTrip(stats.registry, ORDERS)).isEqualTo(ORDERS);
        assertThat(roundTrip(stats.registry, null)).isNull();
        for (Range r : new Range[] {new Range(ORDERS, FROM, NOW), new Range(null, FROM, NOW)})
            assertThat(roundTrip(stats.stats, r)).isEqualTo(r);
        for (Buckets b : new Buckets[] {
            new Buckets(ORDERS, FROM, NOW, 60_000),
            new Buckets(null, FROM, NOW, 3_600_000),
            new Buckets(null, FROM, NOW, 60_000, true)
        }) {
            assertThat(roundTrip(stats.series, b)).isEqualTo(b);
        }
    }

    @Test
    void rangeViews_are400NamingFrom_whenItIsMissingOrBlank() {
        assertBadParameter(() -> stats.stats.fromQuery().apply(query("to", "1")), "from");
        assertBadParameter(() -> stats.stats.fromQuery().apply(query("from", "", "to", "1")), "from");
        assertBadParameter(() -> stats.series.fromQuery().apply(query("to", "1", "bucket", "60000")), "from");
        assertBadParameter(
                () -> stats.series.fromQuery().apply(query("from", "0", "to", "1", "bucket", "1000")), "bucket");
        assertBadParameter(() -> stats.series.fromQuery().apply(query("from", "0", "to", "1", "by", "level")), "by");
    }
}
