package io.logflow.api.query;

import static io.logflow.api.TestObjects.GATEWAY;
import static io.logflow.api.TestObjects.NOW;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.PAYMENTS;
import static io.logflow.api.TestObjects.asQuery;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.TestObjects.spanMetrics;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logflow.api.query.RedMetrics.DependenciesView;
import io.logflow.api.query.RedMetrics.EdgeView;
import io.logflow.api.query.RedMetrics.OperationsView;
import io.logflow.api.query.RedMetrics.Read;
import io.logflow.api.query.RedMetrics.RedView;
import io.logflow.model.SpanMetrics;
import io.logflow.model.schema.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RedMetricsTest {
    static final Instant FROM = NOW.minus(Duration.ofMinutes(30));

    @Test
    void read_isParsedBackFromItsQuery_forBothStores() {
        Read operations = new Read(Stores.SPAN_METRICS, ORDERS, FROM, NOW);
        Read edges = new Read(Stores.SERVICE_EDGES, null, FROM, NOW);
        assertThat(Read.parse(asQuery(operations.query()))).isEqualTo(operations);
        assertThat(Read.parse(asQuery(edges.query()))).isEqualTo(edges);
    }

    @Test
    void read_withAnOperationAndBuckets_isParsedBackFromItsQuery() {
        Read series = new Read(Stores.SPAN_METRICS, ORDERS, "POST /orders", 300_000, FROM, NOW);
        assertThat(series.query()).containsEntry("operation", "POST /orders").containsEntry("bucket", 300_000L);
        assertThat(Read.parse(asQuery(series.query()))).isEqualTo(series);
        // without them the query is the one it always was
        assertThat(new Read(Stores.SPAN_METRICS, ORDERS, FROM, NOW).query()).doesNotContainKeys("operation", "bucket");
    }

    @Test
    void read_byService_isParsedBackFromItsQuery_andKeysEveryOperationByItsService() {
        Read every = Read.everyService(FROM, NOW);
        assertThat(every.query()).containsEntry("by", "service").doesNotContainKeys("service", "bucket");
        assertThat(Read.parse(asQuery(every.query()))).isEqualTo(every);
        assertThat(new Read(Stores.SPAN_METRICS, null, FROM, NOW).query()).doesNotContainKey("by");
        String sep = String.valueOf(Stores.KEY_SEPARATOR);
        assertThat(every.keyOf(ORDERS + sep + "POST /orders", 0)).isEqualTo(ORDERS);
        assertThat(every.keyOf(ORDERS + sep + "GET /orders/{id}", 0)).isEqualTo(ORDERS);
        // the other reads keep their keys: the operation of a service, every key, bucket starts
        assertThat(new Read(Stores.SPAN_METRICS, ORDERS, FROM, NOW).keyOf(ORDERS + sep + "GET /", 0))
                .isEqualTo("GET /");
        assertThat(new Read(Stores.SERVICE_EDGES, null, FROM, NOW).keyOf(GATEWAY + sep + ORDERS, 0))
                .isEqualTo(GATEWAY + sep + ORDERS);
        assertThat(new Read(Stores.SPAN_METRICS, ORDERS, null, 300_000, FROM, NOW).keyOf(ORDERS + sep + "x", 360_000))
                .isEqualTo("300000");
    }

    @Test
    void read_byService_is400NamingBy_withAServiceABucketTheEdgesOrAnotherGrouping() {
        assertBadParameter(
                () -> Read.parse(query("store", "metrics", "by", "service", "service", ORDERS, "from", "0", "to", "1")),
                "by");
        assertBadParameter(
                () -> Read.parse(query("store", "metrics", "by", "service", "bucket", "60000", "from", "0", "to", "1")),
                "by");
        assertBadParameter(() -> Read.parse(query("store", "edges", "by", "service", "from", "0", "to", "1")), "by");
        assertBadParameter(
                () -> Read.parse(query("store", "metrics", "by", "operation", "from", "0", "to", "1")), "by");
    }

    @Test
    void read_is400NamingTheParameter_whenTheBucketIsUnderAMinute_orAnOperationHasNoService() {
        assertBadParameter(
                () -> Read.parse(
                        query("store", "metrics", "service", ORDERS, "bucket", "1000", "from", "0", "to", "1")),
                "bucket");
        assertBadParameter(
                () -> Read.parse(query("store", "metrics", "service", ORDERS, "bucket", "x", "from", "0", "to", "1")),
                "bucket");
        assertBadParameter(
                () -> Read.parse(query("store", "metrics", "operation", "GET /", "from", "0", "to", "1")), "operation");
    }

    @Test
    void read_is400NamingTheParameter_whenStoreIsUnknown_orTheRangeMissing() {
        assertBadParameter(() -> Read.parse(query("store", "logs", "from", "0", "to", "1")), "store");
        assertBadParameter(() -> Read.parse(query("from", "0", "to", "1")), "store");
        assertBadParameter(() -> Read.parse(query("store", "edges", "to", "1")), "from");
        assertBadParameter(() -> Read.parse(query("store", "edges", "from", "0")), "to");
    }

    @Test
    void operationsView_ranksByCount_thenByName_underTheServiceTotal() {
        Map<String, SpanMetrics> byOperation = Map.of(
                "GET /b",
                spanMetrics(0, 5, 5),
                "POST /a",
                spanMetrics(1, 10, 10, 10, 10, 10),
                "GET /a",
                spanMetrics(0, 7, 7));
        OperationsView v = RedMetrics.operationsView(ORDERS, 30, FROM, NOW, byOperation, RedMetrics.total(byOperation));
        assertThat(v.operations())
                .extracting(RedView::name, RedView::count)
                .containsExactly(tuple("POST /a", 5L), tuple("GET /a", 2L), tuple("GET /b", 2L));
        assertThat(v.total())
                .extracting(RedView::name, RedView::count, RedView::errors)
                .containsExactly(ORDERS, 9L, 1L);
        assertThat(v.from()).isEqualTo("2025-12-31T23:30:00Z");
    }

    @Test
    void total_mergesEveryOperation_andIsNullWithoutAny() {
        assertThat(RedMetrics.total(Map.of())).isNull();
        assertThat(RedMetrics.total(Map.of("a", spanMetrics(1, 10), "b", spanMetrics(0, 20, 30))))
                .isEqualTo(spanMetrics(1, 10, 20, 30));
    }

    @Test
    void dependenciesView_splitsEdgeKeysIntoCallerAndCallee_withEveryServiceOnce() {
        Map<String, SpanMetrics> edges = new TreeMap<>(Map.of(
                Stores.edgeKey(ORDERS, PAYMENTS),
                spanMetrics(3, 50, 50, 50),
                Stores.edgeKey(GATEWAY, ORDERS),
                spanMetrics(0, 60, 60, 60, 60, 60, 60)));
        DependenciesView v = RedMetrics.dependenciesView(FROM, NOW, edges);
        assertThat(v.services()).containsExactly(GATEWAY, ORDERS, PAYMENTS);
        assertThat(v.edges())
                .extracting(
                        EdgeView::caller, EdgeView::callee, EdgeView::calls, EdgeView::perMinute, EdgeView::errorRate)
                .containsExactly(tuple(GATEWAY, ORDERS, 6L, 0.2, 0.0), tuple(ORDERS, PAYMENTS, 3L, 0.1, 1.0));
        // a range under a minute counts as one minute
        assertThat(RedMetrics.dependenciesView(NOW, NOW, edges).edges().get(0).perMinute())
                .isEqualTo(6.0);
    }
}
