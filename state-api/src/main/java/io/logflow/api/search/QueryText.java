package io.logflow.api.search;

import java.util.Map;

/**
 * The user's query text made ready for Elasticsearch's {@code query_string}: the short field names LogFlow's API
 * uses elsewhere ({@code service}, {@code level}, {@code trace_id} …) become the ECS fields of the documents
 * ({@code service.name}, {@code log.level}, {@code trace.id} …). Quoted phrases, escaped characters and every
 * other part of the text are left exactly as typed, so Elasticsearch's parser reports errors at the column the
 * user sees (a rename only lengthens the text after it, and {@link #column} maps a column back).
 */
final class QueryText {
    private QueryText() {}

    /** Short names and the ECS field each one means. */
    static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("service", "service.name"),
            Map.entry("level", "log.level"),
            Map.entry("trace_id", "trace.id"),
            Map.entry("traceId", "trace.id"),
            Map.entry("trace", "trace.id"),
            Map.entry("span_id", "span.id"),
            Map.entry("spanId", "span.id"),
            Map.entry("event_id", "event.id"),
            Map.entry("eventId", "event.id"),
            Map.entry("request_id", "http.request.id"),
            Map.entry("requestId", "http.request.id"),
            Map.entry("msg", "message"),
            Map.entry("timestamp", "@timestamp"),
            Map.entry("time", "@timestamp"));

    /** The fields of a log document; every other name is one of its labels. */
    static final java.util.Set<String> DOCUMENT_FIELDS = java.util.Set.of(
            "@timestamp",
            "event.id",
            "service.name",
            "log.level",
            "message",
            "message.keyword",
            "trace.id",
            "span.id",
            "http.request.id");

    /**
     * The document field a name before {@code :} means: a short name's ECS field, a document field as it is, a
     * name with a wildcard or a leading {@code _} ({@code _exists_}, {@code _id}) as it is, else the label of that
     * name ({@code host:h1} is {@code labels.host:h1}, as the labels are the log's own fields).
     */
    static String field(String name) {
        String mapped = FIELDS.get(name);
        if (mapped != null) return mapped;
        if (DOCUMENT_FIELDS.contains(name) || name.startsWith("labels.") || name.startsWith("_") || name.contains("*"))
            return name;
        return "labels." + name;
    }

    /**
     * The text with every field name (a name directly before {@code :}) replaced by the field it means ({@link
     * #field}).
     */
    static String rewrite(String q) {
        StringBuilder out = new StringBuilder(q.length() + 16);
        int i = 0;
        int n = q.length();
        while (i < n) {
            char c = q.charAt(i);
            if (c == '\\' && i + 1 < n) {
                out.append(c).append(q.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                int end = closingQuote(q, i);
                out.append(q, i, end);
                i = end;
            } else if (startsName(c) && (i == 0 || boundary(q.charAt(i - 1)))) {
                int end = i + 1;
                while (end < n && partOfName(q.charAt(end))) end++;
                String name = q.substring(i, end);
                out.append(end < n && q.charAt(end) == ':' ? field(name) : name);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * The column (1-based) in the user's text of a column Elasticsearch reported in the rewritten text: each rename
     * before it moved it right by the difference in length.
     */
    static int column(String q, int rewrittenColumn) {
        int shift = 0;
        int i = 0;
        int n = q.length();
        while (i < n && i + shift < rewrittenColumn - 1) {
            char c = q.charAt(i);
            if (c == '\\' && i + 1 < n) {
                i += 2;
            } else if (c == '"') {
                i = closingQuote(q, i);
            } else if (startsName(c) && (i == 0 || boundary(q.charAt(i - 1)))) {
                int end = i + 1;
                while (end < n && partOfName(q.charAt(end))) end++;
                if (end < n && q.charAt(end) == ':')
                    shift += field(q.substring(i, end)).length() - (end - i);
                i = end;
            } else {
                i++;
            }
        }
        return Math.max(1, rewrittenColumn - shift);
    }

    /** Index just past the quote that closes the one at {@code open}, or the end of the text. */
    private static int closingQuote(String q, int open) {
        int i = open + 1;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (c == '\\') i += 2;
            else if (c == '"') return i + 1;
            else i++;
        }
        return q.length();
    }

    private static boolean startsName(char c) {
        return Character.isLetter(c) || c == '_' || c == '@';
    }

    private static boolean partOfName(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '@' || c == '-';
    }

    /** Characters after which a field name may start: the start of a clause. */
    private static boolean boundary(char c) {
        return Character.isWhitespace(c) || c == '(' || c == '+' || c == '-' || c == '!';
    }
}
