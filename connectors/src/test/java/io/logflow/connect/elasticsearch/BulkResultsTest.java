package io.logflow.connect.elasticsearch;

import static io.logflow.connect.elasticsearch.TestObjects.bulk;
import static io.logflow.connect.elasticsearch.TestObjects.bulkResponse;
import static io.logflow.connect.elasticsearch.TestObjects.item;
import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import io.logflow.connect.elasticsearch.BulkResults.Result;
import io.logflow.connect.elasticsearch.BulkResults.Verdict;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BulkResultsTest {

    /** A partial failure as Elasticsearch 9 answers it, verbatim apart from ids. */
    private static final String PARTIAL_FAILURE = """
            {"errors":true,"took":12,"items":[
             {"index":{"_index":"logflow-logs-2026.01.01","_id":"a","_version":1,"result":"created",
               "_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},
             {"index":{"_index":"logflow-logs-2026.01.01","_id":"b","status":429,
               "error":{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating \
            operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, \
            coordinating_operation_bytes=108, max_coordinating_and_primary_bytes=10]"}}},
             {"index":{"_index":"logflow-logs-2026.01.01","_id":"c","status":400,
               "error":{"type":"document_parsing_exception",
                 "reason":"[1:15] failed to parse field [@timestamp] of type [date] in document with id 'c'. \
            Preview of field's value: 'yesterday'",
                 "caused_by":{"type":"illegal_argument_exception",
                   "reason":"failed to parse date field [yesterday] with format \
            [strict_date_optional_time||epoch_millis]",
                   "caused_by":{"type":"date_time_parse_exception",
                     "reason":"Failed to parse with all enclosed parsers"}}}}},
             {"index":{"_index":"logflow-logs-2026.01.01","_id":"d","_version":3,"result":"updated",
               "_shards":{"total":2,"successful":1,"failed":0},"_seq_no":5,"_primary_term":1,"status":200}},
             {"index":{"_index":"logflow-logs-2026.01.01","_id":"e","status":503,
               "error":{"type":"unavailable_shards_exception","reason":"[logflow-logs-2026.01.01][0] primary shard \
            is not active Timeout: [1m]"}}}
            ]}""";

    @Test
    void partialFailure_successesIndexed_429And5xxRetried_malformedRejected() {
        List<Result> results = BulkResults.of(5, bulkResponse(PARTIAL_FAILURE));
        assertThat(results)
                .extracting(Result::verdict)
                .containsExactly(Verdict.INDEXED, Verdict.RETRY, Verdict.REJECT, Verdict.INDEXED, Verdict.RETRY);
        assertThat(results.get(1).status()).isEqualTo(429);
        assertThat(results.get(1).reason()).startsWith("429 es_rejected_execution_exception: rejected execution");
        assertThat(results.get(2).status()).isEqualTo(400);
        assertThat(results.get(2).reason())
                .startsWith("400 document_parsing_exception: [1:15] failed to parse field [@timestamp]")
                .contains("(caused by illegal_argument_exception: failed to parse date field [yesterday]")
                .contains("(caused by date_time_parse_exception");
        assertThat(results.get(4).status()).isEqualTo(503);
    }

    @Test
    void allIndexed_whenNoErrors() {
        List<Result> results = BulkResults.of(2, bulk(item("a", 201, null, null), item("b", 200, null, null)));
        assertThat(results).containsExactly(Result.INDEXED, Result.INDEXED);
    }

    @Test
    void otherClientErrors_areRetried_notDropped() {
        List<Result> results = BulkResults.of(
                4,
                bulk(
                        item("a", 404, "index_not_found_exception", "no such index [x]"),
                        item("b", 403, "cluster_block_exception", "index [x] blocked by: [FORBIDDEN/8/index write]"),
                        item("c", 413, "too_long_http_line_exception", "too large"),
                        item("d", 409, "version_conflict_engine_exception", "conflict")));
        assertThat(results)
                .extracting(Result::verdict)
                .containsExactly(Verdict.RETRY, Verdict.RETRY, Verdict.REJECT, Verdict.RETRY);
    }

    @Test
    void documentsMissingFromTheAnswer_areRetried() {
        List<Result> results = BulkResults.of(3, bulk(item("a", 201, null, null)));
        assertThat(results).extracting(Result::verdict).containsExactly(Verdict.INDEXED, Verdict.RETRY, Verdict.RETRY);
        assertThat(results.get(2).reason()).contains("no answer");
    }

    @Test
    void requestThatGotNoAnswer_isRetried() {
        Result refused = BulkResults.requestFailed(10, new ConnectException("Connection refused"));
        assertThat(refused.verdict()).isEqualTo(Verdict.RETRY);
        assertThat(refused.status()).isZero();
        assertThat(refused.reason()).isEqualTo("ConnectException: Connection refused");
        Result timeout = BulkResults.requestFailed(1, new CompletionException(new SocketTimeoutException("30 s")));
        assertThat(timeout.verdict()).isEqualTo(Verdict.RETRY);
        assertThat(timeout.reason()).startsWith("SocketTimeoutException");
    }

    @Test
    void longMultiLineErrorMessages_areCutToOneShortLine() {
        String answer = "method [POST], host [http://es:9200], URI [/_bulk], status line [HTTP/1.1 502 Bad Gateway]\n"
                + "<html>\n" + "x".repeat(2_000) + "\n</html>";
        Result r = BulkResults.requestFailed(3, new java.io.IOException(answer));
        assertThat(r.reason())
                .doesNotContain("\n")
                .startsWith("IOException: method [POST]")
                .contains("<html> x");
        assertThat(r.reason().length()).isLessThan(BulkResults.MAX_REASON_CHARS + 40);
    }

    @Test
    void requestRefusedWith429Or5xx_isRetried() {
        Result tooMany = BulkResults.requestFailed(10, esError(429, "es_rejected_execution_exception"));
        assertThat(tooMany.verdict()).isEqualTo(Verdict.RETRY);
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.reason()).contains("es_rejected_execution_exception");
        Result unavailable =
                BulkResults.requestFailed(10, new CompletionException(esError(503, "master_not_discovered_exception")));
        assertThat(unavailable.verdict()).isEqualTo(Verdict.RETRY);
        assertThat(unavailable.status()).isEqualTo(503);
    }

    @Test
    void requestTooLarge_rejectsItsOnlyDocument_butRetriesABatch() {
        assertThat(BulkResults.requestFailed(1, esError(413, "content_too_long"))
                        .verdict())
                .isEqualTo(Verdict.REJECT);
        assertThat(BulkResults.requestFailed(5, esError(413, "content_too_long"))
                        .verdict())
                .isEqualTo(Verdict.RETRY);
    }

    private static ElasticsearchException esError(int status, String type) {
        return new ElasticsearchException(
                "bulk",
                ErrorResponse.of(e -> e.status(status).error(c -> c.type(type).reason("because"))));
    }
}
