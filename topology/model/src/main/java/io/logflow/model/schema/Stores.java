package io.logflow.model.schema;

import io.logflow.model.TraceSummary;

/** Names of every state store, shared by the topology (which builds them) and the API (which queries them). */
public final class Stores {
  private Stores() {}

  /** Window store, key service, value {@link io.logflow.model.LogCounts}: 1-minute tumbling windows. */
  public static final String SERVICE_STATS = "service-stats-1m";

  /** Window store, key service, value {@link io.logflow.model.TopErrors}: error templates per 1-minute window. */
  public static final String SERVICE_ERRORS = "service-errors-1m";

  /** Key-value store, key service, value {@link io.logflow.model.LogCounts} over all time: the service registry. */
  public static final String SERVICES = "services";

  /** Key-value store, key {@link io.logflow.model.RecentLogKey} (service, level, slot), value {@link io.logflow.model.LogRecord}: ring buffers of recent logs. */
  public static final String RECENT_LOGS = "recent-logs";

  /** Key-value store, key "service|level", value next ring slot (Long). */
  public static final String RECENT_LOGS_CURSOR = "recent-logs-cursor";

  /** Window store with duplicates, key trace id, value {@link io.logflow.model.LogRecord}: the logs of each trace. */
  public static final String TRACE_LOGS = "trace-logs";

  /** Window store, key trace id, value count (Long): bounds the logs kept per trace. */
  public static final String TRACE_LOG_COUNTS = "trace-log-counts";

  /**
   * Window store with duplicates, key trace id, value {@link io.logflow.model.SpanRecord} (binary), timestamp the
   * span's start millis: every span of every trace, partitioned like {@code logflow.spans}.
   */
  public static final String TRACE_SPANS = "trace-spans";

  /**
   * Window store, key trace id, value {@link io.logflow.model.TraceState}, window = one trace-retention bucket
   * (aligned to the epoch) holding the trace's first span: the assembled skeleton of each trace
   * (summary, one stub per span, for de-duplication, dependency edges and the critical path).
   */
  public static final String TRACE_STATES = "trace-states";

  /**
   * Window store, key {@link #traceIndexKey(String, String)} (service, trace id), value {@link
   * TraceSummary}, timestamp the trace's start millis: one entry per service of each trace, for
   * search by service and time range, newest first. Partial per partition: queries fan out.
   */
  public static final String TRACE_INDEX = "trace-index";

  /**
   * Window store, 1-minute windows by span start, key {@link #spanMetricsKey(String, String)}
   * (service, operation; operation "" for the whole service), value {@link io.logflow.model.SpanMetrics}. Partial
   * per partition ({@code logflow.spans} is keyed by trace id): queries fan out and merge.
   */
  public static final String SPAN_METRICS = "span-metrics-1m";

  /**
   * Window store, 1-minute windows by callee span start, key {@link #edgeKey(String, String)}
   * (caller, callee), value {@link io.logflow.model.SpanMetrics} of the calls. Partial per partition, like {@link
   * #SPAN_METRICS}.
   */
  public static final String SERVICE_EDGES = "service-edges-1m";

  /** Global key-value store, key rule id, value rule JSON: every alert rule, on every instance (from {@code logflow.alert-rules}). */
  public static final String ALERT_RULES = "alert-rules";

  /** Global key-value store, key alert id, value its manual RESOLVED event: the manual resolves (from {@code logflow.alert-resets}). */
  public static final String ALERT_RESETS = "alert-resets";

  /** Key-value store, key {@code ruleId|service}, value the rule's recent log counts for the service (time buckets). */
  public static final String ALERT_LOG_WINDOWS = "alert-log-windows";

  /** Key-value store, key {@code ruleId|service}, value the firing state of a log rule for the service (absent = OK). */
  public static final String ALERT_LOG_STATUS = "alert-log-status";

  /** Like {@link #ALERT_LOG_WINDOWS}, for span rules (latency, span error rate), partitioned by service. */
  public static final String ALERT_SPAN_WINDOWS = "alert-span-windows";

  /** Like {@link #ALERT_LOG_STATUS}, for span rules. */
  public static final String ALERT_SPAN_STATUS = "alert-span-status";

  /** Separates the parts of composite store keys; never part of a service or operation name we store. */
  public static final char KEY_SEPARATOR = TraceSummary.KEY_SEPARATOR;

  public static String traceIndexKey(String service, String traceId) {
    return service + KEY_SEPARATOR + traceId;
  }

  public static String spanMetricsKey(String service, String operation) {
    return operation == null || operation.isEmpty() ? service : service + KEY_SEPARATOR + operation;
  }

  public static String edgeKey(String caller, String callee) {
    return caller + KEY_SEPARATOR + callee;
  }

  /** Window size of the per-service statistics. */
  public static final long STATS_WINDOW_MS = 60_000L;
}
