package io.logflow.model.codec;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The {@code logflow.logs} wire format: one JSON document per log with Elastic Common Schema field
 * names written as flat dotted keys (as the ecs-logging libraries do) and every other field under
 * {@code labels}. This is what the Elasticsearch sink indexes and what any consumer reads.
 *
 * <pre>{"@timestamp":"2026-01-01T00:00:00.123Z","event.id":"…","service.name":"orders",
 * "log.level":"ERROR","message":"…","trace.id":"…","span.id":"…","http.request.id":"…",
 * "labels":{"correlation_id":"…","region":"eu"}}</pre>
 */
public final class EcsJson {
    public static final String TIMESTAMP = "@timestamp";
    public static final String EVENT_ID = "event.id";
    public static final String SERVICE = "service.name";
    public static final String LEVEL = "log.level";
    public static final String MESSAGE = "message";
    public static final String TRACE_ID = "trace.id";
    public static final String SPAN_ID = "span.id";
    public static final String REQUEST_ID = "http.request.id";
    public static final String LABELS = "labels";
    /** The correlation id has no ECS field; it travels as this label. */
    public static final String CORRELATION_LABEL = "correlation_id";

    private static final JsonFactory JSON = new JsonFactory();

    private EcsJson() {}

    public static byte[] write(LogRecord r) {
        byte[] fast = EcsWriter.write(r);
        return fast != null ? fast : writeWithJackson(r);
    }

    /** The reference writer; {@link EcsWriter} writes the same bytes faster for nearly every log. */
    static byte[] writeWithJackson(LogRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + r.message().length());
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty(TIMESTAMP, Instant.ofEpochMilli(r.timestamp()).toString());
            g.writeStringProperty(EVENT_ID, r.eventId());
            g.writeStringProperty(SERVICE, r.service());
            g.writeStringProperty(LEVEL, r.level().name());
            g.writeStringProperty(MESSAGE, r.message());
            if (r.traceId() != null) g.writeStringProperty(TRACE_ID, r.traceId());
            if (r.spanId() != null) g.writeStringProperty(SPAN_ID, r.spanId());
            if (r.requestId() != null) g.writeStringProperty(REQUEST_ID, r.requestId());
            if (r.correlationId() != null || !r.labels().isEmpty()) {
                g.writeName(LABELS);
                g.writeStartObject();
                if (r.correlationId() != null) g.writeStringProperty(CORRELATION_LABEL, r.correlationId());
                for (Map.Entry<String, String> e : r.labels().entrySet())
                    g.writeStringProperty(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static long parseInstant(String text) {
        Long fast = IsoTimestamps.parse(text);
        return fast != null ? fast : Instant.parse(text).toEpochMilli();
    }

    /** Reads a document written by {@link #write}. */
    public static LogRecord read(byte[] json) {
        LogRecord fast = EcsReader.read(json);
        return fast != null ? fast : readWithJackson(json);
    }

    /** The reference reader; {@link EcsReader} reads what {@link #write} writes faster, to the same result. */
    static LogRecord readWithJackson(byte[] json) {
        String eventId = null,
                service = null,
                message = null,
                traceId = null,
                spanId = null,
                requestId = null,
                correlationId = null;
        Level level = Level.INFO;
        long timestamp = 0;
        Map<String, String> labels = Map.of();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not an ECS log document");
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case TIMESTAMP -> timestamp = parseInstant(p.getString());
                    case EVENT_ID -> eventId = p.getString();
                    case SERVICE -> service = p.getString();
                    case LEVEL -> level = Level.valueOf(p.getString());
                    case MESSAGE -> message = p.getString();
                    case TRACE_ID -> traceId = p.getString();
                    case SPAN_ID -> spanId = p.getString();
                    case REQUEST_ID -> requestId = p.getString();
                    case LABELS -> {
                        if (t != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            break;
                        }
                        labels = new LinkedHashMap<>();
                        String k;
                        while ((k = p.nextName()) != null) {
                            p.nextToken();
                            String v = p.getValueAsString();
                            if (CORRELATION_LABEL.equals(k)) correlationId = v;
                            else labels.put(k, v);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return new LogRecord(
                eventId, timestamp, service, level, message, traceId, spanId, requestId, correlationId, labels);
    }
}
