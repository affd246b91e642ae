package io.logflow.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.JsonpDeserializer;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import io.logflow.api.TestObjects;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hits read by the client's own mapper (as {@link Elastic} makes it) into {@link Source}, then by the model. */
class SourceTest {
    private static final JacksonJsonpMapper MAPPER = new JacksonJsonpMapper();

    private static SearchResponse<Source> response(List<byte[]> sources) {
        StringBuilder hits = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            if (i > 0) hits.append(',');
            hits.append("{\"_index\":\"logflow-logs-2026.12.07\",\"_id\":\"")
                    .append(i)
                    .append("\",\"_score\":null,\"_source\":")
                    .append(new String(sources.get(i), StandardCharsets.UTF_8))
                    .append(",\"highlight\":{\"message\":[\"a <mark>timeout</mark>\"]},\"sort\":[1,\"e\"]}");
        }
        String json = "{\"took\":3,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,"
                + "\"failed\":0},\"hits\":{\"total\":{\"value\":" + sources.size() + ",\"relation\":\"eq\"},"
                + "\"max_score\":null,\"hits\":[" + hits + "]}}";
        return SearchResponse.<Source>createSearchResponseDeserializer(JsonpDeserializer.of(Source.class))
                .deserialize(MAPPER.jsonProvider().createParser(new StringReader(json)), MAPPER);
    }

    @Test
    void logsComeBackAsTheyWereWritten() {
        LogRecord plain = TestObjects.log("evt-1", 5, "payments", Level.ERROR, "a timeout \"quoted\" ü 💥", "span-1");
        LogRecord labelled = new LogRecord(
                "evt-2",
                TestObjects.T0,
                "orders",
                Level.WARN,
                "line one\nline two",
                null,
                null,
                null,
                null,
                Map.of("host.name", "h-1", "http.status", "503"));
        var r = response(List.of(EcsJson.write(plain), EcsJson.write(labelled)));
        assertThat(r.hits().hits()).hasSize(2);
        assertThat(r.hits().hits().get(0).source().log()).isEqualTo(plain);
        assertThat(r.hits().hits().get(1).source().log()).isEqualTo(labelled);
        assertThat(r.hits().hits().get(0).highlight()).containsKey("message");
    }

    @Test
    void spansComeBackAsTheyWereWritten() {
        for (SpanRecord span : TestObjects.TRACE) {
            assertThat(response(List.of(SpanJson.write(span)))
                            .hits()
                            .hits()
                            .get(0)
                            .source()
                            .span())
                    .isEqualTo(span);
        }
    }
}
