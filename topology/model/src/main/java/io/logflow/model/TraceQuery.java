package io.logflow.model;

import java.util.Map;

/**
 * A trace search: which {@link TraceSummary summaries} to return. Every criterion must hold; a null
 * criterion (or empty {@code tags}) matches any trace. A pure filter, applied by each instance to
 * its part of {@link io.logflow.model.schema.Stores#TRACE_INDEX}.
 *
 * @param service a service with a span in the trace, or null
 * @param operation a span name: of {@code service} when one is given, else of any service; or null
 * @param minDurationNanos shortest trace duration, inclusive, or null
 * @param maxDurationNanos longest trace duration, inclusive, or null
 * @param error true: only traces with an error span; false: only traces without; null: any
 * @param tags attributes that spans of the trace must have had (compared as text, see {@link
 *     TraceSummary#hasTag})
 * @param fromMillis earliest trace start, epoch millis, inclusive
 * @param toMillis latest trace start, epoch millis, inclusive
 */
public record TraceQuery(
        String service,
        String operation,
        Long minDurationNanos,
        Long maxDurationNanos,
        Boolean error,
        Map<String, String> tags,
        long fromMillis,
        long toMillis) {

    public TraceQuery {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (fromMillis > toMillis) throw new IllegalArgumentException("fromMillis must not be after toMillis");
        if (minDurationNanos != null && maxDurationNanos != null && minDurationNanos > maxDurationNanos) {
            throw new IllegalArgumentException("minDurationNanos must not exceed maxDurationNanos");
        }
    }

    public boolean matches(TraceSummary s) {
        long start = s.startMillis();
        if (start < fromMillis || start > toMillis) return false;
        if (minDurationNanos != null && s.durationNanos() < minDurationNanos) return false;
        if (maxDurationNanos != null && s.durationNanos() > maxDurationNanos) return false;
        if (error != null && s.error() != error) return false;
        if (!matchesServiceAndOperation(s)) return false;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!s.hasTag(tag.getKey(), tag.getValue())) return false;
        }
        return true;
    }

    private boolean matchesServiceAndOperation(TraceSummary s) {
        if (operation == null) return service == null || s.hasService(service);
        return service == null ? s.anyServiceHasOperation(operation) : s.hasOperation(service, operation);
    }

    /** This query without its operation and tag filters (what an index entry without detail can answer). */
    public TraceQuery withoutDetail() {
        return new TraceQuery(
                service, null, minDurationNanos, maxDurationNanos, error, java.util.Map.of(), fromMillis, toMillis);
    }
}
