package io.logflow.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import io.logflow.api.web.ApiException;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;

/** Elasticsearch's parse errors, shaped as its search API returns them, become a 400 naming q and the column. */
class BadQueryTest {
    static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    /** The error as Elasticsearch's search API answers it, read by the client's own deserializer. */
    static ElasticsearchException error(String shardReason) {
        String reason = JSON.writeValueAsString(shardReason);
        String body = "{\"error\":{\"root_cause\":[{\"type\":\"query_shard_exception\","
                + "\"reason\":\"Failed to parse query [x]\",\"index\":\"logflow-logs-2026.12.06\"}],"
                + "\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"phase\":\"query\",\"grouped\":true,\"failed_shards\":[{\"shard\":0,"
                + "\"index\":\"logflow-logs-2026.12.06\",\"reason\":{\"type\":\"query_shard_exception\","
                + "\"reason\":\"Failed to parse query [x]\",\"caused_by\":{\"type\":\"parse_exception\","
                + "\"reason\":" + reason + ",\"caused_by\":{\"type\":\"parse_exception\",\"reason\":"
                + "\"Encountered EOF\"}}}}]},\"status\":400}";
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        ErrorResponse response = ErrorResponse._DESERIALIZER.deserialize(
                mapper.jsonProvider().createParser(new StringReader(body)), mapper);
        return new ElasticsearchException("search", response);
    }

    static LogQuery query(String q) {
        LinkedMultiValueMap<String, String> p = new LinkedMultiValueMap<>();
        p.add("q", q);
        return LogQuery.parse(p, Instant.parse("2026-12-06T12:00:00Z"));
    }

    @Test
    void theParsersReasonAndTheColumnAsTyped() {
        Throwable t = QueryErrors.badQuery(
                query("service:a AND ("),
                error("Cannot parse 'service.name:a AND (': Encountered \"<EOF>\" at line 1, column 20.\n"
                        + "Was expecting one of:\n    <NOT> ..."));
        assertThat(t).isInstanceOf(ApiException.class);
        assertThat(t.getMessage())
                .isEqualTo("the query could not be parsed (at column 15): Encountered \"<EOF>\" at line 1, column 20.");
    }

    @Test
    void withoutAParserReasonStillA400() {
        ErrorCause top = ErrorCause.of(c -> c.type("illegal_argument_exception").reason("something odd"));
        Throwable t = QueryErrors.badQuery(
                query("x"),
                new ElasticsearchException(
                        "search", ErrorResponse.of(e -> e.status(400).error(top))));
        assertThat(t).isInstanceOf(ApiException.class).hasMessageContaining("something odd");
    }
}
