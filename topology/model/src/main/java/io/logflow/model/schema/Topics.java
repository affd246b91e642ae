package io.logflow.model.schema;

import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Kafka topic LogFlow reads or writes, with its serdes and how it is created. The one place
 * topic names and serdes live (see docs/adr/002-topics-and-partitioning.md).
 */
public final class Topics {
    private Topics() {}

    private static final Serde<String> STRING = Serdes.String();
    private static final Serde<byte[]> BYTES = Serdes.ByteArray();

    /** Largest record LogFlow accepts; larger ones are dead-lettered. */
    public static final int MAX_LOG_BYTES = 1024 * 1024;

    /**
     * Broker-side limit on the raw topics, above MAX_LOG_BYTES so an oversized log reaches the topology and gets a
     * dead-letter reason.
     */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /**
     * Largest OTLP request LogFlow's receiver produces to {@code otlp_spans} / {@code otlp_logs} as one
     * record: the topics' limit less headroom for the record and batch overhead.
     */
    public static final int MAX_OTLP_RECORD_BYTES = MAX_MESSAGE_BYTES - 64 * 1024;

    /**
     * Raw logs from shippers and POST /api/v1/logs: one JSON log per record, any accepted shape; read as bytes, as
     * sent.
     */
    public static final Topic<byte[], byte[]> LOGS = new Topic<>(
            "logs",
            BYTES,
            BYTES,
            false,
            Map.of(
                    "max.message.bytes",
                    String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms",
                    String.valueOf(7L * 24 * 3600 * 1000)));

    /**
     * Normalised logs, ECS JSON ({@link io.logflow.model.codec.EcsJson}), keyed by service name. Source of the
     * aggregates and the Elasticsearch sink.
     */
    public static final Topic<String, LogRecord> LOGS_NORMALIZED = new Topic<>(
            "logflow.logs",
            STRING,
            LogFlowSerdes.ecsJson(),
            false,
            Map.of(
                    "max.message.bytes",
                    String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms",
                    String.valueOf(7L * 24 * 3600 * 1000)));

    /**
     * Records that could not be normalised, key and value as received, reason and origin in headers ({@link
     * DeadLetters}).
     */
    public static final Topic<byte[], byte[]> DLQ = new Topic<>(
            "logflow.dlq",
            BYTES,
            BYTES,
            false,
            Map.of(
                    "max.message.bytes",
                    String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms",
                    String.valueOf(14L * 24 * 3600 * 1000)));

    /**
     * Raw spans: one OTLP {@code ExportTraceServiceRequest} per record, serialised protobuf ({@code
     * otlp_proto}), exactly as the OpenTelemetry Collector's kafka exporter writes by default and as
     * LogFlow's OTLP/HTTP receiver forwards what it accepted.
     */
    public static final Topic<byte[], byte[]> OTLP_SPANS = new Topic<>(
            "otlp_spans",
            BYTES,
            BYTES,
            false,
            Map.of(
                    "max.message.bytes",
                    String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms",
                    String.valueOf(7L * 24 * 3600 * 1000)));

    /**
     * Raw OTLP logs: one {@code ExportLogsServiceRequest} per record, serialised protobuf; normalised into {@code
     * logflow.logs}.
     */
    public static final Topic<byte[], byte[]> OTLP_LOGS = new Topic<>(
            "otlp_logs",
            BYTES,
            BYTES,
            false,
            Map.of(
                    "max.message.bytes",
                    String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms",
                    String.valueOf(7L * 24 * 3600 * 1000)));

    /** Normalised spans, JSON ({@link io.logflow.model.codec.SpanJson}), one span per record, keyed by trace id. */
    public static final Topic<String, SpanRecord> SPANS_NORMALIZED = new Topic<>(
            "logflow.spans",
            STRING,
            LogFlowSerdes.spanJson(),
            false,
            Map.of(
                    "max.message.bytes",
                    String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms",
                    String.valueOf(7L * 24 * 3600 * 1000)));

    /**
     * Alert rules, the change stream of PostgreSQL's {@code alert_rules} (ADR 009): key = rule id, value =
     * the rule's JSON ({@code io.logflow.alerts.RuleJson}), a tombstone when a rule is deleted. Compacted:
     * the latest version of every rule is kept for as long as it exists.
     */
    public static final Topic<String, byte[]> ALERT_RULES =
            new Topic<>("logflow.alert-rules", STRING, BYTES, true, Map.of());

    /**
     * Alert events ({@code io.logflow.alerts.AlertEventJson}), key {@code ruleId|service}: FIRING and
     * RESOLVED from the topology, ACKNOWLEDGED and manual RESOLVED from the API. 7 days, like the logs.
     */
    public static final Topic<String, byte[]> ALERTS = new Topic<>(
            "logflow.alerts", STRING, BYTES, false, Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000)));

    /**
     * Manual resolves, for the topology (ADR 009): key = the alert id, value = the RESOLVED event
     * ({@code io.logflow.alerts.AlertEventJson}) the API published. The topology forgets a firing
     * alert whose id it finds here, so a condition that still holds fires again as a new alert.
     * Compacted (one record per alert) and deleted after 7 days: a reset matters only until the
     * topology has seen it, within seconds.
     */
    public static final Topic<String, byte[]> ALERT_RESETS = new Topic<>(
            "logflow.alert-resets",
            STRING,
            BYTES,
            true,
            Map.of("cleanup.policy", "compact,delete", "retention.ms", String.valueOf(7L * 24 * 3600 * 1000)));

    public static final List<Topic<?, ?>> ALL = List.of(
            LOGS, LOGS_NORMALIZED, DLQ, OTLP_SPANS, OTLP_LOGS, SPANS_NORMALIZED, ALERT_RULES, ALERTS, ALERT_RESETS);
}
