package io.logflow.model.schema;

import static io.logflow.model.schema.StoreSpec.Kind.GLOBAL_KEY_VALUE;
import static io.logflow.model.schema.StoreSpec.Kind.KEY_VALUE;
import static io.logflow.model.schema.StoreSpec.Kind.WINDOW;
import static io.logflow.model.schema.StoreSpec.Kind.WINDOW_WITH_DUPLICATES;

import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every state store, with its kind and serdes: shared by the topology (which builds them from these
 * specs) and the API (which queries them by name). Every key is a String.
 */
public final class Stores {
    private Stores() {}

    private static final Serde<String> STRING = Serdes.String();
    private static final Serde<Long> LONG = Serdes.Long();
    private static final Serde<byte[]> BYTES = Serdes.ByteArray();

    /** Window store, key service, value {@link LogCounts}: 1-minute tumbling windows. */
    public static final StoreSpec<String, LogCounts> SERVICE_STATS =
            new StoreSpec<>("service-stats-1m", WINDOW, STRING, LogFlowSerdes.logCounts());

    /** Window store, key service, value {@link TopErrors}: error templates per 1-minute window. */
    public static final StoreSpec<String, TopErrors> SERVICE_ERRORS =
            new StoreSpec<>("service-errors-1m", WINDOW, STRING, LogFlowSerdes.topErrors());

    /** Key-value store, key service, value {@link LogCounts} over all time: the service registry. */
    public static final StoreSpec<String, LogCounts> SERVICES =
            new StoreSpec<>("services", KEY_VALUE, STRING, LogFlowSerdes.logCounts());

    /**
     * Key-value store, key {@link RecentLogKey} (service, level, slot), value {@link LogRecord}: ring buffers of recent
     * logs.
     */
    public static final StoreSpec<String, LogRecord> RECENT_LOGS =
            new StoreSpec<>("recent-logs", KEY_VALUE, STRING, LogFlowSerdes.logRecord());

    /** Key-value store, key "service|level", value next ring slot (Long). */
    public static final StoreSpec<String, Long> RECENT_LOGS_CURSOR =
            new StoreSpec<>("recent-logs-cursor", KEY_VALUE, STRING, LONG);

    /** Window store with duplicates, key trace id, value {@link LogRecord}: the logs of each trace. */
    public static final StoreSpec<String, LogRecord> TRACE_LOGS =
            new StoreSpec<>("trace-logs", WINDOW_WITH_DUPLICATES, STRING, LogFlowSerdes.logRecord());

    /** Window store, key trace id, value count (Long): bounds the logs kept per trace. */
    public static final StoreSpec<String, Long> TRACE_LOG_COUNTS =
            new StoreSpec<>("trace-log-counts", WINDOW, STRING, LONG);

    /**
     * Window store with duplicates, key trace id, value {@link SpanRecord} (binary), timestamp the
     * span's start millis: every span of every trace, partitioned like {@code logflow.spans}.
     */
    public static final StoreSpec<String, SpanRecord> TRACE_SPANS =
            new StoreSpec<>("trace-spans", WINDOW_WITH_DUPLICATES, STRING, LogFlowSerdes.spanRecord());

    /**
     * Window store, key trace id, value {@link TraceState}, window = one trace-retention bucket
     * (aligned to the epoch) holding the trace's first span: the assembled skeleton of each trace
     * (summary, one stub per span, for de-duplication, dependency edges and the critical path).
     */
    public static final StoreSpec<String, TraceState> TRACE_STATES =
            new StoreSpec<>("trace-states", WINDOW, STRING, LogFlowSerdes.traceState());

    /**
     * Window store, key {@link #traceIndexKey(String, String)} (service, trace id), value {@link
     * TraceSummary}, timestamp the trace's start millis: one entry per service of each trace, for
     * search by service and time range, newest first. Partial per partition: queries fan out.
     */
    public static final StoreSpec<String, TraceSummary> TRACE_INDEX =
            new StoreSpec<>("trace-index", WINDOW, STRING, LogFlowSerdes.traceSummary());

    /**
     * Window store, 1-minute windows by span start, key {@link #spanMetricsKey(String, String)}
     * (service, operation; operation "" for the whole service), value {@link SpanMetrics}. Partial
     * per partition ({@code logflow.spans} is keyed by trace id): queries fan out and merge.
     */
    public static final StoreSpec<String, SpanMetrics> SPAN_METRICS =
            new StoreSpec<>("span-metrics-1m", WINDOW, STRING, LogFlowSerdes.spanMetrics());

    /**
     * Window store, 1-minute windows by callee span start, key {@link #edgeKey(String, String)}
     * (caller, callee), value {@link SpanMetrics} of the calls. Partial per partition, like {@link
     * #SPAN_METRICS}.
     */
    public static final StoreSpec<String, SpanMetrics> SERVICE_EDGES =
            new StoreSpec<>("service-edges-1m", WINDOW, STRING, LogFlowSerdes.spanMetrics());

    /**
     * Global key-value store, key rule id, value rule JSON: every alert rule, on every instance (from {@code
     * logflow.alert-rules}).
     */
    public static final StoreSpec<String, byte[]> ALERT_RULES =
            new StoreSpec<>("alert-rules", GLOBAL_KEY_VALUE, STRING, BYTES);

    /**
     * Global key-value store, key alert id, value its manual RESOLVED event: the manual resolves (from {@code
     * logflow.alert-resets}).
     */
    public static final StoreSpec<String, byte[]> ALERT_RESETS =
            new StoreSpec<>("alert-resets", GLOBAL_KEY_VALUE, STRING, BYTES);

    /**
     * Key-value store, key {@code ruleId|service}, value the rule's recent log counts for the service (time buckets).
     */
    public static final StoreSpec<String, byte[]> ALERT_LOG_WINDOWS =
            new StoreSpec<>("alert-log-windows", KEY_VALUE, STRING, BYTES);

    /**
     * Key-value store, key {@code ruleId|service}, value the firing state of a log rule for the service (absent = OK).
     */
    public static final StoreSpec<String, byte[]> ALERT_LOG_STATUS =
            new StoreSpec<>("alert-log-status", KEY_VALUE, STRING, BYTES);

    /** Like {@link #ALERT_LOG_WINDOWS}, for span rules (latency, span error rate), partitioned by service. */
    public static final StoreSpec<String, byte[]> ALERT_SPAN_WINDOWS =
            new StoreSpec<>("alert-span-windows", KEY_VALUE, STRING, BYTES);

    /** Like {@link #ALERT_LOG_STATUS}, for span rules. */
    public static final StoreSpec<String, byte[]> ALERT_SPAN_STATUS =
            new StoreSpec<>("alert-span-status", KEY_VALUE, STRING, BYTES);

    /** Every store of the topology. */
    public static final List<StoreSpec<?, ?>> ALL = List.of(
            SERVICE_STATS,
            SERVICE_ERRORS,
            SERVICES,
            RECENT_LOGS,
            RECENT_LOGS_CURSOR,
            TRACE_LOGS,
            TRACE_LOG_COUNTS,
            TRACE_SPANS,
            TRACE_STATES,
            TRACE_INDEX,
            SPAN_METRICS,
            SERVICE_EDGES,
            ALERT_RULES,
            ALERT_LOG_WINDOWS,
            ALERT_LOG_STATUS,
            ALERT_SPAN_WINDOWS,
            ALERT_SPAN_STATUS,
            ALERT_RESETS);

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
