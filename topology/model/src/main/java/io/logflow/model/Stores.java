package io.logflow.model;

/** Names of every state store, shared by the topology (which builds them) and the API (which queries them). */
public final class Stores {
  private Stores() {}

  /** Window store, key service, value {@link LogCounts}: 1-minute tumbling windows. */
  public static final String SERVICE_STATS = "service-stats-1m";

  /** Window store, key service, value {@link TopErrors}: error templates per 1-minute window. */
  public static final String SERVICE_ERRORS = "service-errors-1m";

  /** Key-value store, key service, value {@link LogCounts} over all time: the service registry. */
  public static final String SERVICES = "services";

  /** Key-value store, key {@link RecentLogKey} (service, level, slot), value {@link LogRecord}: ring buffers of recent logs. */
  public static final String RECENT_LOGS = "recent-logs";

  /** Key-value store, key "service|level", value next ring slot (Long). */
  public static final String RECENT_LOGS_CURSOR = "recent-logs-cursor";

  /** Window store with duplicates, key trace id, value {@link LogRecord}: the logs of each trace. */
  public static final String TRACE_LOGS = "trace-logs";

  /** Window store, key trace id, value count (Long): bounds the logs kept per trace. */
  public static final String TRACE_LOG_COUNTS = "trace-log-counts";

  /** Window size of the per-service statistics. */
  public static final long STATS_WINDOW_MS = 60_000L;
}
