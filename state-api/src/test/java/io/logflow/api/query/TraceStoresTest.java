package io.logflow.api.query;

import static io.logflow.api.TestObjects.ORDERS_SPAN;
import static io.logflow.api.TestObjects.ROOT;
import static io.logflow.api.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.TraceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceStoresTest {
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
    assertThat(TraceStores.current(TRACE_ID, null, List.of(ROOT, ORDERS_SPAN)).summary().rootService()).isEqualTo("gateway");
    // up to date: the stored one as it is; no spans: nothing to describe
    TraceState complete = TraceStores.current(TRACE_ID, stored, List.of(ORDERS_SPAN));
    assertThat(complete).isSameAs(stored);
    assertThat(TraceStores.current(TRACE_ID, null, List.of())).isNull();
  }

}
