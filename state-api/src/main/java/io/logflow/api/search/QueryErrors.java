package io.logflow.api.search;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.json.JsonData;
import io.logflow.api.web.ApiException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an Elasticsearch error on a search means for the user: a typo in the query, or a point in time gone. */
final class QueryErrors {
    private QueryErrors() {}

    private static final Pattern COLUMN = Pattern.compile("line (\\d+), column (\\d+)");

    /** Elasticsearch's 400 on the query text, as LogFlow's 400 naming {@code q} and the column the user typed. */
    static Throwable badQuery(LogQuery q, ElasticsearchException e) {
        String reason = parseReason(e.error());
        if (reason == null)
            return e.status() == 400
                    ? ApiException.badParameter(
                            "q", "invalid query: " + e.error().reason())
                    : e;
        Matcher at = COLUMN.matcher(reason);
        String where = at.find() ? " (at column " + QueryText.column(q.q(), Integer.parseInt(at.group(2))) + ")" : "";
        String why = reason.replaceFirst("(?s)^Cannot parse '.*?':\\s*", "");
        int expecting = why.indexOf("Was expecting");
        if (expecting > 0) why = why.substring(0, expecting).strip();
        return ApiException.badParameter("q", "the query could not be parsed" + where + ": " + why);
    }

    /**
     * The parser's reason in an Elasticsearch error ("Cannot parse '…': Encountered …"), found anywhere in it (it
     * sits in {@code failed_shards[].reason.caused_by}), else its "Failed to parse query" reason, else null.
     */
    static String parseReason(ErrorCause cause) {
        String[] found = new String[2];
        reasons(cause, found, 0);
        return found[0] != null ? found[0] : found[1];
    }

    private static void reasons(ErrorCause c, String[] found, int depth) {
        if (c == null || depth > 8) return;
        note(c.reason(), found);
        reasons(c.causedBy(), found, depth + 1);
        for (ErrorCause r : c.rootCause()) reasons(r, found, depth + 1);
        for (ErrorCause r : c.suppressed()) reasons(r, found, depth + 1);
        for (JsonData extra : c.metadata().values()) { // failed_shards[].reason.caused_by
            try {
                reasons(ERRORS.readTree(extra.toJson().toString()), found);
            } catch (RuntimeException e) {
                // not JSON we can read: the other reasons still count
            }
        }
    }

    private static void note(String reason, String[] found) {
        if (reason == null) return;
        if (found[0] == null && reason.startsWith("Cannot parse")) found[0] = reason;
        if (found[1] == null && reason.startsWith("Failed to parse query")) found[1] = reason;
    }

    private static final JsonMapper ERRORS = JsonMapper.builder().build();

    private static void reasons(JsonNode n, String[] found) {
        if (n == null) return;
        if (n.isObject()) {
            JsonNode reason = n.get("reason");
            if (reason != null && reason.isString()) note(reason.asString(), found);
            for (JsonNode child : n.values()) reasons(child, found);
        } else if (n.isArray()) {
            for (JsonNode child : n) reasons(child, found);
        }
    }

    static boolean expiredPit(ElasticsearchException e) {
        if (e.status() != 404) return false;
        for (ErrorCause c = e.error(); c != null; c = c.causedBy()) {
            if ("search_context_missing_exception".equals(c.type())) return true;
            for (ErrorCause root : c.rootCause())
                if ("search_context_missing_exception".equals(root.type())) return true;
        }
        return false;
    }
}
