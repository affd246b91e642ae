package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Turns a record of {@code logflow.logs} or {@code logflow.spans} into the document to index: its daily index, its
 * id, and its JSON on one line. Pure: no I/O, the same record always gives the same document (so a replay
 * overwrites, never duplicates).
 *
 * <ul>
 *   <li>A log ({@link EcsJson}) is indexed as it is, with id {@code event.id}, in the index of the UTC day of its
 *       {@code @timestamp}.
 *   <li>A span ({@link SpanJson}) gets id {@code <trace.id>-<span.id>}, goes to the index of the UTC day of its start
 *       ({@code start_ns}, else {@code @timestamp}), and gains two fields the index template maps as {@code
 *       date_nanos}: {@code span.start} and {@code span.end} (start plus {@code duration_ns}), ISO-8601 UTC.
 * </ul>
 *
 * A record that cannot be a document (not JSON, no id, no usable time, id too long) is {@link Invalid}, with the
 * reason the dead-letter queue gets.
 */
final class Documents {
    /** Elasticsearch refuses longer ids for the whole bulk request, so they never reach it. */
    static final int MAX_ID_BYTES = 512;

    static final String SPAN_START = "span.start";
    static final String SPAN_END = "span.end";

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = JsonMapper.builder(JSON)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** What a record becomes: a document, or the reason it cannot be one. */
    sealed interface Mapped permits Doc, Invalid {}

    /**
     * A document to index.
     *
     * @param source its JSON, one line (the bulk API's NDJSON framing)
     */
    record Doc(String index, String id, byte[] source) implements Mapped {
        Doc {
            requireNonNull(index, "index");
            requireNonNull(id, "id");
            requireNonNull(source, "source");
        }
    }

    record Invalid(String reason) implements Mapped {
        Invalid {
            requireNonNull(reason, "reason");
        }
    }

    private final String logsTopic;
    private final String spansTopic;
    private final IndexNames logs;
    private final IndexNames spans;

    Documents(String logsTopic, String spansTopic, IndexNames logs, IndexNames spans) {
        this.logsTopic = requireNonNull(logsTopic, "logsTopic");
        this.spansTopic = requireNonNull(spansTopic, "spansTopic");
        this.logs = requireNonNull(logs, "logs");
        this.spans = requireNonNull(spans, "spans");
    }

    /**
     * The document for a record's value, as Connect's converter gave it: bytes ({@code ByteArrayConverter}, the one
     * to use), a String ({@code StringConverter}) or a ByteBuffer.
     */
    Mapped map(String topic, Object value) {
        byte[] json;
        if (value == null) return new Invalid("the record has no value (null)");
        else if (value instanceof byte[] bytes) json = bytes;
        else if (value instanceof String s) json = s.getBytes(StandardCharsets.UTF_8);
        else if (value instanceof ByteBuffer b) {
            json = new byte[b.remaining()];
            b.duplicate().get(json);
        } else {
            return new Invalid("the record's value is a " + value.getClass().getName()
                    + "; configure value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        }
        if (topic.equals(logsTopic)) return log(json);
        if (topic.equals(spansTopic)) return span(json);
        return new Invalid("topic " + topic + " is neither the logs topic (" + logsTopic + ") nor the spans topic ("
                + spansTopic + ")");
    }

    /** A {@code logflow.logs} document: read only as far as its id and time, sent as it is. */
    Mapped log(byte[] json) {
        String eventId = null;
        Long timestamp = null;
        String timestampProblem = "no " + EcsJson.TIMESTAMP;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return new Invalid("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(EcsJson.EVENT_ID)) {
                    eventId = t == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if (name.equals(EcsJson.TIMESTAMP)) {
                    timestamp = epochMillis(p, t);
                    timestampProblem = timestamp == null ? "unreadable " + EcsJson.TIMESTAMP : null;
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) return new Invalid("not valid JSON: content after the object");
        } catch (JsonProcessingException e) {
            return new Invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Invalid("not valid JSON: " + e.getMessage());
        }
        if (eventId == null || eventId.isBlank()) return new Invalid("no " + EcsJson.EVENT_ID + " (a string)");
        if (timestampProblem != null) return new Invalid(timestampProblem);
        String idProblem = idProblem(eventId);
        if (idProblem != null) return new Invalid(idProblem);
        return new Doc(logs.daily(timestamp), eventId, oneLine(json));
    }

    /** A {@code logflow.spans} document, with {@code span.start} and {@code span.end} added. */
    Mapped span(byte[] json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return new Invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Invalid("not valid JSON: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode span)) return new Invalid("not a JSON object");
        String traceId = text(span, SpanJson.TRACE_ID);
        String spanId = text(span, SpanJson.SPAN_ID);
        if (traceId == null || spanId == null) {
            return new Invalid("no " + SpanJson.TRACE_ID + " and " + SpanJson.SPAN_ID + " (strings)");
        }
        JsonNode startNs = span.get(SpanJson.START_NS);
        long start;
        if (startNs != null && !startNs.isNull()) {
            if (!startNs.isIntegralNumber() || !startNs.canConvertToLong()) {
                return new Invalid(SpanJson.START_NS + " is not an integer");
            }
            start = startNs.longValue();
        } else {
            JsonNode ts = span.get(SpanJson.TIMESTAMP);
            Long millis = ts == null ? null : epochMillis(ts);
            if (millis == null) return new Invalid("no " + SpanJson.START_NS + " nor a readable " + SpanJson.TIMESTAMP);
            if (millis > Long.MAX_VALUE / 1_000_000L || millis < Long.MIN_VALUE / 1_000_000L) {
                return new Invalid(SpanJson.TIMESTAMP + " out of range");
            }
            start = millis * 1_000_000L;
        }
        JsonNode durationNs = span.get(SpanJson.DURATION_NS);
        long duration = 0;
        if (durationNs != null && !durationNs.isNull()) {
            if (!durationNs.isIntegralNumber() || !durationNs.canConvertToLong() || durationNs.longValue() < 0) {
                return new Invalid(SpanJson.DURATION_NS + " is not a non-negative integer");
            }
            duration = durationNs.longValue();
        }
        if (start > Long.MAX_VALUE - duration) return new Invalid("the span ends after the year 2262");
        String id = traceId + "-" + spanId;
        String idProblem = idProblem(id);
        if (idProblem != null) return new Invalid(idProblem);
        span.put(SPAN_START, isoNanos(start));
        span.put(SPAN_END, isoNanos(start + duration));
        byte[] source;
        try {
            source = MAPPER.writeValueAsBytes(span);
        } catch (JsonProcessingException e) {
            return new Invalid("cannot write the span document: " + e.getOriginalMessage());
        }
        return new Doc(spans.daily(Math.floorDiv(start, 1_000_000L)), id, source);
    }

    private static String text(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static String idProblem(String id) {
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_ID_BYTES
                ? "document id longer than " + MAX_ID_BYTES + " bytes (" + bytes + "), which Elasticsearch refuses"
                : null;
    }

    /** The bulk API reads one document per line: a document with line breaks between its tokens is rewritten. */
    static byte[] oneLine(byte[] json) {
        for (byte b : json) {
            if (b == '\n' || b == '\r') {
                try {
                    return MAPPER.writeValueAsBytes(MAPPER.readTree(json));
                } catch (IOException e) {
                    throw new IllegalStateException("read once already, cannot fail", e);
                }
            }
        }
        return json;
    }

    /** Epoch millis of a date value, as Elasticsearch's default date format reads it; null if it is none. */
    private static Long epochMillis(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) return epochMillis(p.getText());
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
        p.skipChildren();
        return null;
    }

    private static Long epochMillis(JsonNode node) {
        if (node.isTextual()) return epochMillis(node.asText());
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
        return null;
    }

    static Long epochMillis(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            // not the usual 2026-01-01T00:00:00.123Z: an offset, or no zone at all (UTC, as Elasticsearch reads it)
        }
        try {
            TemporalAccessor t =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            if (t instanceof OffsetDateTime o) return o.toInstant().toEpochMilli();
            return ((LocalDateTime) t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    static String isoNanos(long epochNanos) {
        return Instant.ofEpochSecond(
                        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .toString();
    }
}
