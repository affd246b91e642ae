package io.logflow.alerts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON plumbing shared by the rule and alert documents. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Doubles that hold a whole number up to this magnitude are written without a fraction (50, not 50.0). */
    private static final double MAX_EXACT_LONG = 9.007199254740992E15;

    private Json() {}

    static boolean isWhole(double v) {
        return v == Math.rint(v) && Math.abs(v) <= MAX_EXACT_LONG;
    }

    static void putNumber(ObjectNode node, String name, double v) {
        if (isWhole(v)) node.put(name, (long) v);
        else node.put(name, v);
    }

    /** The number as a Long when whole, else a Double: how it reads back from the JSON. */
    static Number number(double v) {
        return isWhole(v) ? (Number) (long) v : (Number) v;
    }

    /** The text of a string node; null for a missing or JSON null node. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isString()) throw new IllegalArgumentException(field + " must be a string");
        return v.stringValue();
    }

    static String requiredText(JsonNode node, String field) {
        String s = text(node, field);
        if (s == null) throw new IllegalArgumentException(field + " is required");
        return s;
    }

    static List<String> strings(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new IllegalArgumentException(field + " must be an array");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v.values()) {
            if (!e.isString()) throw new IllegalArgumentException(field + " must hold strings");
            out.add(e.stringValue());
        }
        return out;
    }

    /** A JSON object as a Map of plain Java values (String, Number, Boolean, null, List, Map). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode object) {
        return MAPPER.convertValue(object, LinkedHashMap.class);
    }

    /** A deep, unmodifiable copy of a JSON-like map (nested maps and lists copied too; null values kept). */
    static Map<String, Object> immutableCopy(Map<String, ?> map) {
        if (map == null || map.isEmpty()) return Map.of();
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) copy.put(e.getKey(), immutableValue(e.getValue()));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object immutableValue(Object v) {
        if (v instanceof Map<?, ?> m) return immutableCopy((Map<String, ?>) m);
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) copy.add(immutableValue(o));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
