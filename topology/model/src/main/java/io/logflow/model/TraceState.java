package io.logflow.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The skeleton of one trace as far as its spans have arrived ({@link
 * io.logflow.model.schema.Stores#TRACE_STATES}): one small {@link Stub} per span plus the trace's bounded tag set.
 * Spans arrive in any order and may
 * be re-delivered; the state de-duplicates them by span id, bounds the trace to {@code maxSpans},
 * reports each cross-service parent/child pair once as a dependency {@link Edge} (whichever of the
 * two arrives first) and gives the {@link #summary()} and {@link #criticalPath()} without reading
 * the spans themselves. Mutable: the Streams aggregator updates it in place.
 */
public final class TraceState {
    private static final int VERSION = 1;

    /** Roots and critical-path starts: earliest first, then longest, then by span id (any arrival order agrees). */
    static final Comparator<Stub> EARLIEST_LONGEST = Comparator.comparingLong(Stub::startNanos)
            .thenComparing(Comparator.comparingLong(Stub::durationNanos).reversed())
            .thenComparing(Stub::spanId);

    /** What {@link #add} did with a span. */
    public enum Outcome {
        ADDED,
        DUPLICATE,
        FULL
    }

    /** The outcome and, for ADDED, the dependency edges the span completed (often none). */
    public record AddResult(Outcome outcome, List<Edge> edges) {
        private static final AddResult DUPLICATE = new AddResult(Outcome.DUPLICATE, List.of());
        private static final AddResult FULL = new AddResult(Outcome.FULL, List.of());

        public AddResult {
            requireNonNull(outcome, "outcome");
            edges = List.copyOf(edges);
        }
    }

    /**
     * One call from a service to another: a parent span and its child in a different service.
     *
     * @param durationNanos what the caller waited (the CLIENT span's duration for a CLIENT → SERVER
     *     pair), else the callee's span duration
     * @param error the callee's span failed, or (for a CLIENT → SERVER pair) the caller's did
     * @param timeMillis the callee span's start, epoch millis: the window the call is counted in
     */
    public record Edge(String caller, String callee, long durationNanos, boolean error, long timeMillis) {
        public Edge {
            requireNonNull(caller, "caller");
            requireNonNull(callee, "callee");
        }

        static Edge between(Stub parent, Stub child) {
            boolean rpc = parent.kind() == SpanRecord.Kind.CLIENT && child.kind() == SpanRecord.Kind.SERVER;
            return new Edge(
                    parent.service(),
                    child.service(),
                    rpc ? parent.durationNanos() : child.durationNanos(),
                    child.error() || (rpc && parent.error()),
                    child.startMillis());
        }
    }

    /** What the state keeps of a span. */
    public record Stub(
            String spanId,
            String parentSpanId,
            String service,
            String name,
            SpanRecord.Kind kind,
            long startNanos,
            long durationNanos,
            boolean error) {
        public Stub {
            requireNonNull(spanId, "spanId");
            requireNonNull(service, "service");
            requireNonNull(name, "name");
            requireNonNull(kind, "kind");
            if (durationNanos < 0) throw new IllegalArgumentException("durationNanos must be >= 0");
        }

        static Stub of(SpanRecord s) {
            return new Stub(
                    s.spanId(),
                    s.parentSpanId(),
                    s.service(),
                    s.name(),
                    s.kind(),
                    s.startNanos(),
                    s.durationNanos(),
                    s.isError());
        }

        public long endNanos() {
            return startNanos + durationNanos;
        }

        public long startMillis() {
            return Math.floorDiv(startNanos, 1_000_000L);
        }
    }

    private final String traceId;
    private final List<Stub> stubs;
    private final TreeSet<String> tags;
    private Map<String, Integer> indexBySpanId; // built on first use, not stored

    private TraceState(String traceId, List<Stub> stubs, TreeSet<String> tags) {
        this.traceId = requireNonNull(traceId, "traceId");
        this.stubs = stubs;
        this.tags = tags;
    }

    public static TraceState empty(String traceId) {
        return new TraceState(traceId, new ArrayList<>(), new TreeSet<>());
    }

    /**
     * Adds a span of this trace unless its span id is already here (DUPLICATE) or the trace already
     * holds {@code maxSpans} spans (FULL); either way nothing changes then, and a span not kept
     * completes no edges. O(spans).
     *
     * @throws IllegalArgumentException when the span belongs to another trace
     */
    public AddResult add(SpanRecord span, int maxSpans) {
        if (!traceId.equals(span.traceId())) {
            throw new IllegalArgumentException("span of trace " + span.traceId() + " added to trace " + traceId);
        }
        if (contains(span.spanId())) return AddResult.DUPLICATE;
        if (stubs.size() >= maxSpans) return AddResult.FULL;
        Stub stub = Stub.of(span);
        List<Edge> edges = edgesCompletedBy(stub);
        index().put(stub.spanId(), stubs.size());
        stubs.add(stub);
        for (Map.Entry<String, String> a : span.attributes().entrySet()) addTag(a.getKey(), a.getValue());
        return new AddResult(Outcome.ADDED, edges);
    }

    /** The edges to the new span's parent and from its children, among the spans already here. */
    private List<Edge> edgesCompletedBy(Stub stub) {
        List<Edge> edges = new ArrayList<>(1);
        Integer parent = stub.parentSpanId() == null ? null : index().get(stub.parentSpanId());
        if (parent != null && !stubs.get(parent).service().equals(stub.service())) {
            edges.add(Edge.between(stubs.get(parent), stub));
        }
        for (Stub other : stubs) {
            if (stub.spanId().equals(other.parentSpanId()) && !other.service().equals(stub.service())) {
                edges.add(Edge.between(stub, other));
            }
        }
        return edges;
    }

    private void addTag(String key, String value) {
        if (key == null || value == null || value.length() > TraceSummary.MAX_TAG_VALUE_LENGTH) return;
        if (tags.size() < TraceSummary.MAX_TAGS) tags.add(TraceSummary.tagKey(key, value));
    }

    private Map<String, Integer> index() {
        if (indexBySpanId == null) {
            indexBySpanId = new HashMap<>(Math.max(16, stubs.size() * 2));
            for (int i = 0; i < stubs.size(); i++)
                indexBySpanId.put(stubs.get(i).spanId(), i);
        }
        return indexBySpanId;
    }

    public String traceId() {
        return traceId;
    }

    public boolean contains(String spanId) {
        return index().containsKey(spanId);
    }

    public int spanCount() {
        return stubs.size();
    }

    /** The stubs in the order their spans arrived. */
    public List<Stub> stubs() {
        return Collections.unmodifiableList(stubs);
    }

    /** Earliest span start, epoch millis; 0 when empty. */
    public long startMillis() {
        long min = Long.MAX_VALUE;
        for (Stub s : stubs) min = Math.min(min, s.startNanos());
        return stubs.isEmpty() ? 0 : Math.floorDiv(min, 1_000_000L);
    }

    /**
     * The summary of the spans so far. Apart from the bounded operations and tags (first seen kept),
     * it does not depend on the order the spans arrived in.
     */
    public TraceSummary summary() {
        if (stubs.isEmpty()) {
            return new TraceSummary(traceId, null, null, false, 0, 0, 0, 0, List.of(), List.of(), List.of());
        }
        Stub root = null;
        Stub earliest = null;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        int errors = 0;
        Set<String> services = new TreeSet<>();
        Set<String> operations = new LinkedHashSet<>();
        for (Stub s : stubs) {
            if (s.parentSpanId() == null && (root == null || EARLIEST_LONGEST.compare(s, root) < 0)) root = s;
            if (earliest == null || EARLIEST_LONGEST.compare(s, earliest) < 0) earliest = s;
            start = Math.min(start, s.startNanos());
            end = Math.max(end, s.endNanos());
            if (s.error()) errors++;
            services.add(s.service());
            if (operations.size() < TraceSummary.MAX_OPERATIONS)
                operations.add(TraceSummary.operationKey(s.service(), s.name()));
        }
        Stub shown = root != null ? root : earliest;
        return new TraceSummary(
                traceId,
                shown.service(),
                shown.name(),
                root != null,
                start,
                end - start,
                stubs.size(),
                errors,
                List.copyOf(services),
                List.copyOf(operations),
                List.copyOf(tags));
    }

    /** The chain of spans that determined the trace's duration (see {@link CriticalPath}). */
    public List<CriticalPath.Segment> criticalPath() {
        return CriticalPath.compute(stubs);
    }

    /**
     * Version, trace id, the earliest start, then per stub: span id as bytes, parent as the number
     * of its stub when present, service and name interned, kind and error in one byte, start relative
     * to the earliest, duration; then the tags. About 23 bytes per span (against 50+ as text).
     */
    public byte[] toBytes() {
        long base = Long.MAX_VALUE;
        for (Stub s : stubs) base = Math.min(base, s.startNanos());
        if (stubs.isEmpty()) base = 0;
        Binary.Writer w = new Binary.Writer(32 + 24 * stubs.size());
        StringTable.Writer strings = new StringTable.Writer();
        w.writeByte(VERSION);
        HexIds.write(w, traceId);
        w.writeVarLong(base).writeVarInt(stubs.size());
        for (Stub s : stubs) {
            HexIds.write(w, s.spanId());
            writeParent(w, s.parentSpanId());
            strings.write(w, s.service());
            strings.write(w, s.name());
            w.writeByte(s.kind().ordinal() | (s.error() ? 0x80 : 0))
                    .writeVarLong(s.startNanos() - base)
                    .writeVarLong(s.durationNanos());
        }
        w.writeVarInt(tags.size());
        for (String t : tags) w.writeString(t);
        return w.toByteArray();
    }

    /** 0 = none, k + 2 = the k-th stub, 1 = a span that is not here (its id follows). */
    private void writeParent(Binary.Writer w, String parentSpanId) {
        Integer k = parentSpanId == null ? null : index().get(parentSpanId);
        if (parentSpanId == null) {
            w.writeVarInt(0);
        } else if (k != null) {
            w.writeVarInt(k + 2);
        } else {
            w.writeVarInt(1);
            HexIds.write(w, parentSpanId);
        }
    }

    public static TraceState fromBytes(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        StringTable.Reader strings = new StringTable.Reader();
        int version = r.readByte();
        if (version != VERSION) throw new IllegalArgumentException("unknown TraceState encoding version " + version);
        String traceId = HexIds.read(r);
        long base = r.readVarLong();
        int n = r.readVarInt();
        String[] spanIds = new String[n];
        int[] parentRefs = new int[n];
        String[] missingParents = new String[n];
        Stub[] partial = new Stub[n]; // parents resolved once every span id is known
        for (int i = 0; i < n; i++) {
            spanIds[i] = HexIds.read(r);
            parentRefs[i] = r.readVarInt();
            if (parentRefs[i] == 1) missingParents[i] = HexIds.read(r);
            String service = strings.read(r);
            String name = strings.read(r);
            int flags = r.readByte();
            long start = base + r.readVarLong();
            long duration = r.readVarLong();
            partial[i] = new Stub(
                    spanIds[i],
                    null,
                    service,
                    name,
                    SpanRecord.Kind.ofOrdinal(flags & 0x7F),
                    start,
                    duration,
                    (flags & 0x80) != 0);
        }
        List<Stub> stubs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int ref = parentRefs[i];
            if (ref < 0 || ref - 2 >= n) throw new IllegalArgumentException("bad parent reference " + ref);
            String parent = ref == 0 ? null : ref == 1 ? missingParents[i] : spanIds[ref - 2];
            Stub p = partial[i];
            stubs.add(new Stub(
                    p.spanId(), parent, p.service(), p.name(), p.kind(), p.startNanos(), p.durationNanos(), p.error()));
        }
        TreeSet<String> tags = new TreeSet<>();
        for (int i = r.readVarInt(); i > 0; i--) tags.add(r.readString());
        return new TraceState(traceId, stubs, tags);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceState t && traceId.equals(t.traceId) && stubs.equals(t.stubs) && tags.equals(t.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, stubs, tags);
    }

    @Override
    public String toString() {
        return "TraceState[" + traceId + ", " + stubs.size() + " spans, " + tags.size() + " tags]";
    }
}
