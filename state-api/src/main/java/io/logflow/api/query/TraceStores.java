package io.logflow.api.query;

import io.logflow.api.cluster.LocalReads;
import io.logflow.api.cluster.Part;
import io.logflow.api.cluster.QueryViews;
import io.logflow.api.cluster.View;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.Params;
import io.logflow.model.CriticalPath;
import io.logflow.model.SpanRecord;
import io.logflow.model.TraceQuery;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import io.logflow.model.schema.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The assembled traces as queryable views: the spans of one trace with its summary and critical
 * path (on the owner of the trace id), and trace search over the per-partition index (fan-out).
 */
@Component
class TraceStores implements QueryViews {
    static final Comparator<TraceSummary> NEWEST_FIRST =
            Comparator.comparingLong(TraceSummary::startNanos).reversed().thenComparing(TraceSummary::traceId);

    /**
     * The end of "all time" for the uncached trace stores (spans, logs). Never for a cached window
     * store: its cache is walked segment by segment through the whole range.
     */
    static final Instant FAR_FUTURE = Instant.now().plusSeconds(100L * 365 * 24 * 3600);

    /**
     * The spans of one trace (start order), its summary and critical path; null summary when the trace is unknown here.
     */
    record SpansPart(
            Set<Integer> partitions,
            List<SpanRecord> spans,
            TraceSummary summary,
            List<CriticalPath.Segment> criticalPath)
            implements Part {}

    /** Trace summaries matching a search, newest first, at most the limit asked for. */
    record TracesPart(Set<Integer> partitions, List<TraceSummary> traces) implements Part {}

    /** A trace search and how many traces to answer. */
    record Search(TraceQuery query, int limit) {}

    private final LocalReads local;
    private final JsonMapper json;
    private final long traceRetentionMs;

    final View<String, SpansPart> spans;
    final View<Search, TracesPart> traces;

    TraceStores(LocalReads local, JsonMapper json, LogFlowProperties props) {
        this.local = local;
        this.json = json;
        this.traceRetentionMs = props.streams().traceRetention().toMillis();
        this.spans = View.of(
                "spans",
                Stores.TRACE_SPANS,
                SpansPart.class,
                TraceStores::traceIdQuery,
                TraceStores::traceId,
                this::spans);
        this.traces = View.of(
                "traces",
                Stores.TRACE_INDEX,
                TracesPart.class,
                this::query,
                this::parse,
                s -> traces(s.query(), s.limit()));
    }

    @Override
    public List<View<?, ?>> views() {
        return List.of(spans, traces);
    }

    /** A view of one trace's arguments as /internal/v1 parameters: its id. */
    static Map<String, ?> traceIdQuery(String traceId) {
        return Map.of("trace_id", traceId);
    }

    /** Parses what {@link #traceIdQuery} wrote. */
    static String traceId(MultiValueMap<String, String> q) {
        return Params.traceId("trace_id", Params.first(q, "trace_id").orElse(""));
    }

    /** The search as /internal/v1/traces parameters. */
    Map<String, Object> query(Search s) {
        TraceQuery q = s.query();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", q.fromMillis());
        m.put("to", q.toMillis());
        if (q.service() != null) m.put("service", q.service());
        if (q.operation() != null) m.put("operation", q.operation());
        if (q.minDurationNanos() != null) m.put("minDurationNanos", q.minDurationNanos());
        if (q.maxDurationNanos() != null) m.put("maxDurationNanos", q.maxDurationNanos());
        if (q.error() != null) m.put("error", q.error());
        if (!q.tags().isEmpty()) m.put("tags", json.writeValueAsString(q.tags()));
        m.put("limit", s.limit());
        return m;
    }

    /** Parses what {@link #query} wrote. */
    Search parse(MultiValueMap<String, String> q) {
        Map<String, String> tags = new TreeMap<>();
        Params.first(q, "tags").ifPresent(t -> tags.putAll(tags(t)));
        TraceQuery query = new TraceQuery(
                Params.service("service", Params.first(q, "service")),
                Params.first(q, "operation").orElse(null),
                Params.optionalLong("minDurationNanos", Params.first(q, "minDurationNanos")),
                Params.optionalLong("maxDurationNanos", Params.first(q, "maxDurationNanos")),
                Params.first(q, "error").map(Boolean::valueOf).orElse(null),
                tags,
                Params.requiredInstant("from", Params.first(q, "from")).toEpochMilli(),
                Params.requiredInstant("to", Params.first(q, "to")).toEpochMilli());
        return new Search(query, Params.intInRange("limit", Params.first(q, "limit"), 20, 1, TraceHandler.MAX_TRACES));
    }

    /** The tags of an internal search: a JSON object of strings (400 naming {@code tags} otherwise). */
    private Map<String, String> tags(String raw) {
        Map<String, String> tags = new TreeMap<>();
        try {
            JsonNode node = json.readTree(raw);
            if (!node.isObject()) throw new IllegalArgumentException("not an object");
            node.properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
        } catch (RuntimeException e) {
            throw ApiException.badParameter("tags", "parameter 'tags' must be a JSON object of strings");
        }
        return tags;
    }

    /** The spans of one trace in start order, with its summary and critical path. */
    SpansPart spans(String traceId) {
        List<SpanRecord> spans = new ArrayList<>();
        TraceState[] state = {null};
        Set<Integer> read = local.forEachPartition(Stores.TRACE_SPANS, traceId, p -> {
            ReadOnlyWindowStore<String, SpanRecord> store = local.window(Stores.TRACE_SPANS, p);
            try (WindowStoreIterator<SpanRecord> it = store.fetch(traceId, Instant.EPOCH, FAR_FUTURE)) {
                while (it.hasNext()) spans.add(it.next().value);
            }
            if (spans.isEmpty()) return; // no spans (expired or never seen): no trace to describe
            // The state is in the retention bucket of the trace's first span, so within [first - 2R, last + R].
            // Never fetch a cached window store over all time: its cache is walked segment by segment
            // through the whole range (that made one lookup take 140 ms).
            long first = spans.stream().mapToLong(SpanRecord::startMillis).min().orElseThrow();
            long last = spans.stream().mapToLong(SpanRecord::startMillis).max().orElseThrow();
            ReadOnlyWindowStore<String, TraceState> states = local.window(Stores.TRACE_STATES, p);
            try (WindowStoreIterator<TraceState> it = states.fetch(
                    traceId,
                    Instant.ofEpochMilli(first - 2 * traceRetentionMs),
                    Instant.ofEpochMilli(last + traceRetentionMs))) {
                while (it.hasNext()) {
                    TraceState s = it.next().value;
                    if (state[0] == null || s.spanCount() > state[0].spanCount()) state[0] = s;
                }
            }
        });
        return part(read, traceId, state[0], spans);
    }

    /**
     * The spans of one trace in start order (ties: span id) with the summary and critical path that describe them
     * ({@link #current}): from the stream stores, or read back from the search archive ({@code stored} null).
     */
    static SpansPart part(Set<Integer> read, String traceId, TraceState stored, List<SpanRecord> spans) {
        List<SpanRecord> ordered = new ArrayList<>(spans);
        ordered.sort(Comparator.comparingLong(SpanRecord::startNanos).thenComparing(SpanRecord::spanId));
        TraceState s = current(traceId, stored, ordered);
        return new SpansPart(read, ordered, s == null ? null : s.summary(), s == null ? List.of() : s.criticalPath());
    }

    /**
     * The trace state that describes exactly {@code spans}: the stored one, or one made from the
     * spans when the stored one has fewer. The spans are written as they arrive, the state once per
     * commit (written behind, ADR 014), so for up to a commit interval a lookup can read spans the
     * stored summary and critical path do not count yet.
     */
    static TraceState current(String traceId, TraceState stored, List<SpanRecord> spans) {
        if (spans.isEmpty() || (stored != null && stored.spanCount() >= spans.size())) return stored;
        TraceState made = TraceState.empty(traceId);
        for (SpanRecord span : spans) made.add(span, Integer.MAX_VALUE); // the store kept no more than the bound
        return made;
    }

    /**
     * The newest {@code limit} traces matching {@code query} (start within its time range). With a
     * service, only that service's index entries are read; without, every entry (one per service of
     * a trace) is read and traces are de-duplicated.
     */
    TracesPart traces(TraceQuery query, int limit) {
        PriorityQueue<TraceSummary> newest = new PriorityQueue<>(NEWEST_FIRST.reversed());
        Set<String> seen = new HashSet<>();
        Instant from = Instant.ofEpochMilli(query.fromMillis());
        Instant to = Instant.ofEpochMilli(query.toMillis());
        boolean detailed = query.operation() != null || !query.tags().isEmpty();
        Set<Integer> read = local.forEachPartition(Stores.TRACE_INDEX, null, p -> {
            ReadOnlyWindowStore<String, TraceSummary> store = local.window(Stores.TRACE_INDEX, p);
            ReadOnlyWindowStore<String, TraceState> states = detailed ? local.window(Stores.TRACE_STATES, p) : null;
            try (KeyValueIterator<Windowed<String>, TraceSummary> it = query.service() != null
                    ? store.fetch(
                            Stores.traceIndexKey(query.service(), ""),
                            Stores.traceIndexKey(query.service(), "\uffff"),
                            from,
                            to)
                    : store.fetchAll(from, to)) {
                while (it.hasNext()) {
                    var kv = it.next();
                    TraceSummary t = kv.value;
                    if (seen.contains(t.traceId())) continue;
                    if (detailed) {
                        // index entries carry no operations or tags (TraceSummary#withoutDetail): ask the trace's state
                        if (!query.withoutDetail().matches(t)) continue;
                        t = detail(states, t, kv.key.window().start());
                        if (t == null) continue;
                    }
                    if (!query.matches(t)) continue;
                    seen.add(t.traceId());
                    newest.add(t);
                    if (newest.size() > limit) newest.poll();
                }
            }
        });
        List<TraceSummary> out = new ArrayList<>(newest);
        out.sort(NEWEST_FIRST);
        return new TracesPart(read, out);
    }

    /**
     * The full summary (with operations and tags) of an indexed trace starting at {@code startMillis}; null when its
     * state is gone.
     */
    private TraceSummary detail(ReadOnlyWindowStore<String, TraceState> states, TraceSummary t, long startMillis) {
        // the state is in the retention bucket of the first span that arrived: within [start - R, start + 2R]
        try (WindowStoreIterator<TraceState> it = states.fetch(
                t.traceId(),
                Instant.ofEpochMilli(startMillis - traceRetentionMs),
                Instant.ofEpochMilli(startMillis + 2 * traceRetentionMs))) {
            TraceState best = null;
            while (it.hasNext()) {
                TraceState s = it.next().value;
                if (best == null || s.spanCount() > best.spanCount()) best = s;
            }
            return best == null ? null : best.summary();
        }
    }
}
