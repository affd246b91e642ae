package io.logflow.api.query;

import static io.logflow.api.TestObjects.NOW;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.ORDERS_SPAN;
import static io.logflow.api.TestObjects.ROOT;
import static io.logflow.api.TestObjects.TRACE_ID;
import static io.logflow.api.TestObjects.asQuery;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.TestObjects;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.query.TraceStores.Search;
import io.logflow.model.TraceQuery;
import io.logflow.model.TraceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TraceStoresTest {
    /** Only the query functions are used: no local reads. */
    final TraceStores stores = new TraceStores(
            null,
            JsonMapper.builder().build(),
            TestObjects.properties(new LogFlowProperties.Streams(
                    null, null, null, 1, null, null, 0, 0, 0, Duration.ofHours(1), null, null)));

    @Test
    void theState_describesExactlyTheSpansRead_evenBeforeItsCommitWroteIt() {
        // the last commit wrote the state when only the child had arrived: root unknown, orders shown
        TraceState stored = TraceState.empty(TRACE_ID);
        stored.add(ORDERS_SPAN, 100);
        assertThat(stored.summary().rootService()).isEqualTo("orders");

        TraceState current = TraceStores.current(TRACE_ID, stored, List.of(ROOT, ORDERS_SPAN));
        assertThat(current.spanCount()).isEqualTo(2);
        assertThat(current.summary().rootService()).isEqualTo("gateway");
        assertThat(current.summary().rootKnown()).isTrue();
        assertThat(current.summary().durationNanos()).isEqualTo(ROOT.durationNanos());
        assertThat(current.criticalPath()).isNotEmpty();

        // no state yet at all: made from the spans too
        assertThat(TraceStores.current(TRACE_ID, null, List.of(ROOT, ORDERS_SPAN))
                        .summary()
                        .rootService())
                .isEqualTo("gateway");
        // up to date: the stored one as it is; no spans: nothing to describe
        TraceState complete = TraceStores.current(TRACE_ID, stored, List.of(ORDERS_SPAN));
        assertThat(complete).isSameAs(stored);
        assertThat(TraceStores.current(TRACE_ID, null, List.of())).isNull();
    }

    @Test
    void search_isParsedBackFromItsQuery_tagsIncluded() {
        long from = NOW.minusSeconds(3600).toEpochMilli();
        Search everything = new Search(
                new TraceQuery(
                        ORDERS,
                        "POST /orders",
                        1_500_000L,
                        250_000_000L,
                        false,
                        Map.of("http.response.status_code", "500", "url", "http://x:8080/a?b=\"c\"", "region", "eu"),
                        from,
                        NOW.toEpochMilli()),
                7);
        Search nothing = new Search(new TraceQuery(null, null, null, null, null, Map.of(), from, from), 20);
        assertThat(stores.parse(asQuery(stores.query(everything)))).isEqualTo(everything);
        assertThat(stores.parse(asQuery(stores.query(nothing)))).isEqualTo(nothing);
    }

    @Test
    void search_is400NamingTheParameter_whenTheRangeOrLimitIsBad() {
        assertBadParameter(() -> stores.parse(query("to", "1")), "from");
        assertBadParameter(() -> stores.parse(query("from", "0", "to", "1", "limit", "0")), "limit");
        assertBadParameter(
                () -> stores.parse(query("from", "0", "to", "1", "minDurationNanos", "5ms")), "minDurationNanos");
        assertBadParameter(() -> stores.parse(query("from", "0", "to", "1", "tags", "[1]")), "tags");
        assertBadParameter(() -> stores.parse(query("from", "0", "to", "1", "tags", "abc")), "tags");
    }
}
