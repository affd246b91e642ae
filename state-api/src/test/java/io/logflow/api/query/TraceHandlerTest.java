package io.logflow.api.query;

import static io.logflow.api.TestObjects.NOW;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.TestObjects.summary;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logflow.api.query.TraceAssembly.SummaryView;
import io.logflow.api.query.TraceHandler.SearchRequest;
import io.logflow.api.query.TraceHandler.SearchView;
import io.logflow.api.query.TraceStores.TracesPart;
import io.logflow.model.TraceQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceHandlerTest {
    @Test
    void search_defaultsToTheLastHour_andTwentyTraces() {
        SearchRequest r = TraceHandler.search(query(), NOW);
        assertThat(r.to()).isEqualTo(NOW);
        assertThat(r.from()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(r.search().limit()).isEqualTo(20);
        assertThat(r.search().query())
                .isEqualTo(new TraceQuery(
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        NOW.minus(Duration.ofHours(1)).toEpochMilli(),
                        NOW.toEpochMilli()));
    }

    @Test
    void search_parsesEveryParameter() {
        SearchRequest r = TraceHandler.search(
                query(
                        "service",
                        " orders ",
                        "operation",
                        " POST /orders ",
                        "minDurationMs",
                        "1.5",
                        "maxDurationMs",
                        "250",
                        "error",
                        "true",
                        "tag",
                        "http.response.status_code:500",
                        "tag",
                        "region=eu",
                        "from",
                        "2025-12-31T23:30:00Z",
                        "to",
                        "1767225600000",
                        "limit",
                        "5"),
                NOW.plusSeconds(3600));
        assertThat(r.from()).isEqualTo(Instant.parse("2025-12-31T23:30:00Z"));
        assertThat(r.to()).isEqualTo(NOW);
        assertThat(r.search().limit()).isEqualTo(5);
        assertThat(r.search().query())
                .isEqualTo(new TraceQuery(
                        "orders",
                        "POST /orders",
                        1_500_000L,
                        250_000_000L,
                        true,
                        Map.of("http.response.status_code", "500", "region", "eu"),
                        r.from().toEpochMilli(),
                        NOW.toEpochMilli()));
        // 'from' alone: up to now; a blank operation: any
        assertThat(TraceHandler.search(query("from", "2025-12-31T12:00:00Z"), NOW)
                        .to())
                .isEqualTo(NOW);
        assertThat(TraceHandler.search(query("operation", " "), NOW)
                        .search()
                        .query()
                        .operation())
                .isNull();
    }

    @Test
    void search_is400NamingFrom_whenAfterTo_orMoreThanSevenDaysBefore() {
        assertBadParameter(
                () -> TraceHandler.search(query("from", "2026-01-01T00:00:01Z", "to", "2026-01-01T00:00:00Z"), NOW),
                "from");
        assertBadParameter(
                () -> TraceHandler.search(
                        query(
                                "from",
                                NOW.minus(Duration.ofDays(7)).minusMillis(1).toString()),
                        NOW),
                "from");
        TraceHandler.search(query("from", NOW.minus(Duration.ofDays(7)).toString()), NOW);
    }

    @Test
    void search_is400NamingTheParameter_whenMinAboveMax_orAValueIsMalformed() {
        assertBadParameter(
                () -> TraceHandler.search(query("minDurationMs", "10", "maxDurationMs", "9.999"), NOW),
                "minDurationMs");
        TraceHandler.search(query("minDurationMs", "10", "maxDurationMs", "10"), NOW);
        assertBadParameter(() -> TraceHandler.search(query("tag", "a:1", "tag", "status500"), NOW), "tag");
        assertBadParameter(() -> TraceHandler.search(query("error", "1"), NOW), "error");
        assertBadParameter(() -> TraceHandler.search(query("limit", "0"), NOW), "limit");
        assertBadParameter(() -> TraceHandler.search(query("limit", "1001"), NOW), "limit");
        assertThat(TraceHandler.search(query("limit", "1000"), NOW).search().limit())
                .isEqualTo(1000);
        assertBadParameter(() -> TraceHandler.search(query("maxDurationMs", "-1"), NOW), "maxDurationMs");
        assertBadParameter(() -> TraceHandler.search(query("to", "soon"), NOW), "to");
        assertBadParameter(() -> TraceHandler.search(query("service", "s".repeat(300)), NOW), "service");
    }

    static final String A = "0000000000000000000000000000000a";
    static final String B = "0000000000000000000000000000000b";
    static final String C = "0000000000000000000000000000000c";

    @Test
    void searchView_keepsOneSummaryPerTrace_theOneCountingMoreSpans() {
        TracesPart one = new TracesPart(Set.of(0), List.of(summary(A, 0, 2), summary(B, 10, 5)));
        TracesPart two = new TracesPart(Set.of(1), List.of(summary(A, 0, 3), summary(B, 10, 1)));
        SearchView v = TraceHandler.searchView(NOW, NOW.plusSeconds(60), 20, List.of(one, two), null);
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.traces())
                .extracting(SummaryView::traceId, SummaryView::spanCount)
                .containsExactly(tuple(B, 5), tuple(A, 3));
    }

    @Test
    void searchView_isNewestFirst_cutAtTheLimit() {
        TracesPart one = new TracesPart(Set.of(0), List.of(summary(A, 30, 1), summary(B, 10, 1)));
        TracesPart two = new TracesPart(Set.of(1), List.of(summary(C, 20, 1)));
        SearchView v = TraceHandler.searchView(NOW, NOW.plusSeconds(60), 2, List.of(one, two), null);
        assertThat(v.traces()).extracting(SummaryView::traceId).containsExactly(A, C);
        assertThat(v)
                .extracting(SearchView::from, SearchView::to, SearchView::limit, SearchView::count)
                .containsExactly("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 2, 2);
    }

    @Test
    void archivedTraces_areSummarisedAsTheStreamStoresDo_andMatchedLikeThem() {
        Map<String, List<io.logflow.model.SpanRecord>> byTrace = Map.of(
                io.logflow.api.TestObjects.TRACE_ID,
                List.of(
                        io.logflow.api.TestObjects.PAYMENTS_SPAN,
                        io.logflow.api.TestObjects.ROOT,
                        io.logflow.api.TestObjects.ORDERS_SPAN,
                        io.logflow.api.TestObjects.ORDERS_DB_SPAN));
        long from = NOW.minusSeconds(3600).toEpochMilli();
        long to = NOW.plusSeconds(3600).toEpochMilli();
        TracesPart all = TraceHandler.archivedPart(
                new TraceQuery(null, null, null, null, null, Map.of(), from, to), byTrace, 20);
        assertThat(all.traces()).hasSize(1);
        var t = all.traces().get(0);
        assertThat(t.rootService()).isEqualTo(io.logflow.api.TestObjects.GATEWAY);
        assertThat(t.spanCount()).isEqualTo(4);
        assertThat(t.errorCount()).isEqualTo(1);
        assertThat(t.durationNanos()).isEqualTo(100_000_000L);
        // the same filters as the stream stores: an error trace of payments over 50 ms, not one under 50 ms
        assertThat(TraceHandler.archivedPart(
                                new TraceQuery(
                                        io.logflow.api.TestObjects.PAYMENTS,
                                        null,
                                        50_000_000L,
                                        null,
                                        true,
                                        Map.of(),
                                        from,
                                        to),
                                byTrace,
                                20)
                        .traces())
                .hasSize(1);
        assertThat(TraceHandler.archivedPart(
                                new TraceQuery(null, null, null, 50_000_000L, null, Map.of(), from, to), byTrace, 20)
                        .traces())
                .isEmpty();
        assertThat(TraceHandler.archivedPart(
                                new TraceQuery(null, null, null, null, false, Map.of(), from, to), byTrace, 20)
                        .traces())
                .isEmpty();
    }
}
