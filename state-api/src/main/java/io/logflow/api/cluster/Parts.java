package io.logflow.api.cluster;

import io.logflow.api.query.Counts;

import io.logflow.model.CriticalPath;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceSummary;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one instance answers about its own share of the state stores, on {@code /internal/v1/...}.
 * Every part names the partitions it covers, so that the instance merging them can prove the
 * answer is complete (every partition exactly once) instead of silently partial.
 */
public final class Parts {
  private Parts() {}

  public sealed interface Part permits ServicesPart, StatsPart, SeriesPart, LogsPart, SpansPart, TracesPart, SpanMetricsPart {
    /** Every partition of the store this part was read from. */
    Set<Integer> partitions();
  }

  /** Service registry entries (all time). */
  public record ServicesPart(Set<Integer> partitions, Map<String, Counts> services) implements Part {}

  /** Per service: counts summed over the windows of a time range, and its top error templates merged over those windows. */
  public record StatsPart(Set<Integer> partitions, Map<String, Counts> totals, Map<String, List<TopErrors.Entry>> topErrors) implements Part {}

  /** Counts per time bucket (bucket start, epoch millis). */
  public record SeriesPart(Set<Integer> partitions, Map<Long, Counts> buckets) implements Part {}

  /** Logs, newest first (recent) or oldest first (trace). */
  public record LogsPart(Set<Integer> partitions, List<LogRecord> logs) implements Part {}

  /** The spans of one trace (start order), its summary and critical path; null summary when the trace is unknown here. */
  public record SpansPart(Set<Integer> partitions, List<SpanRecord> spans, TraceSummary summary, List<CriticalPath.Segment> criticalPath) implements Part {}

  /** Trace summaries matching a search, newest first, at most the limit asked for. */
  public record TracesPart(Set<Integer> partitions, List<TraceSummary> traces) implements Part {}

  /** {@link io.logflow.model.SpanMetrics} in bytes (mergeable sketches), summed over a time range, by key (operation or edge). */
  public record SpanMetricsPart(Set<Integer> partitions, Map<String, byte[]> metrics) implements Part {}
}
