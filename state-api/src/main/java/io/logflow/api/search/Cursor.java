package io.logflow.api.search;

import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the next page of a search starts: the sort values of the last hit ({@code search_after}), the point in time
 * the pages read (null until a search has a second page), the range of the first page (so that "now" does not move
 * while paging) and a fingerprint of the query. Opaque to clients (base64url of JSON) and self-contained: any
 * instance continues any other's.
 *
 * @param pit the point-in-time id, or null
 * @param after the sort values of the last hit of the previous page: longs and strings
 * @param fromMillis the range's start, epoch millis
 * @param toMillis the range's end, epoch millis
 * @param fingerprint {@link LogQuery#fingerprint()} of the query this cursor pages
 */
record Cursor(String pit, List<Object> after, long fromMillis, long toMillis, String fingerprint) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int VERSION = 1;

    Cursor {
        after = List.copyOf(after);
        for (Object v : after) {
            if (!(v instanceof Long) && !(v instanceof String) && !(v instanceof Double))
                throw new IllegalArgumentException("sort value " + v);
        }
    }

    String encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", VERSION);
        if (pit != null) n.put("pit", pit);
        ArrayNode a = n.putArray("after");
        for (Object v : after) {
            if (v instanceof Long l) a.add(l);
            else if (v instanceof Double d) a.add(d);
            else a.add((String) v);
        }
        n.put("from", fromMillis);
        n.put("to", toMillis);
        n.put("fp", fingerprint);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of parameter {@code name}; a 400 naming it when it is not one this server made. */
    static Cursor decode(String name, String raw) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8));
            if (n == null || !n.isObject() || n.path("v").asInt(0) != VERSION) throw invalid(name);
            JsonNode a = n.get("after");
            if (a == null || !a.isArray() || a.isEmpty() || a.size() > 4) throw invalid(name);
            List<Object> after = new ArrayList<>();
            for (JsonNode v : a) {
                if (v.isIntegralNumber()) after.add(v.asLong());
                else if (v.isNumber()) after.add(v.asDouble());
                else if (v.isString()) after.add(v.asString());
                else throw invalid(name);
            }
            JsonNode pit = n.get("pit");
            if (pit != null && !pit.isString()) throw invalid(name);
            if (!n.path("from").isIntegralNumber()
                    || !n.path("to").isIntegralNumber()
                    || !n.path("fp").isString()) throw invalid(name);
            return new Cursor(
                    pit == null ? null : pit.asString(),
                    after,
                    n.get("from").asLong(),
                    n.get("to").asLong(),
                    n.get("fp").asString());
        } catch (IllegalArgumentException | JacksonException e) {
            throw invalid(name);
        }
    }

    private static ApiException invalid(String name) {
        return ApiException.badParameter(name, name + " is not a cursor of this API (use the one the last page gave)");
    }
}
