package io.logflow.model.codec;

import io.logflow.model.SpanRecord;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The {@code logflow.spans} wire format: one JSON document per span, OpenTelemetry/ECS-like names
 * as flat dotted keys (like {@link EcsJson}), attribute maps as objects of strings.
 *
 * <pre>{"@timestamp":"2026-01-01T00:00:00.123Z","trace.id":"4bf9…","span.id":"00f0…","parent.id":"53ce…",
 * "service.name":"checkout","span.name":"GET /cart","span.kind":"SERVER","start_ns":1767225600123000000,
 * "duration_ns":4500000,"duration_ms":4.5,"status.code":"ERROR","status.message":"timeout",
 * "scope.name":"io.opentelemetry.netty-4.1","attributes":{"http.route":"/cart"},"resource":{"host.name":"h1"},
 * "events":[{"time_ns":1767225600124000000,"name":"exception","attributes":{"exception.type":"…"}}],
 * "links":[{"trace.id":"…","span.id":"…","attributes":{}}]}</pre>
 *
 * {@code @timestamp} is the start in ISO-8601 UTC with milliseconds; {@code start_ns} and {@code
 * duration_ns} are exact, {@code duration_ms} is the same duration in milliseconds (for humans and
 * range queries). {@code parent.id}, {@code status.message} and {@code scope.name} are left out when
 * absent, {@code events} and {@code links} when empty. {@code span.kind} is one of {@link
 * SpanRecord.Kind}, {@code status.code} one of {@link SpanRecord.Status}.
 */
public final class SpanJson {
    public static final String TIMESTAMP = "@timestamp";
    public static final String TRACE_ID = "trace.id";
    public static final String SPAN_ID = "span.id";
    public static final String PARENT_ID = "parent.id";
    public static final String SERVICE = "service.name";
    public static final String NAME = "span.name";
    public static final String KIND = "span.kind";
    public static final String START_NS = "start_ns";
    public static final String DURATION_NS = "duration_ns";
    public static final String DURATION_MS = "duration_ms";
    public static final String STATUS_CODE = "status.code";
    public static final String STATUS_MESSAGE = "status.message";
    public static final String SCOPE = "scope.name";
    public static final String ATTRIBUTES = "attributes";
    public static final String RESOURCE = "resource";
    public static final String EVENTS = "events";
    public static final String EVENT_TIME_NS = "time_ns";
    public static final String EVENT_NAME = "name";
    public static final String LINKS = "links";

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SpanJson() {}

    public static byte[] write(SpanRecord s) {
        byte[] fast = SpanJsonWriter.write(s);
        return fast != null ? fast : writeWithJackson(s);
    }

    /** The reference writer: what {@link #write} produces for any span, through Jackson's generator. */
    static byte[] writeWithJackson(SpanRecord s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty(TIMESTAMP, MILLIS.format(Instant.ofEpochMilli(s.startMillis())));
            g.writeStringProperty(TRACE_ID, s.traceId());
            g.writeStringProperty(SPAN_ID, s.spanId());
            if (s.parentSpanId() != null) g.writeStringProperty(PARENT_ID, s.parentSpanId());
            g.writeStringProperty(SERVICE, s.service());
            g.writeStringProperty(NAME, s.name());
            g.writeStringProperty(KIND, s.kind().name());
            g.writeNumberProperty(START_NS, s.startNanos());
            g.writeNumberProperty(DURATION_NS, s.durationNanos());
            g.writeName(DURATION_MS);
            g.writeNumber(BigDecimal.valueOf(s.durationNanos(), 6)
                    .stripTrailingZeros()
                    .toPlainString());
            g.writeStringProperty(STATUS_CODE, s.status().name());
            if (s.statusMessage() != null) g.writeStringProperty(STATUS_MESSAGE, s.statusMessage());
            if (s.scope() != null) g.writeStringProperty(SCOPE, s.scope());
            writeMap(g, ATTRIBUTES, s.attributes());
            writeMap(g, RESOURCE, s.resource());
            if (!s.events().isEmpty()) {
                g.writeArrayPropertyStart(EVENTS);
                for (SpanRecord.Event e : s.events()) {
                    g.writeStartObject();
                    g.writeNumberProperty(EVENT_TIME_NS, e.timeNanos());
                    g.writeStringProperty(EVENT_NAME, e.name());
                    writeMap(g, ATTRIBUTES, e.attributes());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!s.links().isEmpty()) {
                g.writeArrayPropertyStart(LINKS);
                for (SpanRecord.Link l : s.links()) {
                    g.writeStartObject();
                    g.writeStringProperty(TRACE_ID, l.traceId());
                    g.writeStringProperty(SPAN_ID, l.spanId());
                    writeMap(g, ATTRIBUTES, l.attributes());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> map) {
        g.writeName(name);
        g.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) g.writeStringProperty(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    /**
     * Reads a document written by {@link #write}. Unknown fields are ignored; {@code start_ns} wins
     * over {@code @timestamp} (which only has milliseconds). What {@code write} produces is read by
     * a hand-written reader ({@link SpanJsonReader}); anything else by Jackson, the reference.
     *
     * @throws IllegalArgumentException when the bytes are not a span document
     */
    public static SpanRecord read(byte[] json) {
        SpanRecord fast = SpanJsonReader.read(json);
        return fast != null ? fast : readWithJackson(json);
    }

    /** The reference reader: what {@link #read} returns for any input, through Jackson's parser. */
    static SpanRecord readWithJackson(byte[] json) {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalArgumentException("not a span document: not a JSON object");
            String field;
            while ((field = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NULL) continue;
                switch (field) {
                    case TIMESTAMP -> f.timestampMs = EcsJson.parseInstant(p.getString());
                    case TRACE_ID -> f.traceId = p.getString();
                    case SPAN_ID -> f.spanId = p.getString();
                    case PARENT_ID -> f.parentId = p.getString();
                    case SERVICE -> f.service = p.getString();
                    case NAME -> f.name = p.getString();
                    case KIND -> f.kind = SpanRecord.Kind.valueOf(p.getString());
                    case START_NS -> f.startNs = p.getLongValue();
                    case DURATION_NS -> f.durationNs = p.getLongValue();
                    case STATUS_CODE -> f.status = SpanRecord.Status.valueOf(p.getString());
                    case STATUS_MESSAGE -> f.statusMessage = p.getString();
                    case SCOPE -> f.scope = p.getString();
                    case ATTRIBUTES -> f.attributes = readMap(p);
                    case RESOURCE -> f.resource = readMap(p);
                    case EVENTS -> f.events = readEvents(p);
                    case LINKS -> f.links = readLinks(p);
                    default -> p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a span document: " + e.getOriginalMessage(), e);
        }
        return f.span();
    }

    /** What a reader found in a span document, absent fields at their defaults; both readers fill one. */
    static final class Fields {
        String traceId, spanId, parentId, service, name, statusMessage, scope;
        SpanRecord.Kind kind = SpanRecord.Kind.UNSPECIFIED;
        SpanRecord.Status status = SpanRecord.Status.UNSET;
        Long startNs;
        long timestampMs, durationNs;
        Map<String, String> attributes = Map.of(), resource = Map.of();
        List<SpanRecord.Event> events = List.of();
        List<SpanRecord.Link> links = List.of();

        SpanRecord span() {
            if (traceId == null || spanId == null || service == null || name == null) {
                throw new IllegalArgumentException(
                        "not a span document: trace.id, span.id, service.name and span.name are required");
            }
            long start = startNs != null ? startNs : timestampMs * 1_000_000L;
            return new SpanRecord(
                    traceId,
                    spanId,
                    parentId,
                    service,
                    name,
                    kind,
                    start,
                    durationNs,
                    status,
                    statusMessage,
                    scope,
                    attributes,
                    resource,
                    events,
                    links);
        }
    }

    private static Map<String, String> readMap(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        String k;
        while ((k = p.nextName()) != null) {
            p.nextToken();
            map.put(k, p.getValueAsString());
        }
        return map;
    }

    private static List<SpanRecord.Event> readEvents(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<SpanRecord.Event> events = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            long time = 0;
            String name = "";
            Map<String, String> attributes = Map.of();
            String field;
            while ((field = p.nextName()) != null) {
                p.nextToken();
                switch (field) {
                    case EVENT_TIME_NS -> time = p.getLongValue();
                    case EVENT_NAME -> name = p.getValueAsString();
                    case ATTRIBUTES -> attributes = readMap(p);
                    default -> p.skipChildren();
                }
            }
            events.add(new SpanRecord.Event(time, name == null ? "" : name, attributes));
        }
        return events;
    }

    private static List<SpanRecord.Link> readLinks(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<SpanRecord.Link> links = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String traceId = null, spanId = null;
            Map<String, String> attributes = Map.of();
            String field;
            while ((field = p.nextName()) != null) {
                p.nextToken();
                switch (field) {
                    case TRACE_ID -> traceId = p.getValueAsString();
                    case SPAN_ID -> spanId = p.getValueAsString();
                    case ATTRIBUTES -> attributes = readMap(p);
                    default -> p.skipChildren();
                }
            }
            if (traceId != null && spanId != null) links.add(new SpanRecord.Link(traceId, spanId, attributes));
        }
        return links;
    }
}
