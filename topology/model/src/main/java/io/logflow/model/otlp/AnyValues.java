package io.logflow.model.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.StringWriter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * OTLP attribute values as text, the way LogFlow stores every attribute: a string as it is, an int
 * in decimal, a double as Java prints it ({@code 0.25}, {@code 1.0E21}, {@code NaN}), a bool as
 * {@code true}/{@code false}, bytes in base64, and arrays and key-value lists as compact JSON (their
 * elements in their JSON types, bytes as base64 strings, an empty value as null).
 */
final class AnyValues {
    private static final JsonFactory JSON = new JsonFactory();

    private AnyValues() {}

    /** The text of a value; null when no value is set (OTLP's empty value). */
    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BYTES_VALUE ->
                Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> json(v);
            // string_value_strindex only means something inside a profiles dictionary
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
        };
    }

    /**
     * Attributes as a map of texts, in their order; attributes without a value are left out, and of
     * repeated keys (which OTLP forbids) the first is kept.
     */
    static Map<String, String> map(List<KeyValue> attributes) {
        if (attributes.isEmpty()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>(attributes.size() * 2);
        for (KeyValue kv : attributes) {
            String text = text(kv.getValue());
            if (text != null) out.putIfAbsent(kv.getKey(), text);
        }
        return out;
    }

    /** The value as compact JSON. */
    static String json(AnyValue v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(g, v);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> g.writeString(v.getStringValue());
            case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
            case INT_VALUE -> g.writeNumber(v.getIntValue());
            case DOUBLE_VALUE -> g.writeNumber(v.getDoubleValue());
            case BYTES_VALUE ->
                g.writeString(
                        Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                g.writeStartArray();
                for (AnyValue e : v.getArrayValue().getValuesList()) write(g, e);
                g.writeEndArray();
            }
            case KVLIST_VALUE -> {
                g.writeStartObject();
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    g.writeName(kv.getKey());
                    write(g, kv.getValue());
                }
                g.writeEndObject();
            }
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> g.writeNull();
        }
    }
}
