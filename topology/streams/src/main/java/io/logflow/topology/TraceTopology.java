package io.logflow.topology;

import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * {@code logflow.spans} (keyed by trace id) → traces, span metrics and the dependency graph, all
 * partitioned by trace id (docs/adr/007-traces.md):
 *
 * <ul>
 *   <li>{@link Stores#TRACE_SPANS}: every span, at its start time, for {@link
 *       TopologyOptions#traceRetention()};
 *   <li>{@link Stores#TRACE_STATES}: per trace its {@link TraceState} (summary and span stubs),
 *       in the retention bucket of its first span (see below);
 *   <li>{@link Stores#TRACE_INDEX}: the {@link TraceSummary} (without operations and tags, see
 *       {@link TraceSummary#withoutDetail()}) once per service of the trace, at the trace's start,
 *       for search;
 *   <li>{@link Stores#SPAN_METRICS}: {@link SpanMetrics} per service+operation and 1-minute window
 *       of span start (a service's total is the merge of its operations, done when queried);
 *   <li>{@link Stores#SERVICE_EDGES}: {@link SpanMetrics} of the calls per caller→callee edge and
 *       1-minute window of the callee's start.
 * </ul>
 *
 * <p><b>Late and duplicate spans.</b> A span is merged into its trace whenever it arrives, as long
 * as its start is within the trace retention of the partition's stream time; its metrics go to the
 * window of its own start as long as that is within the statistics retention. There is no grace
 * cut-off: a span is an exact contribution to a window whenever it comes. A span whose id the
 * trace already holds (a re-delivery by an at-least-once exporter) changes nothing. A trace holding
 * {@link TopologyOptions#maxSpansPerTrace()} spans keeps no more, but their metrics still count.
 *
 * <p><b>Where a trace's state lives.</b> Time is cut into buckets of one trace retention, aligned
 * to the epoch; the state is stored in the bucket of the first span that arrived and looked up in
 * the span's bucket and both neighbours, so every span of a trace shorter than one retention finds
 * it. The store keeps three buckets, so states expire segment by segment like the spans.
 *
 * <p><b>Cost.</b> Every store but the spans is written behind ({@link WriteBehind}): a span changes
 * its trace's state, index entries and metrics as objects, and each changed key is encoded and
 * written once per commit, not once per span (a state grows with its trace, a metric holds a
 * sketch). The stores also keep the states of the traces being assembled ({@link #RECENT_STATES}
 * per task) and the metrics of the current minutes ({@link #HOT_METRICS}) decoded for this thread,
 * so the spans after a trace's first decode nothing.
 */
public final class TraceTopology {
    static final String SOURCE = "spans-source";
    static final String PROCESSOR = "trace-assembly";
    /** Window size of the stores holding one entry per instant (spans, index entries). */
    static final Duration INSTANT = Duration.ofMillis(1);

    static final Duration MINUTE = Duration.ofMillis(Stores.STATS_WINDOW_MS);
    /** Decoded metrics kept per store and task: about the (operation, minute) pairs of the last minutes. */
    static final int HOT_METRICS = 4096;
    /** (trace, bucket) lookups remembered per task, found or not: the traces of the last seconds. */
    static final int RECENT_STATES = 8192;

    private TraceTopology() {}

    public static void addTo(StreamsBuilder builder, TopologyOptions options) {
        addTo(builder, options, false);
    }

    /**
     * With {@code forwardWatched}, the spans of services that an active span alert rule watches are
     * forwarded, keyed by service, for {@link AlertTopology#addSpans} (the global rule store must be in
     * the topology); otherwise nothing is forwarded.
     */
    static KStream<String, SpanRecord> addTo(StreamsBuilder builder, TopologyOptions options, boolean forwardWatched) {
        Duration retention = options.traceRetention();
        Duration statsRetention = options.statsRetention().compareTo(MINUTE) < 0 ? MINUTE : options.statsRetention();
        builder.addStateStore(StoreBuilders.windowWithDuplicates(Stores.TRACE_SPANS, retention, INSTANT));
        WriteBehind.FlushListener none = WriteBehind.FlushListener.NONE;
        builder.addStateStore(StoreBuilders.windowWriteBehind(
                Stores.TRACE_STATES, retention.multipliedBy(3), retention, RECENT_STATES, none));
        WriteBehind.BeforeFlush indexing =
                new WriteBehind.BeforeFlush(); // the processors' index entries, derived at each commit
        builder.addStateStore(WriteBehind.window(
                StoreBuilders.windowUncached(Stores.TRACE_INDEX, retention, INSTANT),
                1,
                none,
                indexing)); // written, never read here
        builder.addStateStore(
                StoreBuilders.windowWriteBehind(Stores.SPAN_METRICS, statsRetention, MINUTE, HOT_METRICS, none));
        builder.addStateStore(
                StoreBuilders.windowWriteBehind(Stores.SERVICE_EDGES, statsRetention, MINUTE, HOT_METRICS, none));
        return builder.stream(
                        Topics.SPANS_NORMALIZED.name(),
                        Consumed.with(Topics.SPANS_NORMALIZED.keySerde(), Topics.SPANS_NORMALIZED.valueSerde())
                                .withName(SOURCE))
                .process(
                        () -> new TraceProcessor(
                                retention.toMillis(),
                                statsRetention.toMillis(),
                                options.maxSpansPerTrace(),
                                forwardWatched,
                                indexing),
                        Named.as(PROCESSOR),
                        Stores.TRACE_SPANS.name(),
                        Stores.TRACE_STATES.name(),
                        Stores.TRACE_INDEX.name(),
                        Stores.SPAN_METRICS.name(),
                        Stores.SERVICE_EDGES.name());
    }

    /** Start of the 1-minute window holding {@code t}. */
    static long minute(long t) {
        return Math.floorDiv(t, Stores.STATS_WINDOW_MS) * Stores.STATS_WINDOW_MS;
    }

    static final class TraceProcessor implements Processor<String, SpanRecord, String, SpanRecord> {
        private final long retentionMs;
        private final long statsRetentionMs;
        private final int maxSpans;
        private final boolean forwardWatched;
        private AlertRules alertRules;
        private ProcessorContext<String, SpanRecord> context;
        private WindowStore<String, SpanRecord> spans;
        private WindowStore<String, TraceState> states;
        private WindowStore<String, TraceSummary> index;
        private WindowStore<String, SpanMetrics> metrics;
        private WindowStore<String, SpanMetrics> edges;
        private final WriteBehind.BeforeFlush indexing;
        private final Runnable writeIndex = this::writeIndex;
        /**
         * Traces changed since the last commit → where their index entries are in the store (the
         * trace's start then, null for a new trace) and their state now. Their summaries are derived
         * and indexed once, at the commit ({@link #writeIndex}), not for every span.
         */
        private final java.util.Map<String, Reindex> toIndex = new java.util.LinkedHashMap<>();

        private record Reindex(Long indexedStart, TraceState state) {}

        TraceProcessor(
                long retentionMs,
                long statsRetentionMs,
                int maxSpans,
                boolean forwardWatched,
                WriteBehind.BeforeFlush indexing) {
            this.retentionMs = retentionMs;
            this.statsRetentionMs = statsRetentionMs;
            this.maxSpans = maxSpans;
            this.forwardWatched = forwardWatched;
            this.indexing = indexing;
        }

        @Override
        public void init(ProcessorContext<String, SpanRecord> context) {
            this.context = context;
            if (forwardWatched) {
                alertRules = new AlertRules(context.getStateStore(Stores.ALERT_RULES.name()));
                context.schedule(
                        AlertTopology.PUNCTUATE,
                        org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                        t -> alertRules.refresh());
            }
            spans = context.getStateStore(Stores.TRACE_SPANS.name());
            states = context.getStateStore(Stores.TRACE_STATES.name());
            index = context.getStateStore(Stores.TRACE_INDEX.name());
            metrics = context.getStateStore(Stores.SPAN_METRICS.name());
            edges = context.getStateStore(Stores.SERVICE_EDGES.name());
            toIndex.clear();
            indexing.register(context.taskId(), writeIndex);
        }

        @Override
        public void close() {
            // Kafka Streams commits a task (running the hook) before it closes the processors; should
            // that order change, what is left still reaches the index store, written at its next flush
            writeIndex();
            indexing.unregister(context.taskId(), writeIndex);
        }

        @Override
        public void process(Record<String, SpanRecord> record) {
            SpanRecord span = record.value();
            if (span == null) return;
            long start = span.startMillis();
            long streamTime = context.currentStreamTimeMs();
            TraceState.Outcome outcome = TraceState.Outcome.FULL;
            if (start > streamTime - retentionMs) outcome = assemble(span, start);
            if (outcome == TraceState.Outcome.DUPLICATE) return;
            if (alertRules != null && alertRules.watchesSpansOf(span.service()))
                context.forward(new Record<>(span.service(), span, record.timestamp()));
            if (start > streamTime - statsRetentionMs) {
                add(
                        false,
                        Stores.spanMetricsKey(span.service(), span.name()),
                        minute(start),
                        span.durationNanos(),
                        span.isError());
            }
        }

        /** Merges the span into its trace; returns what happened. */
        private TraceState.Outcome assemble(SpanRecord span, long start) {
            String traceId = span.traceId();
            long bucket = start - Math.floorMod(start, retentionMs);
            long stateBucket = bucket;
            TraceState state = null;
            // point lookups (a cache hit for a trace being assembled), not a range iterator per span
            for (long b : new long[] {bucket, bucket - retentionMs, bucket + retentionMs}) {
                state = states.fetch(traceId, b);
                if (state != null) {
                    stateBucket = b;
                    break;
                }
            }
            if (state == null) state = TraceState.empty(traceId);
            boolean known = state.spanCount() > 0;
            long startBefore = state.startMillis();
            TraceState.AddResult result = state.add(span, maxSpans);
            if (result.outcome() != TraceState.Outcome.ADDED) return result.outcome(); // not changed

            spans.put(traceId, span, start);
            states.put(traceId, state, stateBucket); // changed in place: written behind, at the commit
            Reindex pending = toIndex.get(traceId);
            toIndex.put(
                    traceId, new Reindex(pending != null ? pending.indexedStart() : known ? startBefore : null, state));
            long streamTime = context.currentStreamTimeMs();
            for (TraceState.Edge e : result.edges()) {
                if (e.timeMillis() > streamTime - statsRetentionMs)
                    add(
                            true,
                            Stores.edgeKey(e.caller(), e.callee()),
                            minute(e.timeMillis()),
                            e.durationNanos(),
                            e.error());
            }
            return TraceState.Outcome.ADDED;
        }

        /** At each commit, before the index store writes: the index entries of the traces changed since the last. */
        private void writeIndex() {
            for (java.util.Map.Entry<String, Reindex> e : toIndex.entrySet())
                reindex(
                        e.getKey(),
                        e.getValue().indexedStart(),
                        e.getValue().state().summary());
            toIndex.clear();
        }

        /**
         * One index entry per service of the trace, at the trace's start. When the start moved (an
         * earlier span arrived), the entries at the old start are removed: the trace's services then
         * are among those now, and removing an entry that is not there changes nothing.
         */
        private void reindex(String traceId, Long indexedStart, TraceSummary after) {
            long at = after.startMillis();
            TraceSummary entry = after.withoutDetail();
            for (String service : after.services()) {
                String key = Stores.traceIndexKey(service, traceId);
                if (indexedStart != null && indexedStart != at) index.put(key, null, indexedStart);
                index.put(key, entry, at);
            }
        }

        private void add(boolean edge, String key, long window, long durationNanos, boolean error) {
            WindowStore<String, SpanMetrics> store = edge ? edges : metrics;
            SpanMetrics m = store.fetch(key, window);
            if (m == null) m = SpanMetrics.empty();
            m.add(durationNanos, error);
            store.put(key, m, window);
        }
    }
}
