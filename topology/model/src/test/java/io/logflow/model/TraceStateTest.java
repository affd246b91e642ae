package io.logflow.model;

import static io.logflow.model.SpanRecord.Kind.CLIENT;
import static io.logflow.model.SpanRecord.Kind.CONSUMER;
import static io.logflow.model.SpanRecord.Kind.INTERNAL;
import static io.logflow.model.SpanRecord.Kind.PRODUCER;
import static io.logflow.model.SpanRecord.Kind.SERVER;
import static io.logflow.model.TestObjects.CHECKOUT;
import static io.logflow.model.TestObjects.T0;
import static io.logflow.model.TestObjects.T0_NANOS;
import static io.logflow.model.TestObjects.TRACE_ID;
import static io.logflow.model.TestObjects.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.TraceState.AddResult;
import io.logflow.model.TraceState.Edge;
import io.logflow.model.TraceState.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceStateTest {
    static final int MAX = 1000;

    static final List<Edge> CHECKOUT_EDGES = List.of(
            new Edge("frontend", "orders", 75_000_000, false, T0 + 10), // what the CLIENT span waited
            new Edge("orders", "payments", 50_000_000, true, T0 + 22),
            new Edge("orders", "mailer", 18_000_000, false, T0 + 72)); // not an RPC: the consumer's own time

    static TraceState stateOf(List<SpanRecord> spans) {
        TraceState state = TraceState.empty(TRACE_ID);
        for (SpanRecord s : spans) assertThat(state.add(s, MAX).outcome()).isEqualTo(Outcome.ADDED);
        return state;
    }

    static String op(String service, String name) {
        return TraceSummary.operationKey(service, name);
    }

    @Test
    void summarisesTheTrace() {
        assertThat(stateOf(CHECKOUT).summary())
                .isEqualTo(new TraceSummary(
                        TRACE_ID,
                        "frontend",
                        "GET /checkout",
                        true,
                        T0_NANOS,
                        100_000_000,
                        8,
                        1,
                        List.of("frontend", "mailer", "orders", "payments"),
                        List.of(
                                op("frontend", "GET /checkout"),
                                op("frontend", "POST orders"),
                                op("frontend", "render"),
                                op("mailer", "send confirmation"),
                                op("orders", "POST /orders"),
                                op("orders", "SELECT orders"),
                                op("orders", "charge"),
                                op("payments", "POST /charge")),
                        List.of("http.method=GET", "http.method=POST", "order.id=123")));
    }

    @Test
    void everyArrivalOrder_givesTheSameSummary_edges_andCriticalPath_alsoThroughBytes() {
        TraceSummary expected = stateOf(CHECKOUT).summary();
        List<CriticalPath.Segment> expectedPath = stateOf(CHECKOUT).criticalPath();
        Map<Edge, Integer> expectedEdges = multiset(CHECKOUT_EDGES);
        int[] orders = {0};
        permutations(new ArrayList<>(CHECKOUT), 0, order -> {
            orders[0]++;
            TraceState state = TraceState.empty(TRACE_ID);
            List<Edge> edges = new ArrayList<>();
            for (SpanRecord s : order) {
                AddResult r = state.add(s, MAX);
                assertThat(r.outcome()).isEqualTo(Outcome.ADDED);
                edges.addAll(r.edges());
                state = TraceState.fromBytes(state.toBytes()); // as the store does between spans
            }
            if (!multiset(edges).equals(expectedEdges))
                assertThat(edges).as("edges for %s", order).containsExactlyInAnyOrderElementsOf(CHECKOUT_EDGES);
            if (!state.summary().equals(expected))
                assertThat(state.summary()).as("summary for %s", order).isEqualTo(expected);
            if (!state.criticalPath().equals(expectedPath))
                assertThat(state.criticalPath()).as("path for %s", order).isEqualTo(expectedPath);
        });
        assertThat(orders[0]).isEqualTo(40_320);
    }

    @Test
    void duplicates_areIgnored_withoutEdges() {
        TraceState state = stateOf(CHECKOUT);
        byte[] before = state.toBytes();
        SpanRecord redelivered = CHECKOUT.get(5);
        SpanRecord sameIdOtherContent = span("000000000000000c", null, "other", "x", SERVER, 1, 1, true, "k", "v");
        assertThat(state.add(redelivered, MAX)).isEqualTo(new AddResult(Outcome.DUPLICATE, List.of()));
        assertThat(state.add(sameIdOtherContent, MAX)).isEqualTo(new AddResult(Outcome.DUPLICATE, List.of()));
        assertThat(state.toBytes()).isEqualTo(before);
        assertThat(state.spanCount()).isEqualTo(8);
    }

    @Test
    void aFullTrace_takesNoMoreSpans_butStillRecognisesDuplicates() {
        TraceState state = TraceState.empty(TRACE_ID);
        for (SpanRecord s : CHECKOUT.subList(0, 3))
            assertThat(state.add(s, 3).outcome()).isEqualTo(Outcome.ADDED);
        byte[] before = state.toBytes();
        assertThat(state.add(CHECKOUT.get(3), 3)).isEqualTo(new AddResult(Outcome.FULL, List.of()));
        assertThat(state.add(CHECKOUT.get(0), 3).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(state.toBytes()).isEqualTo(before);
        assertThat(state.spanCount()).isEqualTo(3);
        assertThat(state.contains("000000000000000d")).isFalse();
    }

    @Test
    void edgeOfAClientServerPair_failsWhenEitherSideFailed() {
        TraceState state = TraceState.empty(TRACE_ID);
        state.add(span("0000000000000001", null, "web", "call", CLIENT, 0, 30, true), MAX);
        AddResult r =
                state.add(span("0000000000000002", "0000000000000001", "api", "serve", SERVER, 5, 20, false), MAX);
        assertThat(r.edges()).containsExactly(new Edge("web", "api", 30_000_000, true, T0 + 5));
    }

    @Test
    void edgeOfAProducerConsumerPair_takesTheConsumersDurationAndError() {
        TraceState state = TraceState.empty(TRACE_ID);
        AddResult child = state.add(
                span("0000000000000002", "0000000000000001", "worker", "consume", CONSUMER, 500, 20, false), MAX);
        assertThat(child.edges()).isEmpty(); // the parent has not arrived yet
        AddResult parent = state.add(span("0000000000000001", null, "api", "publish", PRODUCER, 0, 1, true), MAX);
        assertThat(parent.edges()).containsExactly(new Edge("api", "worker", 20_000_000, false, T0 + 500));
    }

    @Test
    void sameServicePairs_makeNoEdge_andAParentCompletesEdgesToAllItsChildren() {
        TraceState state = TraceState.empty(TRACE_ID);
        state.add(span("0000000000000002", "0000000000000001", "b", "x", SERVER, 1, 1, false), MAX);
        state.add(span("0000000000000003", "0000000000000001", "a", "y", INTERNAL, 1, 1, false), MAX);
        state.add(span("0000000000000004", "0000000000000001", "c", "z", SERVER, 2, 1, false), MAX);
        AddResult r = state.add(span("0000000000000001", null, "a", "root", SERVER, 0, 5, false), MAX);
        assertThat(r.edges())
                .containsExactly(
                        new Edge("a", "b", 1_000_000, false, T0 + 1), new Edge("a", "c", 1_000_000, false, T0 + 2));
    }

    @Test
    void withoutRoot_theEarliestSpanStandsIn_andSeveralRoots_theEarliestWins() {
        TraceState state = stateOf(List.of(CHECKOUT.get(4), CHECKOUT.get(2), CHECKOUT.get(5)));
        TraceSummary s = state.summary();
        assertThat(s.rootKnown()).isFalse();
        assertThat(s.rootService()).isEqualTo("orders");
        assertThat(s.rootOperation()).isEqualTo("POST /orders");
        assertThat(s.startNanos()).isEqualTo(T0_NANOS + 10_000_000);
        assertThat(s.durationNanos()).isEqualTo(65_000_000);

        state.add(span("00000000000000f1", null, "cron", "late root", SERVER, 50, 1, false), MAX);
        state.add(span("00000000000000f0", null, "cron", "early root", SERVER, 30, 1, false), MAX);
        assertThat(state.summary().rootKnown()).isTrue();
        assertThat(state.summary().rootOperation()).isEqualTo("early root");
    }

    @Test
    void tags_skipLongValues_andKeepTheFirstOnesUpToTheBound() {
        TraceState state = TraceState.empty(TRACE_ID);
        String v128 = "v".repeat(128);
        state.add(span("0000000000000001", null, "s", "op", SERVER, 0, 1, false, "ok", v128, "long", v128 + "v"), MAX);
        for (int i = 0; i < 200; i++) {
            state.add(
                    span(
                            String.format("1%015x", i),
                            null,
                            "s",
                            "op",
                            SERVER,
                            0,
                            1,
                            false,
                            String.format("k%03d", i),
                            "v"),
                    MAX);
        }
        List<String> tags = state.summary().tags();
        assertThat(tags).hasSize(TraceSummary.MAX_TAGS).contains("ok=" + v128).noneMatch(t -> t.startsWith("long="));
        assertThat(tags).contains("k000=v", "k126=v").doesNotContain("k127=v", "k199=v");
        assertThat(TraceState.fromBytes(state.toBytes()).summary().tags()).isEqualTo(tags);
    }

    @Test
    void operations_areBounded_keepingTheFirstOnes() {
        TraceState state = TraceState.empty(TRACE_ID);
        for (int i = 0; i < 300; i++)
            state.add(span(String.format("%016x", i + 1), null, "s", "op" + (1000 + i), SERVER, i, 1, false), MAX);
        List<String> ops = state.summary().operations();
        assertThat(ops)
                .hasSize(TraceSummary.MAX_OPERATIONS)
                .contains(op("s", "op1000"), op("s", "op1255"))
                .doesNotContain(op("s", "op1256"));
    }

    @Test
    void roundTrip_preservesEverything_includingOddIdsAndMissingParents() {
        List<SpanRecord> spans = new ArrayList<>(CHECKOUT);
        spans.add(span(
                "not-a-hex-id", "missing-parent ✓", "sérvice", "ünïcode", SpanRecord.Kind.UNSPECIFIED, -3, 0, true));
        spans.add(span("0000000000000020", "00000000000000ff", "orders", "late", PRODUCER, 500, 1, false));
        spans.add(span("0000000000000021", "0000000000000021", "orders", "self parent", INTERNAL, 1, 1, false));
        TraceState state = stateOf(spans);
        TraceState back = TraceState.fromBytes(state.toBytes());
        assertThat(back).isEqualTo(state);
        assertThat(back.stubs()).isEqualTo(state.stubs());
        assertThat(back.summary()).isEqualTo(state.summary());
        assertThat(back.startMillis())
                .isEqualTo(state.startMillis())
                .isEqualTo(T0 - 3); // the odd span starts 3 ms before T0
        // the decoded state keeps working: duplicates, edges to a parent that arrives now
        assertThat(back.add(CHECKOUT.get(0), MAX).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(back.add(span("00000000000000ff", null, "api", "publish", PRODUCER, 499, 1, false), MAX)
                        .edges())
                .containsExactly(new Edge("api", "orders", 1_000_000, false, T0 + 500));
    }

    @Test
    void emptyState_hasAnEmptySummary_andRoundTrips() {
        TraceState empty = TraceState.empty(TRACE_ID);
        assertThat(empty.summary())
                .isEqualTo(new TraceSummary(TRACE_ID, null, null, false, 0, 0, 0, 0, null, null, null));
        assertThat(empty.criticalPath()).isEmpty();
        assertThat(empty.startMillis()).isZero();
        assertThat(TraceState.fromBytes(empty.toBytes())).isEqualTo(empty);
    }

    @Test
    void encodingIsCompact_aboutTwentyBytesPerSpan() {
        TraceState state = TraceState.empty(TRACE_ID);
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 1000; i++) {
            String parent = i == 0 ? null : String.format("%016x", r.nextInt(i) + 1);
            state.add(
                    span(
                            String.format("%016x", i + 1),
                            parent,
                            "service-" + (i % 10),
                            "operation-" + (i % 20),
                            SERVER,
                            r.nextInt(1000),
                            r.nextInt(100),
                            false),
                    MAX);
        }
        assertThat(state.toBytes().length).isLessThan(1000 * 26);
    }

    @Test
    void refusesSpansOfAnotherTrace_andUnknownVersions() {
        SpanRecord other = new SpanRecord(
                "ffffffffffffffffffffffffffffffff",
                "0000000000000001",
                null,
                "s",
                "n",
                SERVER,
                0,
                1,
                SpanRecord.Status.UNSET,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThatThrownBy(() -> TraceState.empty(TRACE_ID).add(other, MAX))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = stateOf(CHECKOUT).toBytes();
        bytes[0] = 3;
        assertThatThrownBy(() -> TraceState.fromBytes(bytes)).hasMessageContaining("version 3");
    }

    private static Map<Edge, Integer> multiset(List<Edge> edges) {
        Map<Edge, Integer> m = new HashMap<>();
        for (Edge e : edges) m.merge(e, 1, Integer::sum);
        return m;
    }

    /** Calls {@code each} with every ordering of {@code list} (swap-based, in place). */
    private static void permutations(
            List<SpanRecord> list, int from, java.util.function.Consumer<List<SpanRecord>> each) {
        if (from == list.size()) {
            each.accept(list);
            return;
        }
        for (int i = from; i < list.size(); i++) {
            java.util.Collections.swap(list, from, i);
            permutations(list, from + 1, each);
            java.util.Collections.swap(list, from, i);
        }
    }
}
