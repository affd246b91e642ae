package io.logflow.model.normalize;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;

/**
 * The fast path of {@link LogNormalizer}: reads a JSON object in one streaming pass straight into
 * the flattened field map the normaliser works on (nested objects as dotted names, first name
 * wins), with the same values a Jackson tree would give — strings as {@link String}, every other
 * value as the {@link JsonNode} {@code readTree} would have built for it. No tree of the whole
 * document, no second map.
 *
 * <p>Whatever it is not sure to read exactly as the tree path does, it refuses (returns null) and
 * the normaliser takes the tree path: not an object, invalid JSON, content after the object, a
 * name repeated within one object (the tree keeps the last value, at the first one's position),
 * two fields flattening to the same dotted name.
 */
final class FlatReader {
    /**
     * The parser settings of {@link LogNormalizer#JSON} (defaults). Parsers come from the factory:
     * one from the mapper costs a deserialization context per document.
     */
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Reads the rare values kept as nodes (arrays, floats, big integers, deep objects) as the tree path does. */
    private static final JsonMapper JSON = LogNormalizer.JSON;

    private FlatReader() {}

    /** The flattened fields of a JSON object, or null when the tree path must decide. */
    static Map<String, Object> read(byte[] raw) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            Map<String, Object> out = new LinkedHashMap<>();
            String first = p.nextName();
            if (first != null && !readObject(p, "", first, out, 0)) return null;
            if (p.nextToken() != null) return null; // trailing content: let the tree path judge it
            return out;
        } catch (JacksonException e) {
            return null; // the tree path reports it
        }
    }

    /**
     * Reads the rest of an object whose first name was just read, up to and including its END_OBJECT.
     *
     * @param prefix the dotted name of this object, empty at the root
     * @return false when the tree path must decide
     */
    private static boolean readObject(
            JsonParser p, String prefix, String firstName, Map<String, Object> out, int depth) {
        String name = firstName;
        String[] names = new String[8];
        int count = 0;
        do {
            for (int i = 0; i < count; i++)
                if (names[i].equals(name)) return false; // a repeated name: the tree keeps the last value
            if (count == names.length) names = java.util.Arrays.copyOf(names, count * 2);
            names[count++] = name;
            String key =
                    prefix.isEmpty() ? name : prefix + '.' + name; // as the tree path: an empty name adds no prefix
            JsonToken t = p.nextToken();
            Object value;
            switch (t) {
                case VALUE_STRING -> value = p.getString();
                case VALUE_NUMBER_INT -> {
                    JsonParser.NumberType nt = p.getNumberType();
                    if (nt == JsonParser.NumberType.INT) value = IntNode.valueOf(p.getIntValue());
                    else if (nt == JsonParser.NumberType.LONG) value = LongNode.valueOf(p.getLongValue());
                    else value = JSON.readTree(p);
                }
                case VALUE_TRUE -> value = BooleanNode.TRUE;
                case VALUE_FALSE -> value = BooleanNode.FALSE;
                case VALUE_NULL -> value = NullNode.instance;
                case START_OBJECT -> {
                    if (depth < LogNormalizer.MAX_FLATTEN_DEPTH) {
                        String nested = p.nextName();
                        if (nested != null) {
                            if (!readObject(p, key, nested, out, depth + 1)) return false;
                            continue;
                        }
                        value = JSON.createObjectNode(); // {} stays a value
                    } else {
                        value = JSON.readTree(p);
                    }
                }
                case START_ARRAY, VALUE_NUMBER_FLOAT -> value = JSON.readTree(p);
                default -> {
                    return false;
                }
            }
            if (out.putIfAbsent(key, value) != null) return false; // two fields, one dotted name
        } while ((name = p.nextName()) != null);
        return p.currentToken() == JsonToken.END_OBJECT;
    }
}
