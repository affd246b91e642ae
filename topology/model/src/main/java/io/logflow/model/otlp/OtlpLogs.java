package io.logflow.model.otlp;

import static java.util.Objects.requireNonNull;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.normalize.LogNormalizer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP log records → {@link LogRecord}s, the same records JSON logs become, so every log feature
 * (statistics, recent logs, logs of a trace, live tail) works for them.
 *
 * <ul>
 *   <li>time: {@code time_unix_nano}, else {@code observed_time_unix_nano}, else the Kafka record
 *       time. As for JSON logs, a time more than {@link LogNormalizer#MAX_FUTURE_SKEW_MS} ahead of
 *       the record time is replaced by the record time, the original kept as label {@value
 *       LogNormalizer#LABEL_TIMESTAMP_ORIGINAL} (epoch nanoseconds).
 *   <li>level: {@code severity_number} by the OpenTelemetry ranges (1-4 TRACE, 5-8 DEBUG, 9-12
 *       INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL); when it is unset, {@code severity_text} read
 *       as JSON logs' levels are; neither: INFO (an unreadable one is kept as label {@value
 *       LogNormalizer#LABEL_LEVEL_ORIGINAL}).
 *   <li>message: a string body as it is, any other body as text (structured bodies as compact
 *       JSON, see {@link AnyValues}); without a body the {@code event_name}, else empty.
 *   <li>service: the resource's {@code service.name}, else {@value OtlpSpans#UNKNOWN_SERVICE}.
 *   <li>trace and span id: lowercase hex when valid (16 and 8 bytes, not all zeros); an invalid
 *       non-zero trace id is kept as label {@value LogNormalizer#LABEL_TRACE_ID_INVALID}.
 *   <li>request and correlation id: the attributes {@code request_id} or {@code http.request.id},
 *       and {@code correlation_id}, as for JSON logs.
 *   <li>labels: the attributes (as text), {@code event.name}, {@code otel.scope.name}, and the
 *       resource's attributes but {@code service.name} prefixed {@code resource.}; at most {@link
 *       LogNormalizer#MAX_LABELS} (then {@value LogNormalizer#LABEL_LABELS_TRUNCATED}).
 *   <li>event id: {@code <prefix>-<n>}, n the record's position among all log records of the
 *       request (from 0, invalid ones counted), so reprocessing the same Kafka record gives the
 *       same ids.
 * </ul>
 */
public final class OtlpLogs {
    public static final String LABEL_EVENT_NAME = "event.name";
    public static final String LABEL_SCOPE_NAME = "otel.scope.name";
    public static final String RESOURCE_PREFIX = "resource.";
    private static final List<String> REQUEST_ID_ATTRIBUTES = List.of("request_id", "http.request.id");
    private static final String CORRELATION_ID_ATTRIBUTE = "correlation_id";

    private OtlpLogs() {}

    /**
     * Every log record of the request that {@link OtlpValidation} keeps, in request order.
     *
     * @param eventIdPrefix the start of every event id, e.g. {@link LogNormalizer#eventId} of the Kafka record
     * @param recordTimestamp the Kafka record time: the time of a log without one, and "now" for the clock check
     */
    public static List<LogRecord> toLogRecords(
            ExportLogsServiceRequest request, String eventIdPrefix, long recordTimestamp) {
        requireNonNull(eventIdPrefix, "eventIdPrefix");
        List<LogRecord> out = new ArrayList<>();
        int index = 0;
        for (ResourceLogs rl : request.getResourceLogsList()) {
            String service = Resources.service(rl.getResource());
            Map<String, String> resource = Resources.attributes(rl.getResource());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                String scope = sl.getScope().getName();
                for (io.opentelemetry.proto.logs.v1.LogRecord log : sl.getLogRecordsList()) {
                    String eventId = eventIdPrefix + '-' + index++;
                    if (OtlpValidation.problem(log) == null)
                        out.add(toLogRecord(log, eventId, service, scope, resource, recordTimestamp));
                }
            }
        }
        return out;
    }

    static LogRecord toLogRecord(
            io.opentelemetry.proto.logs.v1.LogRecord log,
            String eventId,
            String service,
            String scope,
            Map<String, String> resource,
            long recordTimestamp) {
        Map<String, String> labels = new LinkedHashMap<>();

        long nanos = log.getTimeUnixNano() > 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
        long timestamp = recordTimestamp;
        if (nanos > 0) {
            long millis = nanos / 1_000_000L;
            if (millis > recordTimestamp + LogNormalizer.MAX_FUTURE_SKEW_MS)
                labels.put(LogNormalizer.LABEL_TIMESTAMP_ORIGINAL, Long.toString(nanos));
            else timestamp = millis;
        }

        Level level = Level.ofSeverityNumber(log.getSeverityNumberValue());
        if (level == null) {
            String text = log.getSeverityText();
            level = Level.parse(text);
            if (level == null) {
                level = Level.INFO;
                if (!text.isBlank()) labels.put(LogNormalizer.LABEL_LEVEL_ORIGINAL, cut(text, 64));
                else if (log.getSeverityNumberValue() != 0)
                    labels.put(LogNormalizer.LABEL_LEVEL_ORIGINAL, Integer.toString(log.getSeverityNumberValue()));
            }
        }

        String message;
        AnyValue body = log.getBody();
        if (body.getValueCase() == AnyValue.ValueCase.STRING_VALUE) message = body.getStringValue();
        else if (OtlpValidation.hasBody(body)) message = AnyValues.text(body);
        else message = log.getEventName();

        String traceId = OtlpSpans.id(log.getTraceId(), 16);
        if (traceId == null && !Hex.isZero(log.getTraceId()))
            labels.put(LogNormalizer.LABEL_TRACE_ID_INVALID, cut(Hex.of(log.getTraceId()), 64));
        String spanId = OtlpSpans.id(log.getSpanId(), 8);

        String requestId = null, correlationId = null;
        for (KeyValue kv : log.getAttributesList()) {
            String key = kv.getKey();
            String value = AnyValues.text(kv.getValue());
            if (value == null) continue;
            if (requestId == null && REQUEST_ID_ATTRIBUTES.contains(key) && !value.isEmpty()) {
                requestId = value;
            } else if (correlationId == null && CORRELATION_ID_ATTRIBUTE.equals(key) && !value.isEmpty()) {
                correlationId = value;
            } else if (!label(labels, key, value)) {
                break;
            }
        }
        if (!log.getEventName().isEmpty()) label(labels, LABEL_EVENT_NAME, log.getEventName());
        if (!scope.isEmpty()) label(labels, LABEL_SCOPE_NAME, scope);
        for (Map.Entry<String, String> e : resource.entrySet()) {
            if (!label(labels, RESOURCE_PREFIX + e.getKey(), e.getValue())) break;
        }
        return new LogRecord(
                eventId, timestamp, service, level, message, traceId, spanId, requestId, correlationId, labels);
    }

    /** Adds a label unless the key is taken; false when the labels are full (and marked so). */
    private static boolean label(Map<String, String> labels, String key, String value) {
        if (labels.containsKey(key)) return true;
        if (labels.size() >= LogNormalizer.MAX_LABELS) {
            labels.put(LogNormalizer.LABEL_LABELS_TRUNCATED, "true");
            return false;
        }
        labels.put(key, value);
        return true;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
