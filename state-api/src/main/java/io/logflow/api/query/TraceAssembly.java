package io.logflow.api.query;

import io.logflow.api.query.TraceStores.SpansPart;
import io.logflow.model.CriticalPath;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.TraceSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One trace as the API shows it (pure): its spans as a tree (depth-first, children by start time),
 * the critical path, and every service's logs linked to the spans that wrote them.
 */
final class TraceAssembly {
    private TraceAssembly() {}

    record SummaryView(
            String traceId,
            String rootService,
            String rootOperation,
            boolean rootKnown,
            String start,
            long startNanos,
            double durationMs,
            int spanCount,
            int errorCount,
            boolean error,
            List<String> services) {
        static SummaryView of(TraceSummary s) {
            return new SummaryView(
                    s.traceId(),
                    s.rootService(),
                    s.rootOperation(),
                    s.rootKnown(),
                    Instant.ofEpochSecond(0, s.startNanos()).toString(),
                    s.startNanos(),
                    millis(s.durationNanos()),
                    s.spanCount(),
                    s.errorCount(),
                    s.error(),
                    s.services());
        }
    }

    record SegmentView(String spanId, String service, String name, double offsetMs, double durationMs) {}

    /** One span of the tree; absent fields (no parent, no status message, no events, ...) are left out. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    record SpanView(
            String spanId,
            String parentSpanId,
            int depth,
            String service,
            String name,
            SpanRecord.Kind kind,
            String start,
            long startNanos,
            double offsetMs,
            double durationMs,
            SpanRecord.Status status,
            String statusMessage,
            String scope,
            Map<String, String> attributes,
            List<SpanRecord.Event> events,
            List<SpanRecord.Link> links,
            int logCount,
            double criticalPathMs) {}

    /** A log of the trace; {@code spanInTrace} says whether its span id is one of the trace's spans. */
    record TraceLogView(
            String eventId,
            long timestamp,
            String service,
            Level level,
            String message,
            String spanId,
            boolean spanInTrace,
            String requestId,
            String correlationId,
            Map<String, String> labels) {}

    /** @param resources the resource attributes of each service's spans (once per service, not per span) */
    record TraceView(
            String traceId,
            SummaryView summary,
            List<SegmentView> criticalPath,
            int spanCount,
            List<SpanView> spans,
            Map<String, Map<String, String>> resources,
            int logCount,
            List<TraceLogView> logs,
            String source) {}

    /** Where a trace was read: the stream stores, or the search archive after the stream stores' retention. */
    static final String STREAM = "stream";

    static final String ARCHIVE = "elasticsearch";

    /**
     * Spans as a tree (depth-first, children by start time), logs linked to their spans. Every span
     * is shown once: a span whose parent is unknown is a root; spans that no root leads to (their
     * parent ids form a cycle) are shown from the earliest of them.
     *
     * @param logs in time order, as {@link TraceLogs#logs} merges them
     */
    static TraceView assemble(String traceId, SpansPart part, List<LogRecord> logs, String source) {
        List<SpanRecord> spans = part.spans();
        Map<String, SpanRecord> byId = new HashMap<>();
        for (SpanRecord s : spans) byId.putIfAbsent(s.spanId(), s);
        Map<String, List<SpanRecord>> children = new HashMap<>();
        List<SpanRecord> roots = new ArrayList<>();
        for (SpanRecord s : byId.values()) {
            if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId()))
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>())
                        .add(s);
            else roots.add(s);
        }
        Comparator<SpanRecord> byStart =
                Comparator.comparingLong(SpanRecord::startNanos).thenComparing(SpanRecord::spanId);
        roots.sort(byStart);
        children.values().forEach(l -> l.sort(byStart));

        Map<String, Integer> logsPerSpan = new HashMap<>();
        List<TraceLogView> logViews = new ArrayList<>(logs.size());
        for (LogRecord l : logs) {
            boolean inTrace = l.spanId() != null && byId.containsKey(l.spanId());
            if (inTrace) logsPerSpan.merge(l.spanId(), 1, Integer::sum);
            logViews.add(new TraceLogView(
                    l.eventId(),
                    l.timestamp(),
                    l.service(),
                    l.level(),
                    l.message(),
                    l.spanId(),
                    inTrace,
                    l.requestId(),
                    l.correlationId(),
                    l.labels()));
        }

        long traceStart = part.summary() != null
                ? part.summary().startNanos()
                : spans.stream().mapToLong(SpanRecord::startNanos).min().orElse(0);
        Map<String, Long> criticalNanos = new HashMap<>();
        List<SegmentView> path = new ArrayList<>();
        for (CriticalPath.Segment seg : part.criticalPath()) {
            criticalNanos.merge(seg.spanId(), seg.endNanos() - seg.startNanos(), Long::sum);
            path.add(new SegmentView(
                    seg.spanId(),
                    seg.service(),
                    seg.name(),
                    millis(seg.startNanos() - traceStart),
                    millis(seg.endNanos() - seg.startNanos())));
        }

        Map<String, Map<String, String>> resources = new TreeMap<>();
        for (SpanRecord s : spans) if (!s.resource().isEmpty()) resources.putIfAbsent(s.service(), s.resource());
        List<SpanView> tree = new ArrayList<>(byId.size());
        Set<String> visited = new HashSet<>();
        for (SpanRecord root : roots) walk(root, 0, children, tree, visited, traceStart, logsPerSpan, criticalNanos);
        // spans no root leads to (a cycle of parent ids, and what hangs from it): walked from the earliest not yet
        // shown
        List<SpanRecord> rest = new ArrayList<>();
        for (SpanRecord s : byId.values()) if (!visited.contains(s.spanId())) rest.add(s);
        rest.sort(byStart);
        for (SpanRecord s : rest) walk(s, 0, children, tree, visited, traceStart, logsPerSpan, criticalNanos);
        SummaryView summary = part.summary() == null ? null : SummaryView.of(part.summary());
        return new TraceView(traceId, summary, path, tree.size(), tree, resources, logViews.size(), logViews, source);
    }

    private static void walk(
            SpanRecord s,
            int depth,
            Map<String, List<SpanRecord>> children,
            List<SpanView> out,
            Set<String> visited,
            long traceStart,
            Map<String, Integer> logsPerSpan,
            Map<String, Long> criticalNanos) {
        if (!visited.add(s.spanId())) return; // a cycle of bad parent ids cannot loop
        out.add(new SpanView(
                s.spanId(),
                s.parentSpanId(),
                depth,
                s.service(),
                s.name(),
                s.kind(),
                Instant.ofEpochSecond(0, s.startNanos()).toString(),
                s.startNanos(),
                millis(s.startNanos() - traceStart),
                millis(s.durationNanos()),
                s.status(),
                s.statusMessage(),
                s.scope(),
                s.attributes(),
                s.events(),
                s.links(),
                logsPerSpan.getOrDefault(s.spanId(), 0),
                millis(criticalNanos.getOrDefault(s.spanId(), 0L))));
        for (SpanRecord c : children.getOrDefault(s.spanId(), List.of()))
            walk(c, depth + 1, children, out, visited, traceStart, logsPerSpan, criticalNanos);
    }

    static double millis(long nanos) {
        return round(nanos / 1e6);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
