package io.logflow.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.SpanRecord;
import io.logflow.model.TraceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceStoresTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final long MS = 1_000_000L;
  static final long T0 = 1_790_000_000_000L;

  static SpanRecord span(String spanId, String parent, String service, long startMs, long durationMs) {
    return new SpanRecord(TRACE, spanId, parent, service, "op", SpanRecord.Kind.SERVER, startMs * MS, durationMs * MS, SpanRecord.Status.UNSET, null,
        null, Map.of(), Map.of(), List.of(), List.of());
  }

  @Test
  void theState_describesExactlyTheSpansRead_evenBeforeItsCommitWroteIt() {
    SpanRecord child = span("00000000000000b2", "00000000000000a1", "orders", T0 + 10, 50);
    SpanRecord root = span("00000000000000a1", null, "gateway", T0, 100);
    // the last commit wrote the state when only the child had arrived: root unknown, orders shown
    TraceState stored = TraceState.empty(TRACE);
    stored.add(child, 100);
    assertThat(stored.summary().rootService()).isEqualTo("orders");

    TraceState current = TraceStores.current(TRACE, stored, List.of(root, child));
    assertThat(current.spanCount()).isEqualTo(2);
    assertThat(current.summary().rootService()).isEqualTo("gateway");
    assertThat(current.summary().rootKnown()).isTrue();
    assertThat(current.summary().durationNanos()).isEqualTo(100 * MS);
    assertThat(current.criticalPath()).isNotEmpty();

    // no state yet at all: made from the spans too
    assertThat(TraceStores.current(TRACE, null, List.of(root, child)).summary().rootService()).isEqualTo("gateway");
    // up to date: the stored one as it is; no spans: nothing to describe
    TraceState complete = TraceStores.current(TRACE, stored, List.of(child));
    assertThat(complete).isSameAs(stored);
    assertThat(TraceStores.current(TRACE, null, List.of())).isNull();
  }
}
