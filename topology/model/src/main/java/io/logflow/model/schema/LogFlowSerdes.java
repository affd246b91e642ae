package io.logflow.model.schema;

import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.LogRecordBinary;
import io.logflow.model.SpanMetrics;
import io.logflow.model.SpanRecord;
import io.logflow.model.SpanRecordBinary;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceState;
import io.logflow.model.TraceSummary;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The serdes of every LogFlow type, for topics, repartitions and stores. */
public final class LogFlowSerdes {
    private LogFlowSerdes() {}

    private static final Serde<LogRecord> ECS = of(EcsJson::write, EcsJson::read);
    private static final Serde<LogRecord> LOG_RECORD = of(LogRecordBinary::write, LogRecordBinary::read);
    private static final Serde<LogCounts> LOG_COUNTS = of(LogCounts::toBytes, LogCounts::fromBytes);
    private static final Serde<TopErrors> TOP_ERRORS = of(TopErrors::toBytes, TopErrors::fromBytes);
    private static final Serde<TraceState> TRACE_STATE = of(TraceState::toBytes, TraceState::fromBytes);
    private static final Serde<TraceSummary> TRACE_SUMMARY = of(TraceSummary::toBytes, TraceSummary::fromBytes);
    private static final Serde<SpanMetrics> SPAN_METRICS = of(SpanMetrics::toBytes, SpanMetrics::fromBytes);
    private static final Serde<SpanRecord> SPAN_RECORD = of(SpanRecordBinary::write, SpanRecordBinary::read);
    private static final Serde<SpanRecord> SPAN_JSON = of(SpanJson::write, SpanJson::read);

    /** ECS JSON, the {@code logflow.logs} format. */
    public static Serde<LogRecord> ecsJson() {
        return ECS;
    }

    /** Compact binary, for stores and repartition topics. */
    public static Serde<LogRecord> logRecord() {
        return LOG_RECORD;
    }

    public static Serde<LogCounts> logCounts() {
        return LOG_COUNTS;
    }

    public static Serde<TopErrors> topErrors() {
        return TOP_ERRORS;
    }

    /** Compact binary, for {@link Stores#TRACE_STATES}. */
    public static Serde<TraceState> traceState() {
        return TRACE_STATE;
    }

    /** Compact binary, for {@link Stores#TRACE_INDEX}. */
    public static Serde<TraceSummary> traceSummary() {
        return TRACE_SUMMARY;
    }

    /** Compact binary, for {@link Stores#SPAN_METRICS} and {@link Stores#SERVICE_EDGES}. */
    public static Serde<SpanMetrics> spanMetrics() {
        return SPAN_METRICS;
    }

    /** Compact binary spans, for stores and repartition topics. */
    public static Serde<SpanRecord> spanRecord() {
        return SPAN_RECORD;
    }

    /** JSON spans, the {@code logflow.spans} format ({@link SpanJson}). */
    public static Serde<SpanRecord> spanJson() {
        return SPAN_JSON;
    }

    static <T> Serde<T> of(java.util.function.Function<T, byte[]> write, java.util.function.Function<byte[], T> read) {
        Serializer<T> ser = (topic, value) -> value == null ? null : write.apply(value);
        Deserializer<T> de = (topic, bytes) -> bytes == null ? null : read.apply(bytes);
        return Serdes.serdeFrom(ser, de);
    }
}
