package io.logflow.connect.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What to do with each document of a bulk request, given Elasticsearch's answer: pure functions over the parsed
 * response (or the failure of the whole request), so every decision is testable without a server.
 *
 * <ul>
 *   <li>2xx item: indexed; its offset may be committed.
 *   <li>400 item (mapper_parsing_exception, document_parsing_exception, illegal_argument_exception ...) or 413: the
 *       document itself is wrong and will never be accepted: rejected, to the dead-letter queue.
 *   <li>Any other item status (429 es_rejected_execution_exception, 5xx, 404 or 403 of a cluster that is being
 *       set up, ...) and an item missing from the answer: retried with backoff. Retrying a document that may be
 *       refused forever holds its partition back (and fills the buffer) but never loses it.
 *   <li>The whole request failed (connection refused, timeout, 429, 5xx ...): every document retried, except a
 *       request of one document that is too large (413), rejected.
 * </ul>
 */
final class BulkResults {
    private BulkResults() {}

    /** Longest error message kept from a failed request, for logs and dead-letter reasons. */
    static final int MAX_REASON_CHARS = 500;

    enum Verdict {
        INDEXED,
        RETRY,
        REJECT
    }

    /**
     * @param status the HTTP status of the item (or of the request when it failed whole; 0 when there was no answer)
     * @param reason why it failed, for logs and the dead-letter queue; empty when indexed
     */
    record Result(Verdict verdict, int status, String reason) {
        static final Result INDEXED = new Result(Verdict.INDEXED, 200, "");
    }

    /** One result per document sent, in the order sent. */
    static List<Result> of(int sent, BulkResponse response) {
        List<BulkResponseItem> items = response.items();
        List<Result> results = new ArrayList<>(sent);
        for (int i = 0; i < sent; i++) {
            results.add(
                    i < items.size()
                            ? item(items.get(i))
                            : new Result(Verdict.RETRY, 0, "no answer for this document in the bulk response"));
        }
        return results;
    }

    static Result item(BulkResponseItem item) {
        int status = item.status();
        if (status >= 200 && status < 300 && item.error() == null) return Result.INDEXED;
        String reason = status + " " + describe(item.error());
        if (status == 400 || status == 413) return new Result(Verdict.REJECT, status, reason);
        return new Result(Verdict.RETRY, status, reason);
    }

    /** The result of every document of a request that failed whole. */
    static Result requestFailed(int sent, Throwable error) {
        Throwable e = unwrap(error);
        int status = status(e);
        String reason = (status > 0 ? status + " " : "") + describe(e);
        if (status == 413 && sent == 1) {
            return new Result(
                    Verdict.REJECT, status, reason + " (the document is larger than http.max_content_length)");
        }
        return new Result(Verdict.RETRY, status, reason);
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The HTTP status of a failed request; 0 when Elasticsearch did not answer (refused, reset, timed out). */
    static int status(Throwable e) {
        if (e instanceof ElasticsearchException es) return es.status();
        if (e instanceof ResponseException re) return re.getResponse().getStatusCode();
        if (e instanceof TransportException te) return Math.max(te.statusCode(), 0);
        return 0;
    }

    private static String describe(Throwable e) {
        if (e instanceof ElasticsearchException es && es.error() != null) return describe(es.error());
        String message = e.getMessage();
        if (message == null) return e.getClass().getSimpleName();
        // ResponseException's message holds the whole answer, over several lines: keep it short and on one
        String oneLine = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        if (oneLine.length() > MAX_REASON_CHARS) oneLine = oneLine.substring(0, MAX_REASON_CHARS) + " ...";
        return e.getClass().getSimpleName() + ": " + oneLine;
    }

    /** {@code type: reason}, then the causes, e.g. {@code document_parsing_exception: [1:15] failed ... (caused by
     * illegal_argument_exception: ...)}. */
    static String describe(ErrorCause error) {
        if (error == null) return "(no error in the answer)";
        StringBuilder s = new StringBuilder();
        s.append(error.type()).append(": ").append(error.reason() == null ? "" : error.reason());
        ErrorCause cause = error.causedBy();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.causedBy()) {
            s.append(" (caused by ")
                    .append(cause.type())
                    .append(": ")
                    .append(cause.reason() == null ? "" : cause.reason())
                    .append(')');
        }
        return s.toString();
    }
}
