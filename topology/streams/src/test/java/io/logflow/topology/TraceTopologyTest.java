package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.TRACE_A;
import static io.logflow.topology.TestObjects.TRACE_B;
import static io.logflow.topology.TestObjects.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.SpanRecord.Kind;
import io.logflow.model.SpanRecord.Status;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceTopologyTest {
    static final long MS = 1_000_000L;
    static final long HOUR = 3_600_000L;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, SpanRecord> spans;

    private void start(int maxSpansPerTrace, Duration retention) {
        TopologyOptions d = TopologyOptions.defaults();
        TopologyOptions options = new TopologyOptions(
                d.grace(),
                d.statsRetention(),
                d.recentLogsPerLevel(),
                d.maxLogsPerTrace(),
                retention,
                maxSpansPerTrace,
                d.deadLetters(),
                d.statsVersions());
        driver = TestObjects.driver(TestObjects.topology(TraceTopology::addTo, options), stateDir);
        spans = driver.createInputTopic(
                Topics.SPANS_NORMALIZED.name(),
                Serdes.String().serializer(),
                LogFlowSerdes.spanJson().serializer());
    }

    @AfterEach
    void tearDown() {
        if (driver != null) driver.close();
    }

    static SpanRecord span(
            String traceId,
            String spanId,
            String parent,
            String service,
            String name,
            Kind kind,
            long startMs,
            long durationMs,
            boolean error) {
        return new SpanRecord(
                traceId,
                spanId,
                parent,
                service,
                name,
                kind,
                startMs * MS,
                durationMs * MS,
                error ? Status.ERROR : Status.UNSET,
                null,
                null,
                Map.of("http.response.status_code", error ? "500" : "200"),
                Map.of(),
                List.of(),
                List.of());
    }

    /**
     * gateway GET /checkout (0-100 ms) → gateway CLIENT (5-95) → orders POST /orders (10-90)
     * → orders CLIENT (20-60) → payments charge (25-55, error) and orders PRODUCER (65-70) → worker CONSUMER (75-120).
     */
    static List<SpanRecord> checkout(String traceId, long t0) {
        return List.of(
                span(traceId, "a000000000000001", null, "gateway", "GET /checkout", Kind.SERVER, t0, 100, false),
                span(
                        traceId,
                        "a000000000000002",
                        "a000000000000001",
                        "gateway",
                        "POST",
                        Kind.CLIENT,
                        t0 + 5,
                        90,
                        false),
                span(
                        traceId,
                        "a000000000000003",
                        "a000000000000002",
                        "orders",
                        "POST /orders",
                        Kind.SERVER,
                        t0 + 10,
                        80,
                        false),
                span(traceId, "a000000000000004", "a000000000000003", "orders", "POST", Kind.CLIENT, t0 + 20, 40, true),
                span(
                        traceId,
                        "a000000000000005",
                        "a000000000000004",
                        "payments",
                        "charge",
                        Kind.SERVER,
                        t0 + 25,
                        30,
                        true),
                span(
                        traceId,
                        "a000000000000006",
                        "a000000000000003",
                        "orders",
                        "demo.orders publish",
                        Kind.PRODUCER,
                        t0 + 65,
                        5,
                        false),
                span(
                        traceId,
                        "a000000000000007",
                        "a000000000000006",
                        "worker",
                        "demo.orders process",
                        Kind.CONSUMER,
                        t0 + 75,
                        45,
                        false));
    }

    private void pipe(List<SpanRecord> list) {
        for (SpanRecord s : list) spans.pipeInput(s.traceId(), s, s.startMillis());
    }

    private TraceState state(String traceId) {
        WindowStore<String, TraceState> store = driver.getWindowStore(Stores.TRACE_STATES.name());
        List<KeyValue<Long, TraceState>> all =
                list(store.fetch(traceId, Instant.EPOCH, Instant.ofEpochMilli(T0 + 100 * HOUR)));
        assertThat(all).hasSizeLessThanOrEqualTo(1);
        return all.isEmpty() ? null : all.get(0).value;
    }

    private Map<String, SpanMetrics> metrics(String store) {
        WindowStore<String, SpanMetrics> s = driver.getWindowStore(store);
        Map<String, SpanMetrics> out = new TreeMap<>();
        for (KeyValue<Windowed<String>, SpanMetrics> kv : list(s.all()))
            out.merge(kv.key.key() + "@" + (kv.key.window().start() - T0), kv.value, SpanMetrics::merge);
        return out;
    }

    @Test
    void aTrace_inAnyArrivalOrder_givesTheSameSummaryMetricsAndEdges() {
        List<SpanRecord> ordered = checkout(TRACE_A, T0);
        List<String> expected = null;
        for (int seed = 0; seed < 5; seed++) {
            List<SpanRecord> shuffled = new ArrayList<>(ordered);
            if (seed > 0) Collections.shuffle(shuffled, new Random(seed));
            start(1000, Duration.ofHours(1));
            pipe(shuffled);
            TraceSummary s = state(TRACE_A).summary();
            assertThat(s.spanCount()).isEqualTo(7);
            assertThat(s.rootService()).isEqualTo("gateway");
            assertThat(s.rootOperation()).isEqualTo("GET /checkout");
            assertThat(s.durationNanos()).isEqualTo(120 * MS); // the worker ends after the root
            assertThat(s.errorCount()).isEqualTo(2);
            assertThat(s.services()).containsExactly("gateway", "orders", "payments", "worker");

            List<SpanRecord> stored = list(driver.<String, SpanRecord>getWindowStore(Stores.TRACE_SPANS.name())
                            .fetch(TRACE_A, Instant.EPOCH, Instant.ofEpochMilli(T0 + HOUR)))
                    .stream()
                    .map(kv -> kv.value)
                    .toList();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(ordered);

            Map<String, SpanMetrics> edges = metrics(Stores.SERVICE_EDGES.name());
            List<String> described = edges.entrySet().stream()
                    .map(e -> e.getKey().replace(Stores.KEY_SEPARATOR, '>') + " calls="
                            + e.getValue().count() + " errors=" + e.getValue().errors())
                    .toList();
            assertThat(described)
                    .containsExactly(
                            "gateway>orders@0 calls=1 errors=0",
                            "orders>payments@0 calls=1 errors=1",
                            "orders>worker@0 calls=1 errors=0");
            // CLIENT/SERVER: what the caller waited (the client span); PRODUCER/CONSUMER: the consumer's work
            assertThat(edges.get(Stores.edgeKey("gateway", "orders") + "@0").quantileMillis(0.5))
                    .isCloseTo(90, within(0.9));
            assertThat(edges.get(Stores.edgeKey("orders", "worker") + "@0").quantileMillis(0.5))
                    .isCloseTo(45, within(0.45));

            if (expected == null) expected = described;
            assertThat(described).isEqualTo(expected);
            driver.close();
            driver = null;
        }
    }

    /** A service's metrics in the minute starting at T0 + offset: the merge of its operations'. */
    private SpanMetrics service(String service, long offset) {
        SpanMetrics total = SpanMetrics.empty();
        metrics(Stores.SPAN_METRICS.name()).forEach((k, v) -> {
            if (k.startsWith(service + Stores.KEY_SEPARATOR) && k.endsWith("@" + offset)) total.merge(v);
        });
        return total;
    }

    @Test
    void spanMetrics_perServiceAndOperation_perMinuteOfSpanStart() {
        start(1000, Duration.ofHours(1));
        pipe(checkout(TRACE_A, T0));
        pipe(checkout(TRACE_B, T0 + 60_000));
        Map<String, SpanMetrics> m = metrics(Stores.SPAN_METRICS.name());
        assertThat(service("orders", 0).count()).isEqualTo(3);
        assertThat(service("orders", 0).errors()).isEqualTo(1);
        assertThat(m.get(Stores.spanMetricsKey("orders", "POST /orders") + "@0").count())
                .isEqualTo(1);
        assertThat(m.get(Stores.spanMetricsKey("payments", "charge") + "@60000").errors())
                .isEqualTo(1);
        assertThat(m.get(Stores.spanMetricsKey("worker", "demo.orders process") + "@60000")
                        .quantileMillis(0.99))
                .isCloseTo(45, within(0.45));
        assertThat(m)
                .hasSize(2 * 7); // per minute: 7 (service, operation) pairs; a service is the merge of its operations
    }

    @Test
    void aRedeliveredSpan_changesNothing() {
        start(1000, Duration.ofHours(1));
        List<SpanRecord> trace = checkout(TRACE_A, T0);
        pipe(trace);
        pipe(trace.subList(2, 5));
        assertThat(state(TRACE_A).spanCount()).isEqualTo(7);
        assertThat(service("orders", 0).count()).isEqualTo(3);
        assertThat(metrics(Stores.SERVICE_EDGES.name())
                        .get(Stores.edgeKey("orders", "payments") + "@0")
                        .count())
                .isEqualTo(1);
        assertThat(list(driver.getWindowStore(Stores.TRACE_SPANS.name()).all())).hasSize(7);
    }

    @Test
    void theIndex_holdsOneEntryPerServiceAtTheTraceStart_movedWhenAnEarlierRootArrives() {
        start(1000, Duration.ofHours(1));
        List<SpanRecord> trace = checkout(TRACE_A, T0 + 1_000);
        pipe(trace.subList(1, 7)); // the root (earliest) comes last
        pipe(trace.subList(0, 1));
        WindowStore<String, TraceSummary> index = driver.getWindowStore(Stores.TRACE_INDEX.name());
        List<KeyValue<Windowed<String>, TraceSummary>> entries = list(index.all());
        assertThat(entries)
                .extracting(kv -> kv.key.key())
                .containsExactlyInAnyOrder(
                        Stores.traceIndexKey("gateway", TRACE_A), Stores.traceIndexKey("orders", TRACE_A),
                        Stores.traceIndexKey("payments", TRACE_A), Stores.traceIndexKey("worker", TRACE_A));
        assertThat(entries).allSatisfy(kv -> {
            assertThat(kv.key.window().start()).isEqualTo(T0 + 1_000);
            assertThat(kv.value.spanCount()).isEqualTo(7);
            assertThat(kv.value.rootKnown()).isTrue();
        });
    }

    @Test
    void aTrace_keepsAtMostMaxSpans_butEverySpanCountsInTheMetrics() {
        start(3, Duration.ofHours(1));
        pipe(checkout(TRACE_A, T0));
        assertThat(state(TRACE_A).spanCount()).isEqualTo(3);
        assertThat(list(driver.getWindowStore(Stores.TRACE_SPANS.name()).all())).hasSize(3);
        long counted = metrics(Stores.SPAN_METRICS.name()).values().stream()
                .mapToLong(SpanMetrics::count)
                .sum();
        assertThat(counted).isEqualTo(7);
    }

    @Test
    void aSpanOlderThanTheTraceRetention_isNotStored_butCounts() {
        start(1000, Duration.ofMinutes(10));
        pipe(checkout(TRACE_A, T0 + 30 * 60_000)); // stream time moves 30 minutes on
        pipe(List.of(span(TRACE_B, "b000000000000001", null, "gateway", "GET /old", Kind.SERVER, T0, 10, false)));
        assertThat(state(TRACE_B)).isNull();
        assertThat(list(driver.getWindowStore(Stores.TRACE_SPANS.name())
                        .fetch(TRACE_B, Instant.EPOCH, Instant.ofEpochMilli(T0 + HOUR))))
                .isEmpty();
        assertThat(metrics(Stores.SPAN_METRICS.name())
                        .get(Stores.spanMetricsKey("gateway", "GET /old") + "@0")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void spansOfOneTrace_acrossABucketBoundary_shareOneState() {
        start(1000, Duration.ofMinutes(10));
        long boundary = T0 + 10 * 60_000; // T0 is a multiple of 10 minutes
        pipe(List.of(span(
                TRACE_A,
                "c000000000000002",
                "c000000000000001",
                "orders",
                "POST /orders",
                Kind.SERVER,
                boundary + 5,
                10,
                false)));
        pipe(List.of(span(
                TRACE_A, "c000000000000001", null, "gateway", "GET /checkout", Kind.SERVER, boundary - 5, 30, false)));
        TraceState s = state(TRACE_A);
        assertThat(s.spanCount()).isEqualTo(2);
        assertThat(s.summary().rootService()).isEqualTo("gateway");
    }

    @Test
    void aTraceWhoseStateTheProcessorForgot_continuesFromTheStore() {
        start(1000, Duration.ofHours(1));
        List<SpanRecord> trace = checkout(TRACE_A, T0);
        pipe(trace.subList(0, 3));
        // enough other traces to push TRACE_A's state out of the processor's decoded states
        for (int i = 0; i < TraceTopology.RECENT_STATES; i++) {
            String other = String.format("%032x", 0x5000L + i);
            pipe(List.of(
                    span(other, "d000000000000001", null, "gateway", "GET /other", Kind.SERVER, T0 + 1, 5, false)));
        }
        pipe(trace.subList(3, trace.size()));
        pipe(trace.subList(0, 2)); // redelivered: still recognised
        TraceState s = state(TRACE_A);
        assertThat(s.spanCount()).isEqualTo(trace.size());
        assertThat(s.summary().rootService()).isEqualTo("gateway");
        assertThat(metrics(Stores.SERVICE_EDGES.name())
                        .get(Stores.edgeKey("orders", "payments") + "@0")
                        .count())
                .isEqualTo(1);
    }

    /**
     * Several spans of a trace within one commit (TopologyTestDriver commits after every record, so
     * this drives the processor directly): the index entries are derived once, at the commit, where
     * the trace starts then — none is left at a start the trace had before its root arrived.
     */
    @Test
    void theIndex_iswrittenAtTheCommit_atTheTraceStartThen() {
        org.apache.kafka.streams.processor.api.MockProcessorContext<String, SpanRecord> context =
                new org.apache.kafka.streams.processor.api.MockProcessorContext<>();
        WriteBehind.BeforeFlush indexing = new WriteBehind.BeforeFlush();
        List<org.apache.kafka.streams.processor.StateStore> stores = List.of(
                memory(Stores.TRACE_SPANS.name(), true, LogFlowSerdes.spanRecord())
                        .build(),
                WriteBehind.window(
                                memory(Stores.TRACE_STATES.name(), false, LogFlowSerdes.traceState()),
                                100,
                                WriteBehind.FlushListener.NONE)
                        .build(),
                WriteBehind.window(
                                memory(Stores.TRACE_INDEX.name(), false, LogFlowSerdes.traceSummary()),
                                1,
                                WriteBehind.FlushListener.NONE,
                                indexing)
                        .build(),
                WriteBehind.window(
                                memory(Stores.SPAN_METRICS.name(), false, LogFlowSerdes.spanMetrics()),
                                100,
                                WriteBehind.FlushListener.NONE)
                        .build(),
                WriteBehind.window(
                                memory(Stores.SERVICE_EDGES.name(), false, LogFlowSerdes.spanMetrics()),
                                100,
                                WriteBehind.FlushListener.NONE)
                        .build());
        for (org.apache.kafka.streams.processor.StateStore store : stores) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        TraceTopology.TraceProcessor processor =
                new TraceTopology.TraceProcessor(HOUR, 24 * HOUR, 1000, false, indexing);
        processor.init(context);
        List<SpanRecord> trace = checkout(TRACE_A, T0 + 1_000);
        context.setCurrentStreamTimeMs(T0 + 2_000);
        java.util.function.Consumer<SpanRecord> process = sp ->
                processor.process(new org.apache.kafka.streams.processor.api.Record<>(TRACE_A, sp, sp.startMillis()));
        process.accept(trace.get(4)); // payments, at +25
        commit(stores);
        @SuppressWarnings("unchecked")
        WindowStore<String, TraceSummary> index = (WindowStore<String, TraceSummary>) stores.get(2);
        assertThat(list(index.all()))
                .singleElement()
                .satisfies(kv -> assertThat(kv.key.window().start()).isEqualTo(T0 + 1_025));
        // within the next commit the start moves twice (+10, then the root at +0), and a span is redelivered
        process.accept(trace.get(2));
        process.accept(trace.get(0));
        process.accept(trace.get(4));
        for (int i : new int[] {1, 3, 5, 6}) process.accept(trace.get(i));
        assertThat(list(index.all()))
                .as("before the commit, the store underneath has what the last commit wrote")
                .hasSize(1);
        commit(stores);
        List<KeyValue<Windowed<String>, TraceSummary>> entries = list(index.all());
        assertThat(entries).hasSize(4).allSatisfy(kv -> {
            assertThat(kv.key.window().start()).isEqualTo(T0 + 1_000);
            assertThat(kv.value.spanCount()).isEqualTo(7);
        });
        processor.close();
    }

    private static <V> org.apache.kafka.streams.state.StoreBuilder<WindowStore<String, V>> memory(
            String name, boolean duplicates, org.apache.kafka.common.serialization.Serde<V> values) {
        return org.apache.kafka.streams.state.Stores.windowStoreBuilder(
                        org.apache.kafka.streams.state.Stores.inMemoryWindowStore(
                                name, Duration.ofHours(3), Duration.ofMillis(1), duplicates),
                        Serdes.String(),
                        values)
                .withLoggingDisabled();
    }

    private static void commit(List<org.apache.kafka.streams.processor.StateStore> stores) {
        for (org.apache.kafka.streams.processor.StateStore s : stores) {
            if (s instanceof org.apache.kafka.streams.state.internals.CachedStateStore<?, ?> c) c.flushCache();
        }
    }
}
