package io.logflow.api.ingest;

import io.logflow.api.web.ApiException;
import io.logflow.model.normalize.LogNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request body of {@code POST /api/v1/logs} split into entries and validated by {@link
 * LogNormalizer} with the topology's own rules. Accepts one JSON object, a JSON array of objects,
 * or NDJSON (one object per line; detected without the content type when the body holds more than
 * one value). Entries are indexed from 0 in body order; blank NDJSON lines are skipped.
 */
final class IngestBatch {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Per-entry reasons listed in a response at most; counts are always exact. */
    static final int MAX_ERRORS_LISTED = 1000;

    /** A valid log: its original JSON and its service (the record key). */
    record Accepted(int index, byte[] json, String service) {}

    record Rejected(int index, String reason) {}

    final List<Accepted> accepted = new ArrayList<>();
    final List<Rejected> rejected = new ArrayList<>();
    private int rejectedCount;

    int rejectedCount() {
        return rejectedCount;
    }

    /**
     * @param ndjson the request said application/x-ndjson
     * @param now the time used to judge timestamps (as the topology uses the record time)
     * @throws ApiException 400 when the body is empty or not JSON at all
     */
    static IngestBatch parse(byte[] body, boolean ndjson, long now) {
        IngestBatch batch = new IngestBatch();
        int first = firstNonWhitespace(body, 0);
        if (first < 0)
            throw ApiException.badRequest("request body is empty: send a JSON object, a JSON array or NDJSON");
        if (ndjson) {
            batch.lines(body, now);
        } else if (body[first] == '[') {
            batch.array(body, now);
        } else if (body[first] == '{' && isSingleValue(body)) {
            int end = body.length;
            while (end > first && isWhitespace(body[end - 1])) end--;
            batch.entry(0, Arrays.copyOfRange(body, first, end), now);
        } else if (hasLineBreak(body, first)) {
            batch.lines(body, now);
        } else {
            throw ApiException.badRequest("request body is not valid JSON: send a JSON object, a JSON array or NDJSON");
        }
        return batch;
    }

    private void array(byte[] body, long now) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        }
        int i = 0;
        for (JsonNode element : root) {
            if (!element.isObject()) reject(i, "not a JSON object");
            else entry(i, JSON.writeValueAsBytes(element), now);
            i++;
        }
    }

    private void lines(byte[] body, long now) {
        int index = 0;
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') end++;
            int s = firstNonWhitespace(body, start);
            if (s >= 0 && s < end) {
                int e = end;
                while (e > s && isWhitespace(body[e - 1])) e--;
                entry(index++, Arrays.copyOfRange(body, s, e), now);
            }
            start = end + 1;
        }
    }

    private void entry(int index, byte[] json, long now) {
        LogNormalizer.Result result = LogNormalizer.normalize(json, "ingest", now);
        if (result instanceof LogNormalizer.Accepted a)
            accepted.add(new Accepted(index, json, a.log().service()));
        else reject(index, ((LogNormalizer.Rejected) result).reason());
    }

    private void reject(int index, String reason) {
        rejectedCount++;
        if (rejected.size() < MAX_ERRORS_LISTED) rejected.add(new Rejected(index, reason));
    }

    /** True when the body parses as exactly one JSON value (nothing but whitespace after it). */
    private static boolean isSingleValue(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == null) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static boolean hasLineBreak(byte[] body, int from) {
        for (int i = from; i < body.length; i++) if (body[i] == '\n') return true;
        return false;
    }

    private static int firstNonWhitespace(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (!isWhitespace(b[i])) return i;
        return -1;
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
