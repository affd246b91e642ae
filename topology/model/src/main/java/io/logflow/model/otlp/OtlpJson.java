package io.logflow.model.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OTLP JSON, read into the protobuf messages and written from them, by the rules of the OTLP
 * specification rather than protobuf's JSON mapping:
 *
 * <ul>
 *   <li>trace and span ids are hex (either case); ids in base64, as protobuf's JSON mapping writes
 *       them, are accepted when they decode to exactly 16 or 8 bytes.
 *   <li>enums are integers, or their protobuf names ({@code "SPAN_KIND_SERVER"}).
 *   <li>64-bit integers (times, {@code intValue}) are decimal strings or numbers.
 *   <li>names are lowerCamelCase; the protobuf names (snake_case) are accepted too.
 *   <li>unknown fields are ignored, {@code null} means absent.
 * </ul>
 *
 * An id that is valid hex of the wrong length is read as it is and rejected (as a span, not as a
 * request) by {@link OtlpValidation}, like the same id in protobuf. Anything else that does not fit
 * the schema is an {@link OtlpDecodeException} naming the JSON path: {@code
 * resourceSpans[0].scopeSpans[1].spans[3].traceId: not 32 hex characters ('xyz')}. Attribute values
 * may nest at most {@value #MAX_VALUE_DEPTH} arrays or key-value lists deep (so that the protobuf
 * form stays within protobuf's own nesting limit).
 */
public final class OtlpJson {
    /** How deep array and key-value-list values may nest. */
    public static final int MAX_VALUE_DEPTH = 20;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private OtlpJson() {}

    /** @throws OtlpDecodeException when the body is not an OTLP JSON {@code ExportTraceServiceRequest} */
    public static ExportTraceServiceRequest readTraces(byte[] json) {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        fields(tree(json), Path.ROOT, (name, v, p) -> {
            if (name.equals("resourceSpans")) array(v, p, (e, ep) -> b.addResourceSpans(resourceSpans(e, ep)));
        });
        return b.build();
    }

    /** @throws OtlpDecodeException when the body is not an OTLP JSON {@code ExportLogsServiceRequest} */
    public static ExportLogsServiceRequest readLogs(byte[] json) {
        ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
        fields(tree(json), Path.ROOT, (name, v, p) -> {
            if (name.equals("resourceLogs")) array(v, p, (e, ep) -> b.addResourceLogs(resourceLogs(e, ep)));
        });
        return b.build();
    }

    /**
     * The data points of an OTLP JSON {@code ExportMetricsServiceRequest}: the elements of every
     * {@code dataPoints} array (any metric type). LogFlow stores no metrics; this only counts them for
     * an honest partial-success answer.
     *
     * @throws OtlpDecodeException when the body is not a JSON object
     */
    public static long countMetricDataPoints(byte[] json) {
        return countDataPoints(tree(json), 0);
    }

    private static long countDataPoints(JsonNode node, int depth) {
        if (depth > 16) return 0;
        long n = 0;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getValue().isArray() && lowerCamel(e.getKey()).equals("dataPoints"))
                    n += e.getValue().size();
                else n += countDataPoints(e.getValue(), depth + 1);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) n += countDataPoints(element, depth + 1);
        }
        return n;
    }

    /** {@code {}}, or {@code {"partialSuccess":{"rejectedDataPoints":2,"errorMessage":"…"}}}. */
    public static byte[] write(ExportMetricsServiceResponse response) {
        if (!response.hasPartialSuccess()) return new byte[] {'{', '}'};
        return partialSuccess(
                "rejectedDataPoints",
                response.getPartialSuccess().getRejectedDataPoints(),
                response.getPartialSuccess().getErrorMessage());
    }

    /** {@code {}}, or {@code {"partialSuccess":{"rejectedSpans":2,"errorMessage":"…"}}}. */
    public static byte[] write(ExportTraceServiceResponse response) {
        if (!response.hasPartialSuccess()) return new byte[] {'{', '}'};
        return partialSuccess(
                "rejectedSpans",
                response.getPartialSuccess().getRejectedSpans(),
                response.getPartialSuccess().getErrorMessage());
    }

    /** {@code {}}, or {@code {"partialSuccess":{"rejectedLogRecords":2,"errorMessage":"…"}}}. */
    public static byte[] write(ExportLogsServiceResponse response) {
        if (!response.hasPartialSuccess()) return new byte[] {'{', '}'};
        return partialSuccess(
                "rejectedLogRecords",
                response.getPartialSuccess().getRejectedLogRecords(),
                response.getPartialSuccess().getErrorMessage());
    }

    private static byte[] partialSuccess(String countName, long rejected, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + message.length());
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeName("partialSuccess");
            g.writeStartObject();
            g.writeNumberProperty(countName, rejected);
            if (!message.isEmpty()) g.writeStringProperty("errorMessage", message);
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ traces

    private static ResourceSpans resourceSpans(JsonNode node, Path path) {
        ResourceSpans.Builder b = ResourceSpans.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "resource" -> b.setResource(resource(v, p));
                case "scopeSpans" -> array(v, p, (e, ep) -> b.addScopeSpans(scopeSpans(e, ep)));
                case "schemaUrl" -> b.setSchemaUrl(string(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static ScopeSpans scopeSpans(JsonNode node, Path path) {
        ScopeSpans.Builder b = ScopeSpans.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "scope" -> b.setScope(scope(v, p));
                case "spans" -> array(v, p, (e, ep) -> b.addSpans(span(e, ep)));
                case "schemaUrl" -> b.setSchemaUrl(string(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static Span span(JsonNode node, Path path) {
        Span.Builder b = Span.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "traceId" -> b.setTraceId(id(v, p, 16));
                case "spanId" -> b.setSpanId(id(v, p, 8));
                case "traceState" -> b.setTraceState(string(v, p));
                case "parentSpanId" -> b.setParentSpanId(id(v, p, 8));
                case "flags" -> b.setFlags(uint32(v, p));
                case "name" -> b.setName(string(v, p));
                case "kind" -> b.setKindValue(enumValue(v, p, Span.SpanKind::valueOf, Span.SpanKind::getNumber));
                case "startTimeUnixNano" -> b.setStartTimeUnixNano(uint64(v, p));
                case "endTimeUnixNano" -> b.setEndTimeUnixNano(uint64(v, p));
                case "attributes" -> array(v, p, (e, ep) -> b.addAttributes(keyValue(e, ep, 0)));
                case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(v, p));
                case "events" -> array(v, p, (e, ep) -> b.addEvents(event(e, ep)));
                case "droppedEventsCount" -> b.setDroppedEventsCount(uint32(v, p));
                case "links" -> array(v, p, (e, ep) -> b.addLinks(link(e, ep)));
                case "droppedLinksCount" -> b.setDroppedLinksCount(uint32(v, p));
                case "status" -> b.setStatus(status(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static Span.Event event(JsonNode node, Path path) {
        Span.Event.Builder b = Span.Event.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "timeUnixNano" -> b.setTimeUnixNano(uint64(v, p));
                case "name" -> b.setName(string(v, p));
                case "attributes" -> array(v, p, (e, ep) -> b.addAttributes(keyValue(e, ep, 0)));
                case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static Span.Link link(JsonNode node, Path path) {
        Span.Link.Builder b = Span.Link.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "traceId" -> b.setTraceId(id(v, p, 16));
                case "spanId" -> b.setSpanId(id(v, p, 8));
                case "traceState" -> b.setTraceState(string(v, p));
                case "attributes" -> array(v, p, (e, ep) -> b.addAttributes(keyValue(e, ep, 0)));
                case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(v, p));
                case "flags" -> b.setFlags(uint32(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static Status status(JsonNode node, Path path) {
        Status.Builder b = Status.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "message" -> b.setMessage(string(v, p));
                case "code" ->
                    b.setCodeValue(enumValue(v, p, Status.StatusCode::valueOf, Status.StatusCode::getNumber));
                default -> {}
            }
        });
        return b.build();
    }

    // ------------------------------------------------------------------ logs

    private static ResourceLogs resourceLogs(JsonNode node, Path path) {
        ResourceLogs.Builder b = ResourceLogs.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "resource" -> b.setResource(resource(v, p));
                case "scopeLogs" -> array(v, p, (e, ep) -> b.addScopeLogs(scopeLogs(e, ep)));
                case "schemaUrl" -> b.setSchemaUrl(string(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static ScopeLogs scopeLogs(JsonNode node, Path path) {
        ScopeLogs.Builder b = ScopeLogs.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "scope" -> b.setScope(scope(v, p));
                case "logRecords" -> array(v, p, (e, ep) -> b.addLogRecords(logRecord(e, ep)));
                case "schemaUrl" -> b.setSchemaUrl(string(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static LogRecord logRecord(JsonNode node, Path path) {
        LogRecord.Builder b = LogRecord.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "timeUnixNano" -> b.setTimeUnixNano(uint64(v, p));
                case "observedTimeUnixNano" -> b.setObservedTimeUnixNano(uint64(v, p));
                case "severityNumber" ->
                    b.setSeverityNumberValue(enumValue(v, p, SeverityNumber::valueOf, SeverityNumber::getNumber));
                case "severityText" -> b.setSeverityText(string(v, p));
                case "body" -> b.setBody(anyValue(v, p, 0));
                case "attributes" -> array(v, p, (e, ep) -> b.addAttributes(keyValue(e, ep, 0)));
                case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(v, p));
                case "flags" -> b.setFlags(uint32(v, p));
                case "traceId" -> b.setTraceId(id(v, p, 16));
                case "spanId" -> b.setSpanId(id(v, p, 8));
                case "eventName" -> b.setEventName(string(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    // ------------------------------------------------------------------ common

    private static Resource resource(JsonNode node, Path path) {
        Resource.Builder b = Resource.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "attributes" -> array(v, p, (e, ep) -> b.addAttributes(keyValue(e, ep, 0)));
                case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(v, p));
                case "entityRefs" -> array(v, p, (e, ep) -> b.addEntityRefs(entityRef(e, ep)));
                default -> {}
            }
        });
        return b.build();
    }

    private static EntityRef entityRef(JsonNode node, Path path) {
        EntityRef.Builder b = EntityRef.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "schemaUrl" -> b.setSchemaUrl(string(v, p));
                case "type" -> b.setType(string(v, p));
                case "idKeys" -> array(v, p, (e, ep) -> b.addIdKeys(string(e, ep)));
                case "descriptionKeys" -> array(v, p, (e, ep) -> b.addDescriptionKeys(string(e, ep)));
                default -> {}
            }
        });
        return b.build();
    }

    private static InstrumentationScope scope(JsonNode node, Path path) {
        InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "name" -> b.setName(string(v, p));
                case "version" -> b.setVersion(string(v, p));
                case "attributes" -> array(v, p, (e, ep) -> b.addAttributes(keyValue(e, ep, 0)));
                case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static KeyValue keyValue(JsonNode node, Path path, int depth) {
        KeyValue.Builder b = KeyValue.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "key" -> b.setKey(string(v, p));
                case "value" -> b.setValue(anyValue(v, p, depth));
                case "keyStrindex" -> b.setKeyStrindex(int32(v, p));
                default -> {}
            }
        });
        return b.build();
    }

    private static AnyValue anyValue(JsonNode node, Path path, int depth) {
        AnyValue.Builder b = AnyValue.newBuilder();
        fields(node, path, (name, v, p) -> {
            switch (name) {
                case "stringValue" -> b.setStringValue(string(v, p));
                case "boolValue" -> b.setBoolValue(bool(v, p));
                case "intValue" -> b.setIntValue(int64(v, p));
                case "doubleValue" -> b.setDoubleValue(dbl(v, p));
                case "bytesValue" -> b.setBytesValue(base64(v, p));
                case "stringValueStrindex" -> b.setStringValueStrindex(int32(v, p));
                case "arrayValue" -> {
                    if (depth >= MAX_VALUE_DEPTH)
                        throw error(p, "values nested deeper than " + MAX_VALUE_DEPTH + " levels");
                    ArrayValue.Builder array = ArrayValue.newBuilder();
                    fields(v, p, (n2, v2, p2) -> {
                        if (n2.equals("values")) array(v2, p2, (e, ep) -> array.addValues(anyValue(e, ep, depth + 1)));
                    });
                    b.setArrayValue(array);
                }
                case "kvlistValue" -> {
                    if (depth >= MAX_VALUE_DEPTH)
                        throw error(p, "values nested deeper than " + MAX_VALUE_DEPTH + " levels");
                    KeyValueList.Builder list = KeyValueList.newBuilder();
                    fields(v, p, (n2, v2, p2) -> {
                        if (n2.equals("values")) array(v2, p2, (e, ep) -> list.addValues(keyValue(e, ep, depth + 1)));
                    });
                    b.setKvlistValue(list);
                }
                default -> {}
            }
        });
        return b.build();
    }

    // ------------------------------------------------------------------ tree walking

    private static JsonNode tree(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new OtlpDecodeException("not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) throw new OtlpDecodeException("not a JSON object");
        return root;
    }

    @FunctionalInterface
    private interface FieldHandler {
        void field(String lowerCamelName, JsonNode value, Path path);
    }

    /**
     * Calls the handler for every non-null field of an object, with its name in lowerCamelCase and its path as sent.
     */
    private static void fields(JsonNode node, Path path, FieldHandler handler) {
        if (node == null || node.isNull()) return;
        if (!node.isObject()) throw error(path, "expected an object, got " + describe(node));
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            handler.field(lowerCamel(e.getKey()), v, path.field(e.getKey()));
        }
    }

    @FunctionalInterface
    private interface ElementHandler {
        void element(JsonNode value, Path path);
    }

    private static void array(JsonNode node, Path path, ElementHandler handler) {
        if (!node.isArray()) throw error(path, "expected an array, got " + describe(node));
        for (int i = 0; i < node.size(); i++) handler.element(node.get(i), path.index(i));
    }

    /** {@code trace_id} → {@code traceId}; lowerCamelCase names stay as they are. */
    static String lowerCamel(String name) {
        int underscore = name.indexOf('_');
        if (underscore < 0) return name;
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                upper = b.length() > 0;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ scalars

    private static String string(JsonNode v, Path p) {
        if (!v.isString()) throw error(p, "expected a string, got " + describe(v));
        return v.stringValue();
    }

    private static boolean bool(JsonNode v, Path p) {
        if (v.isBoolean()) return v.booleanValue();
        if (v.isString() && (v.stringValue().equals("true") || v.stringValue().equals("false")))
            return v.stringValue().equals("true");
        throw error(p, "expected true or false, got " + describe(v));
    }

    private static double dbl(JsonNode v, Path p) {
        if (v.isNumber()) return v.doubleValue();
        if (v.isString()) {
            String s = v.stringValue();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    if (s.length() <= 64 && isDecimal(s)) {
                        try {
                            return Double.parseDouble(s);
                        } catch (NumberFormatException e) {
                            // below
                        }
                    }
            }
        }
        throw error(p, "expected a number, got " + describe(v));
    }

    private static boolean isDecimal(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') return false;
        }
        return true;
    }

    private static long uint64(JsonNode v, Path p) {
        BigInteger n = integer(v, p);
        if (n.signum() < 0 || n.compareTo(UINT64_MAX) > 0)
            throw error(p, "out of range of an unsigned 64-bit integer: " + n);
        return n.longValue(); // the bits of the unsigned value, as protobuf keeps fixed64
    }

    private static long int64(JsonNode v, Path p) {
        BigInteger n = integer(v, p);
        if (n.bitLength() > 63) throw error(p, "out of range of a 64-bit integer: " + n);
        return n.longValue();
    }

    private static int uint32(JsonNode v, Path p) {
        BigInteger n = integer(v, p);
        if (n.signum() < 0 || n.bitLength() > 32) throw error(p, "out of range of an unsigned 32-bit integer: " + n);
        return n.intValue();
    }

    private static int int32(JsonNode v, Path p) {
        BigInteger n = integer(v, p);
        if (n.bitLength() > 31) throw error(p, "out of range of a 32-bit integer: " + n);
        return n.intValue();
    }

    /** A whole number given as a JSON number or a decimal string (exponents allowed if the value is whole). */
    private static BigInteger integer(JsonNode v, Path p) {
        if (v.isIntegralNumber()) return v.bigIntegerValue();
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p65)
                return new BigDecimal(d).toBigInteger();
            throw error(p, "expected a whole number, got " + describe(v));
        }
        if (v.isString()) {
            String s = v.stringValue();
            if (s.length() <= 40) {
                try {
                    BigDecimal d = new BigDecimal(s);
                    // the scale check keeps "1e999999999" from becoming a huge number
                    if (d.scale() >= -25) return d.toBigIntegerExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    // below
                }
            }
            throw error(p, "expected a whole number, got " + describe(v));
        }
        throw error(p, "expected a whole number (a number or a decimal string), got " + describe(v));
    }

    /** An enum given as its number (or a decimal string) or as its protobuf name. */
    private static <E extends Enum<E>> int enumValue(
            JsonNode v, Path p, Function<String, E> byName, ToIntFunction<E> number) {
        if (v.isString()) {
            String s = v.stringValue();
            if (!s.isEmpty() && Character.isLetter(s.charAt(0))) {
                E e;
                try {
                    e = byName.apply(s);
                } catch (IllegalArgumentException ex) {
                    throw error(p, "unknown value '" + excerpt(s) + "'");
                }
                if (e.name().equals("UNRECOGNIZED")) throw error(p, "unknown value '" + excerpt(s) + "'");
                return number.applyAsInt(e);
            }
        }
        return int32(v, p);
    }

    /** Trace and span ids: hex of any length (validation judges the length), or base64 of exactly the expected size. */
    private static ByteString id(JsonNode v, Path p, int size) {
        String s = string(v, p);
        byte[] hex = Hex.parse(s);
        if (hex != null) return ByteString.copyFrom(hex);
        byte[] b64 = decodeBase64(s);
        if (b64 != null && b64.length == size) return ByteString.copyFrom(b64);
        throw error(p, "not " + (2 * size) + " hex characters ('" + excerpt(s) + "')");
    }

    private static ByteString base64(JsonNode v, Path p) {
        String s = string(v, p);
        byte[] b = decodeBase64(s);
        if (b == null) throw error(p, "not base64 ('" + excerpt(s) + "')");
        return ByteString.copyFrom(b);
    }

    /** Standard or URL-safe base64, padded or not, as protobuf's JSON mapping accepts; null when neither. */
    private static byte[] decodeBase64(String s) {
        try {
            return (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                    .decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ errors

    private static OtlpDecodeException error(Path path, String problem) {
        return new OtlpDecodeException(path.render() + ": " + problem);
    }

    private static String describe(JsonNode v) {
        if (v.isString()) return "the string '" + excerpt(v.stringValue()) + "'";
        if (v.isObject()) return "an object";
        if (v.isArray()) return "an array";
        if (v.isBoolean()) return Boolean.toString(v.booleanValue());
        return excerpt(v.toString());
    }

    private static String excerpt(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() <= 200 ? line : line.substring(0, 200);
    }

    /** Where a value is, built as the walk descends and rendered only for an error. */
    private static final class Path {
        static final Path ROOT = new Path(null, null, -1);
        private final Path parent;
        private final String name;
        private final int index;

        private Path(Path parent, String name, int index) {
            this.parent = parent;
            this.name = name;
            this.index = index;
        }

        Path field(String name) {
            return new Path(this, name, -1);
        }

        Path index(int i) {
            return new Path(this, null, i);
        }

        String render() {
            if (parent == null) return "(root)";
            StringBuilder b = new StringBuilder();
            append(b);
            return b.toString();
        }

        private void append(StringBuilder b) {
            if (parent == null) return;
            parent.append(b);
            if (name != null) {
                if (b.length() > 0) b.append('.');
                b.append(name);
            } else {
                b.append('[').append(index).append(']');
            }
        }
    }
}
