package io.logflow.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One normalised log, whatever shape it arrived in. The same record is written to {@code
 * logflow.logs} as ECS JSON ({@link io.logflow.model.codec.EcsJson}) and kept in state stores in
 * binary form ({@link LogRecordBinary}, {@link io.logflow.model.schema.LogFlowSerdes#logRecord()}).
 *
 * @param eventId unique id, stable across reprocessing (derived from the source topic/partition/offset)
 * @param timestamp event time, epoch millis
 * @param traceId 32 lowercase hex, or null
 * @param spanId 16 lowercase hex, or null
 * @param labels every other field of the original log, flattened to dotted keys
 */
public record LogRecord(
        String eventId,
        long timestamp,
        String service,
        Level level,
        String message,
        String traceId,
        String spanId,
        String requestId,
        String correlationId,
        Map<String, String> labels) {

    public LogRecord {
        requireNonNull(eventId, "eventId");
        requireNonNull(service, "service");
        requireNonNull(level, "level");
        requireNonNull(message, "message");
        labels = labels == null ? Map.of() : labels;
    }
}
