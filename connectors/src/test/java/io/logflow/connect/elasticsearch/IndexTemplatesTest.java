package io.logflow.connect.elasticsearch;

import static io.logflow.connect.elasticsearch.TestObjects.LOGS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.SPANS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final IndexNames LOGS = new IndexNames("logflow-logs");
    private static final IndexNames SPANS = new IndexNames("logflow-spans");

    private static JsonNode body(IndexTemplates.Template t) throws Exception {
        return JSON.readTree(t.json());
    }

    private static JsonNode logsMappings() throws Exception {
        return body(IndexTemplates.logs(LOGS, 1, 0)).at("/template/mappings");
    }

    private static JsonNode spansMappings() throws Exception {
        return body(IndexTemplates.spans(SPANS, 1, 0)).at("/template/mappings");
    }

    /** The mapping of a dotted field path, following object properties. */
    private static JsonNode field(JsonNode mappings, String path) {
        JsonNode node = mappings;
        for (String part : path.split("\\.")) node = node.path("properties").path(part);
        return node;
    }

    @Test
    void template_matchesTheDailyIndices_andPutsThemBehindTheAlias() throws Exception {
        JsonNode logs = body(IndexTemplates.logs(LOGS, 2, 1));
        assertThat(IndexTemplates.logs(LOGS, 2, 1).name()).isEqualTo("logflow-logs");
        assertThat(logs.get("index_patterns").toString()).isEqualTo("[\"logflow-logs-*\"]");
        assertThat(logs.at("/template/aliases").has("logflow-logs")).isTrue();
        assertThat(logs.at("/template/aliases").size()).isEqualTo(1);
        assertThat(logs.get("priority").asInt()).isEqualTo(IndexTemplates.PRIORITY);
        assertThat(logs.at("/template/settings/index/number_of_shards").asInt()).isEqualTo(2);
        assertThat(logs.at("/template/settings/index/number_of_replicas").asInt())
                .isEqualTo(1);
        assertThat(logs.at("/template/settings/index/mapping/total_fields/ignore_dynamic_beyond_limit")
                        .asBoolean())
                .isTrue();
        JsonNode spans = body(IndexTemplates.spans(new IndexNames("test-spans"), 1, 0));
        assertThat(spans.get("index_patterns").toString()).isEqualTo("[\"test-spans-*\"]");
        assertThat(spans.at("/template/aliases").has("test-spans")).isTrue();
    }

    @Test
    void template_usesNothingTheLocalElasticsearchLacks() {
        for (IndexTemplates.Template t : List.of(IndexTemplates.logs(LOGS, 1, 0), IndexTemplates.spans(SPANS, 1, 0))) {
            assertThat(t.json())
                    .doesNotContain("\"data_stream\"")
                    .doesNotContain("lifecycle") // index.lifecycle.*: ILM
                    .doesNotContain("pipeline\"") // index.default_pipeline, index.final_pipeline
                    .doesNotContain("\"script\"")
                    .doesNotContain("analyzer\"")
                    .doesNotContain("\"scaled_float\"")
                    .doesNotContain("\"analysis\"") // custom analyzers and normalizers
                    // the built-in lowercase normalizer is core (log.level): ElasticsearchSinkIT searches with it
                    .doesNotContainPattern("\"normalizer\"\\s*:\\s*\"(?!lowercase\")")
                    .doesNotContain("\"flattened\"");
        }
    }

    @Test
    void logMappings_haveTheSearchableFieldsAsKeywordsMessageAsTextAndTimestampAsDate() throws Exception {
        JsonNode m = logsMappings();
        assertThat(field(m, "@timestamp").get("type").asText()).isEqualTo("date");
        assertThat(field(m, "message").get("type").asText()).isEqualTo("text");
        assertThat(field(m, "message").at("/fields/keyword/type").asText()).isEqualTo("keyword");
        assertThat(field(m, "message").at("/fields/keyword/ignore_above").asInt())
                .isPositive();
        for (String keyword :
                List.of("event.id", "service.name", "log.level", "trace.id", "span.id", "http.request.id")) {
            assertThat(field(m, keyword).path("type").asText()).as(keyword).isEqualTo("keyword");
        }
        assertThat(field(m, "labels").get("subobjects").asBoolean(true)).isFalse();
        assertThat(dynamicTemplate(m, "labels.*").at("/mapping/type").asText()).isEqualTo("keyword");
    }

    @Test
    void spanMappings_haveKeywordsLongDurationsAndDates() throws Exception {
        JsonNode m = spansMappings();
        for (String keyword : List.of(
                "trace.id",
                "span.id",
                "parent.id",
                "service.name",
                "span.name",
                "span.kind",
                "status.code",
                "status.message",
                "scope.name",
                "links.trace.id",
                "links.span.id",
                "events.name")) {
            assertThat(field(m, keyword).path("type").asText()).as(keyword).isEqualTo("keyword");
        }
        assertThat(field(m, "@timestamp").get("type").asText()).isEqualTo("date");
        assertThat(field(m, "span.start").get("type").asText()).isEqualTo("date_nanos");
        assertThat(field(m, "span.end").get("type").asText()).isEqualTo("date_nanos");
        assertThat(field(m, "duration_ns").get("type").asText()).isEqualTo("long");
        assertThat(field(m, "start_ns").get("type").asText()).isEqualTo("long");
        assertThat(field(m, "duration_ms").get("type").asText()).isEqualTo("double");
        for (String open : List.of("attributes", "resource", "events.attributes", "links.attributes")) {
            assertThat(field(m, open).get("subobjects").asBoolean(true))
                    .as(open)
                    .isFalse();
            assertThat(dynamicTemplate(m, open + ".*").at("/mapping/type").asText())
                    .as(open)
                    .isEqualTo("keyword");
        }
    }

    @Test
    void everyFieldOfARealLogDocument_isMappedExplicitly() throws Exception {
        Documents.Doc d = (Documents.Doc) documents().map(LOGS_TOPIC, TestObjects.logJson());
        assertThat(unmapped(logsMappings(), JSON.readTree(d.source()))).isEmpty();
    }

    @Test
    void everyFieldOfARealSpanDocument_isMappedExplicitly() throws Exception {
        Documents.Doc d = (Documents.Doc) documents().map(SPANS_TOPIC, TestObjects.spanJson());
        assertThat(unmapped(spansMappings(), JSON.readTree(d.source()))).isEmpty();
    }

    @Test
    void unmappedFieldsAreFound_soTheTwoTestsAboveCanFail() throws Exception {
        JsonNode doc = JSON.readTree("{\"message\":\"m\",\"user.name\":\"x\",\"labels\":{\"a.b\":\"c\"}}");
        assertThat(unmapped(logsMappings(), doc)).containsExactly("user.name");
    }

    private static Documents documents() {
        return new Documents(LOGS_TOPIC, SPANS_TOPIC, LOGS, SPANS);
    }

    private static JsonNode dynamicTemplate(JsonNode mappings, String pathMatch) {
        for (JsonNode entry : mappings.get("dynamic_templates")) {
            JsonNode t = entry.elements().next();
            if (pathMatch.equals(t.path("path_match").asText())) return t;
        }
        throw new AssertionError("no dynamic template for " + pathMatch);
    }

    /**
     * The leaf fields of a document (dotted keys and nested objects alike) that neither an explicit property nor a
     * path_match dynamic template under a {@code subobjects: false} object maps; the catch-all string template does
     * not count.
     */
    private static List<String> unmapped(JsonNode mappings, JsonNode doc) {
        List<String> missing = new ArrayList<>();
        collect(mappings, mappings, "", doc, missing);
        return missing;
    }

    private static void collect(
            JsonNode root, JsonNode objectMapping, String prefix, JsonNode value, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode v = e.getValue();
            List<JsonNode> values = new ArrayList<>();
            if (v.isArray()) v.forEach(values::add);
            else values.add(v);
            for (JsonNode element : values) resolve(root, objectMapping, path, prefix, e.getKey(), element, out);
        }
    }

    private static void resolve(
            JsonNode root,
            JsonNode objectMapping,
            String path,
            String prefix,
            String key,
            JsonNode v,
            List<String> out) {
        JsonNode node = objectMapping;
        String[] parts = key.split("\\.");
        String walked = prefix;
        for (int i = 0; i < parts.length; i++) {
            if (node.has("subobjects") && !node.get("subobjects").asBoolean()) {
                if (!dynamicallyMapped(root, path)) out.add(path);
                return;
            }
            JsonNode next = node.path("properties").path(parts[i]);
            if (next.isMissingNode()) {
                out.add(path);
                return;
            }
            walked += parts[i] + ".";
            node = next;
        }
        if (v.isObject()) {
            if (node.has("subobjects") && !node.get("subobjects").asBoolean()) {
                for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
                    String p = walked + names.next();
                    if (!dynamicallyMapped(root, p)) out.add(p);
                }
            } else {
                collect(root, node, walked, v, out);
            }
        } else if (!node.has("type")) {
            out.add(path);
        }
    }

    private static boolean dynamicallyMapped(JsonNode root, String path) {
        for (JsonNode entry : root.get("dynamic_templates")) {
            String match = entry.elements().next().path("path_match").asText();
            if (match.endsWith(".*") && path.startsWith(match.substring(0, match.length() - 1))) return true;
        }
        return false;
    }
}
