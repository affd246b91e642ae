package io.logflow.api.auth;

import io.logflow.api.web.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON object body of a user or token route, read whole (at most {@link AuthHandler#MAX_BODY_BYTES}), and its
 * fields checked one by one: every problem is collected and answered as one 400 naming each field, as login does.
 */
final class JsonBody {
    private final JsonNode node;
    private final List<Map<String, String>> errors = new ArrayList<>();

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** The body as an object; a 400 naming {@code body} when it is missing or not a JSON object. */
    static Mono<JsonBody> read(ServerRequest req, JsonMapper json) {
        return req.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(bytes -> {
            if (bytes.length > AuthHandler.MAX_BODY_BYTES)
                throw ApiException.tooLarge(
                        "a body of " + AuthHandler.BASE + "/* is at most " + AuthHandler.MAX_BODY_BYTES + " bytes");
            return of(bytes, json);
        });
    }

    /** The fields whose value is a string (login's and refresh's bodies: nothing else is read). */
    Map<String, String> strings() {
        Map<String, String> out = new HashMap<>();
        for (var e : node.properties()) {
            if (e.getValue().isString()) out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    static JsonBody of(byte[] bytes, JsonMapper json) {
        JsonNode node;
        try {
            node = bytes.length == 0 ? null : json.readTree(bytes);
        } catch (RuntimeException e) {
            node = null;
        }
        if (node == null || !node.isObject())
            throw ApiException.invalidFields(List.of(error("body", "must be a JSON object")));
        return new JsonBody(node);
    }

    /** Records an error for every field not in {@code allowed} (a role or an owner cannot ride along). */
    JsonBody only(Set<String> allowed) {
        for (var e : node.properties()) {
            if (!allowed.contains(e.getKey())) errors.add(error(e.getKey(), "is not a field of this request"));
        }
        return this;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** The string {@code field}; null (with an error unless {@code optional}) when missing, an error if not text. */
    String string(String field, boolean optional) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (!optional) errors.add(error(field, "is required"));
            return null;
        }
        if (!v.isString()) {
            errors.add(error(field, "must be a string"));
            return null;
        }
        return v.asString();
    }

    /** The boolean {@code field}, or null when missing (an error if not true or false). */
    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) {
            errors.add(error(field, "must be true or false"));
            return null;
        }
        return v.booleanValue();
    }

    /** Records {@code message} as an error of {@code field}; nothing when it is null. */
    void add(String field, String message) {
        if (message != null) errors.add(error(field, message));
    }

    /** Throws the 400 with every error collected so far; nothing when there is none. */
    void check() {
        if (!errors.isEmpty()) throw ApiException.invalidFields(errors);
    }

    static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }
}
