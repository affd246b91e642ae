package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SearchBenchTest {
    @Test
    void theRawElasticsearchRequest_isTheApisFirstPage_withoutThePointInTime() {
        SearchBench.Query q = SearchBench.QUERIES.get(2);
        Instant to = Instant.parse("2026-12-06T12:00:00Z");
        JsonNode r = Api.JSON.readTree(SearchBench.elasticsearchRequest(q, to.minus(q.range()), to, "15s"));
        assertThat(r.get("size").asInt()).isEqualTo(SearchBench.PAGE + 1);
        JsonNode qs = r.get("query").get("bool").get("must").get(0).get("query_string");
        assertThat(qs.get("query").asString()).isEqualTo("service.name:payments AND log.level:ERROR");
        assertThat(qs.get("fields")).hasSize(SearchBench.DEFAULT_FIELDS.size());
        JsonNode range =
                r.get("query").get("bool").get("filter").get(0).get("range").get("@timestamp");
        assertThat(range.get("gte").asString())
                .isEqualTo(Long.toString(to.minusSeconds(900).toEpochMilli()));
        assertThat(r.get("sort").get(0).get("@timestamp").get("order").asString())
                .isEqualTo("desc");
        assertThat(r.get("aggs")
                        .get("histogram")
                        .get("date_histogram")
                        .get("fixed_interval")
                        .asString())
                .isEqualTo("15s");
        assertThat(r.has("pit")).isFalse();
    }

    @Test
    void everythingOver24Hours_hasNoQueryString() {
        SearchBench.Query q = SearchBench.QUERIES.get(3);
        Instant to = Instant.parse("2026-12-06T12:00:00Z");
        JsonNode r = Api.JSON.readTree(SearchBench.elasticsearchRequest(q, to.minus(q.range()), to, "30m"));
        assertThat(r.get("query").get("bool").has("must")).isFalse();
    }

    @Test
    void tookIsReadFromEitherAnswer() {
        assertThat(SearchBench.tookOf("{\"query\":{},\"total\":3,\"tookMs\":12,\"hits\":[]}"))
                .isEqualTo(12);
        assertThat(SearchBench.tookOf("{\"took\":7,\"timed_out\":false}")).isEqualTo(7);
        assertThat(SearchBench.tookOf("{\"hits\":[]}")).isEqualTo(-1);
    }
}
