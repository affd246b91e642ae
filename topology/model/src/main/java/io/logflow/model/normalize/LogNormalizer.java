package io.logflow.model.normalize;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.codec.IsoTimestamps;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one log, in any of the shapes real shippers send, into a {@link LogRecord} — or says
 * exactly why it cannot. Used by the topology (every record on {@code logs}) and by the ingest API
 * (to answer which entries of a batch were rejected), so both apply the same rules.
 *
 * <p>Accepted field names, first match wins; nested objects count as dotted names, so {@code
 * {"service":{"name":"x"}}} is {@code service.name}:
 *
 * <ul>
 *   <li>time: {@code @timestamp}, {@code timestamp}, {@code time} — ISO-8601 (zone optional, UTC
 *       assumed) or epoch seconds/millis/micros/nanos. Missing: the Kafka record time.
 *   <li>service: {@code service}, {@code service.name}, {@code service_name}. Missing: "unknown".
 *   <li>level: {@code level}, {@code log.level}, {@code severity}, {@code severity_text} (names in
 *       any case, or an OpenTelemetry severity number). Missing: INFO.
 *   <li>message: {@code message}, {@code msg}. Required.
 *   <li>{@code trace_id}|{@code trace.id}|{@code traceId}, {@code span_id}|{@code span.id}|{@code
 *       spanId}, {@code request_id}, {@code correlation_id}.
 * </ul>
 *
 * Every other field is kept as a label. Rejections: not JSON, not an object, over {@link
 * Topics#MAX_LOG_BYTES}, no message, unparsable timestamp.
 */
public final class LogNormalizer {
    static final List<String> TIME_FIELDS = List.of("@timestamp", "timestamp", "time");
    static final List<String> SERVICE_FIELDS = List.of("service", "service.name", "service_name");
    static final List<String> LEVEL_FIELDS =
            List.of("level", "log.level", "severity", "severity_text", "severity_number");
    static final List<String> MESSAGE_FIELDS = List.of("message", "msg");
    static final List<String> TRACE_FIELDS = List.of("trace_id", "trace.id", "traceId");
    static final List<String> SPAN_FIELDS = List.of("span_id", "span.id", "spanId");
    static final List<String> REQUEST_FIELDS = List.of("request_id", "http.request.id");
    static final List<String> CORRELATION_FIELDS = List.of("correlation_id");
    private static final String[] TIME_NAMES = TIME_FIELDS.toArray(String[]::new);
    private static final String[] SERVICE_NAMES = SERVICE_FIELDS.toArray(String[]::new);
    private static final String[] LEVEL_NAMES = LEVEL_FIELDS.toArray(String[]::new);
    private static final String[] MESSAGE_NAMES = MESSAGE_FIELDS.toArray(String[]::new);
    private static final String[] TRACE_NAMES = TRACE_FIELDS.toArray(String[]::new);
    private static final String[] SPAN_NAMES = SPAN_FIELDS.toArray(String[]::new);
    private static final String[] REQUEST_NAMES = REQUEST_FIELDS.toArray(String[]::new);
    private static final String[] CORRELATION_NAMES = CORRELATION_FIELDS.toArray(String[]::new);
    /** Nested objects are flattened to dotted names down to this depth; deeper ones are kept as JSON text. */
    static final int MAX_FLATTEN_DEPTH = 16;

    public static final String UNKNOWN_SERVICE = "unknown";
    public static final int MAX_SERVICE_LENGTH = 256;
    public static final int MAX_LABELS = 128;
    /** Labels a normalised log may gain: the original value of a field LogFlow had to change. */
    public static final String LABEL_TIMESTAMP_ORIGINAL = "timestamp_original";

    public static final String LABEL_LEVEL_ORIGINAL = "level_original";
    public static final String LABEL_TRACE_ID_INVALID = "trace_id_invalid";
    public static final String LABEL_LABELS_TRUNCATED = "labels_truncated";

    /** How far an event time may lie ahead of the record time before it is treated as a clock error. */
    public static final long MAX_FUTURE_SKEW_MS = 15 * 60_000L;

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<EventIdDigest> EVENT_ID_DIGEST = ThreadLocal.withInitial(EventIdDigest::new);

    /** The outcome for one log: accepted with its normalised form, or rejected with a reason. */
    public sealed interface Result permits Accepted, Rejected {}

    public record Accepted(LogRecord log) implements Result {}

    /**
     * @param reason a human-readable explanation (dead-letter header, ingest API answer)
     * @param category a short, low-cardinality name for the kind of rejection, one of the {@code
     *     DeadLetters.CATEGORY_*} values, suitable as a metric tag
     */
    public record Rejected(String reason, String category) implements Result {
        public Rejected {
            java.util.Objects.requireNonNull(reason, "reason");
            java.util.Objects.requireNonNull(category, "category");
        }

        /** A rejection of no particular category ({@link DeadLetters#CATEGORY_INVALID}). */
        public Rejected(String reason) {
            this(reason, DeadLetters.CATEGORY_INVALID);
        }
    }

    private LogNormalizer() {}

    /**
     * @param raw the record value as received
     * @param eventId the id the normalised log gets (see {@link #eventId})
     * @param recordTimestamp the Kafka record time: used when the log has no time, and as "now" to
     *     catch clock errors
     */
    public static Result normalize(byte[] raw, String eventId, long recordTimestamp) {
        if (raw == null || raw.length == 0) return new Rejected("empty record", DeadLetters.CATEGORY_EMPTY);
        if (raw.length > Topics.MAX_LOG_BYTES)
            return new Rejected(
                    "record of " + raw.length + " bytes exceeds the limit of " + Topics.MAX_LOG_BYTES + " bytes",
                    DeadLetters.CATEGORY_TOO_LARGE);
        Map<String, Object> fields = FlatReader.read(raw);
        if (fields == null) return normalizeTree(raw, eventId, recordTimestamp);
        return normalizeFields(fields, eventId, recordTimestamp);
    }

    /**
     * The reference path: the whole document as a Jackson tree, then flattened. {@link #normalize(byte[],
     * String, long)} reads the common shapes in one streaming pass instead and comes here for anything
     * else (not an object, invalid JSON, duplicate names, ...), so both give the same answer.
     */
    static Result normalizeTree(byte[] raw, String eventId, long recordTimestamp) {
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JacksonException e) {
            return new Rejected(
                    "not valid JSON: " + firstLine(e.getOriginalMessage()), DeadLetters.CATEGORY_INVALID_JSON);
        }
        return normalize(node, eventId, recordTimestamp);
    }

    public static Result normalize(JsonNode node, String eventId, long recordTimestamp) {
        if (node == null || !node.isObject()) return new Rejected("not a JSON object", DeadLetters.CATEGORY_NOT_OBJECT);
        Map<String, Object> fields = new LinkedHashMap<>();
        flatten("", node, fields, 0);
        return normalizeFields(fields, eventId, recordTimestamp);
    }

    /**
     * @param fields the flattened document: each value a {@link String} (a JSON string) or a
     *     non-string {@link JsonNode}
     */
    private static Result normalizeFields(Map<String, Object> fields, String eventId, long recordTimestamp) {
        Object messageNode = take(fields, MESSAGE_NAMES);
        if (messageNode == null || isNull(messageNode))
            return new Rejected("missing field 'message' (or 'msg')", DeadLetters.CATEGORY_MISSING_MESSAGE);
        String message = messageNode instanceof String s ? s : messageNode.toString();
        if (message.isBlank()) return new Rejected("field 'message' is empty", DeadLetters.CATEGORY_MISSING_MESSAGE);

        Map<String, String> labels = new LinkedHashMap<>();

        long timestamp = recordTimestamp;
        Object timeNode = take(fields, TIME_NAMES);
        if (timeNode != null && !isNull(timeNode)) {
            Long parsed = parseTimestamp(timeNode);
            if (parsed == null)
                return new Rejected(
                        "unparsable timestamp '" + truncate(str(timeNode), 64) + "': expected ISO-8601 or epoch millis",
                        DeadLetters.CATEGORY_BAD_TIMESTAMP);
            if (parsed > recordTimestamp + MAX_FUTURE_SKEW_MS || parsed < 0) {
                // a clock far ahead would close everyone's windows; Kafka cannot carry times before 1970
                labels.put(LABEL_TIMESTAMP_ORIGINAL, str(timeNode));
            } else {
                timestamp = parsed;
            }
        }

        String service = UNKNOWN_SERVICE;
        Object serviceNode = take(fields, SERVICE_NAMES);
        if (serviceNode != null && !isNull(serviceNode) && !str(serviceNode).isBlank()) {
            service = truncate(str(serviceNode).trim(), MAX_SERVICE_LENGTH);
        }

        Level level = Level.INFO;
        Object levelNode = take(fields, LEVEL_NAMES);
        if (levelNode != null && !isNull(levelNode)) {
            Level parsed = levelNode instanceof JsonNode n && n.isNumber()
                    ? severityNumber(n.asDouble())
                    : Level.parse(str(levelNode));
            if (parsed == null) labels.put(LABEL_LEVEL_ORIGINAL, truncate(str(levelNode), 64));
            else level = parsed;
        }

        String traceId = null;
        Object traceNode = take(fields, TRACE_NAMES);
        if (traceNode != null && !isNull(traceNode)) {
            traceId = TraceIds.normalizeTraceId(str(traceNode));
            if (traceId == null && !str(traceNode).isEmpty())
                labels.put(LABEL_TRACE_ID_INVALID, truncate(str(traceNode), 64));
        }
        String spanId = null;
        Object spanNode = take(fields, SPAN_NAMES);
        if (spanNode != null && !isNull(spanNode)) spanId = TraceIds.normalizeSpanId(str(spanNode));

        String requestId = text(take(fields, REQUEST_NAMES));
        String correlationId = text(take(fields, CORRELATION_NAMES));

        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (labels.size() >= MAX_LABELS) {
                labels.put(LABEL_LABELS_TRUNCATED, "true");
                break;
            }
            Object v = e.getValue();
            if (isNull(v)) continue;
            labels.put(e.getKey(), v instanceof String s ? s : v.toString());
        }
        return new Accepted(new LogRecord(
                eventId, timestamp, service, level, message, traceId, spanId, requestId, correlationId, labels));
    }

    /** OpenTelemetry severity numbers are whole numbers 1-24; anything else names no level. */
    private static Level severityNumber(double n) {
        return n >= 1 && n <= 24 && n == Math.rint(n) ? Level.ofSeverityNumber((int) n) : null;
    }

    /** A deterministic id for the record at this position: reprocessing the same record yields the same id. */
    public static String eventId(String topic, int partition, long offset) {
        // the bytes of UUID.nameUUIDFromBytes (a version 3 UUID: MD5 with version and variant bits) of
        // "topic/partition/offset", as 32 hex digits
        return EVENT_ID_DIGEST.get().eventId(topic, partition, offset);
    }

    /** Per-thread MD5 and scratch space, so that an event id costs the digest and one String. */
    private static final class EventIdDigest {
        private final MessageDigest md5;
        private final byte[] digits = new byte[1 + 11 + 1 + 20];
        private final byte[] hash = new byte[16];
        private final char[] hex = new char[32];
        private String topic;
        private byte[] topicBytes;

        EventIdDigest() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is required of every JVM", e);
            }
        }

        String eventId(String topic, int partition, long offset) {
            if (!topic.equals(this.topic)) {
                this.topicBytes = topic.getBytes(StandardCharsets.UTF_8);
                this.topic = topic;
            }
            // "/partition/offset" in ASCII, written backwards from the end of the scratch array
            int pos = digits.length;
            pos = writeDecimal(offset, pos);
            digits[--pos] = '/';
            pos = writeDecimal(partition, pos);
            digits[--pos] = '/';
            md5.reset();
            md5.update(topicBytes);
            md5.update(digits, pos, digits.length - pos);
            try {
                md5.digest(hash, 0, 16);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            byte[] h = hash;
            h[6] = (byte) ((h[6] & 0x0f) | 0x30);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            for (int i = 0; i < 16; i++) {
                hex[2 * i] = HEX[(h[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[h[i] & 0xf];
            }
            return new String(hex);
        }

        /** Writes v in decimal (with its sign) ending just before {@code end}; returns where it starts. */
        private int writeDecimal(long v, int end) {
            int pos = end;
            if (v == Long.MIN_VALUE) {
                byte[] b = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
                pos -= b.length;
                System.arraycopy(b, 0, digits, pos, b.length);
                return pos;
            }
            long x = Math.abs(v);
            do {
                digits[--pos] = (byte) ('0' + (x % 10));
                x /= 10;
            } while (x != 0);
            if (v < 0) digits[--pos] = '-';
            return pos;
        }
    }

    /** Parses ISO-8601 text or epoch numbers (seconds, millis, micros or nanos, told apart by size). */
    static Long parseTimestamp(Object value) {
        if (value instanceof JsonNode node) {
            return node.isNumber()
                    ? fromEpoch(node.asDouble())
                    : node.isString() ? parseTimestamp(node.stringValue()) : null;
        }
        return parseTimestamp((String) value);
    }

    private static Long parseTimestamp(String text) {
        String s = text.trim();
        if (s.isEmpty()) return null;
        if (isNumeric(s)) {
            try {
                return fromEpoch(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        Long fast = IsoTimestamps.parse(s);
        if (fast != null) return fast;
        if (s.length() > 10 && s.charAt(10) == ' ') s = s.substring(0, 10) + 'T' + s.substring(11);
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // fall through: no zone given
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long fromEpoch(double v) {
        if (!(v > 0) || Double.isInfinite(v)) return null;
        if (v < 1e11) return (long) (v * 1000); // seconds (until year 5138)
        if (v < 1e14) return (long) v; // millis
        if (v < 1e17) return (long) (v / 1000); // micros
        return (long) (v / 1_000_000); // nanos
    }

    private static boolean isNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && c != '.') return false;
        }
        return true;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out, int depth) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + '.' + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject() && depth < MAX_FLATTEN_DEPTH && !v.isEmpty()) flatten(key, v, out, depth + 1);
            else out.putIfAbsent(key, v.isString() ? v.stringValue() : v);
        }
    }

    /** Removes and returns the first of the names present. Later names stay as labels. */
    private static Object take(Map<String, Object> fields, String[] names) {
        for (String n : names) {
            Object v = fields.remove(n);
            if (v != null) return v;
        }
        return null;
    }

    private static boolean isNull(Object v) {
        return v instanceof JsonNode n && n.isNull();
    }

    private static String text(Object n) {
        if (n == null || isNull(n)) return null;
        String s = str(n);
        return s.isEmpty() ? null : s;
    }

    /** The text of any value: strings as they are, other scalars as text, arrays and objects as JSON. */
    private static String str(Object v) {
        if (v instanceof String s) return s;
        JsonNode n = (JsonNode) v;
        if (n.isString()) return n.stringValue();
        return n.isContainer() ? n.toString() : n.asString();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return truncate(nl < 0 ? s : s.substring(0, nl), 200);
    }
}
