package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Elasticsearch from LocalElasticsearch, over plain HTTP: what LogFlow's local stack will ask of it. */
class LocalElasticsearchIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void indexesSearchesAndKeepsDocumentsAcrossARestart_inTheSameDirectory() throws Exception {
        long t0 = System.nanoTime();
        try (LocalElasticsearch es = LocalElasticsearch.start(dir, 0)) {
            report("first start to yellow", t0, es);
            String url = es.url();

            JsonNode root = call(url, "GET", "/", null, 200);
            assertThat(root.at("/version/number").asString()).isEqualTo("9.1.0");
            assertThat(root.at("/version/lucene_version").asString()).startsWith("10.");
            assertThat(root.get("cluster_name").asString()).isEqualTo("logflow-local");
            assertThat(root.get("cluster_uuid").asString()).hasSizeGreaterThan(10);
            assertThat(root.get("tagline").asString()).isEqualTo("You Know, for Search");
            assertThat(send(url, "HEAD", "/", null).statusCode()).isEqualTo(200);

            // an index with an explicit mapping
            call(url, "PUT", "/logs-explicit", """
                    {"settings": {"number_of_shards": 1, "number_of_replicas": 0},
                     "mappings": {"dynamic": "strict", "properties": {
                       "@timestamp": {"type": "date"},
                       "service":    {"type": "keyword"},
                       "level":      {"type": "keyword"},
                       "message":    {"type": "text"},
                       "duration_ms":{"type": "long"}}}}
                    """, 200);
            index(url, "logs-explicit", "1", "checkout", "ERROR", "payment gateway timed out after 3 retries", 3012);
            index(url, "logs-explicit", "2", "checkout", "INFO", "order placed", 41);
            index(url, "logs-explicit", "3", "payments", "ERROR", "gateway refused the card", 97);
            index(url, "logs-explicit", "4", "catalog", "INFO", "cache warmed", 12);
            call(url, "POST", "/logs-explicit/_refresh", null, 200);

            JsonNode mapping = call(url, "GET", "/logs-explicit/_mapping", null, 200);
            assertThat(mapping.at("/logs-explicit/mappings/properties/service/type")
                            .asString())
                    .isEqualTo("keyword");
            // dynamic: strict is enforced, so the mapping is the one we gave
            assertThat(send(url, "PUT", "/logs-explicit/_doc/x?refresh=true", "{\"unexpected\": 1}")
                            .statusCode())
                    .isEqualTo(400);

            JsonNode search = call(url, "POST", "/logs-explicit/_search", """
                    {"query": {"match": {"message": "gateway"}},
                     "aggs": {"by_service": {"terms": {"field": "service"}},
                              "slowest": {"max": {"field": "duration_ms"}}},
                     "highlight": {"fields": {"message": {}}},
                     "sort": [{"@timestamp": "asc"}]}
                    """, 200);
            assertThat(search.at("/hits/total/value").asInt()).isEqualTo(2);
            assertThat(ids(search)).containsExactly("1", "3");
            assertThat(search.at("/hits/hits/0/highlight/message/0").asString())
                    .isEqualTo("payment <em>gateway</em> timed out after 3 retries");
            List<String> buckets = new ArrayList<>();
            for (JsonNode bucket : search.at("/aggregations/by_service/buckets")) {
                buckets.add(bucket.get("key").asString() + "="
                        + bucket.get("doc_count").asInt());
            }
            assertThat(buckets).containsExactlyInAnyOrder("checkout=1", "payments=1");
            assertThat(search.at("/aggregations/slowest/value").asDouble()).isEqualTo(3012.0);

            // an index template with an alias: what daily indices get
            call(url, "PUT", "/_index_template/logflow-logs", """
                    {"index_patterns": ["logflow-logs-*"], "priority": 100,
                     "template": {
                       "settings": {"number_of_shards": 1, "number_of_replicas": 0},
                       "mappings": {"properties": {
                         "@timestamp": {"type": "date"},
                         "service": {"type": "keyword"},
                         "trace_id": {"type": "keyword"},
                         "message": {"type": "text"}}},
                       "aliases": {"logflow-logs": {}}}}
                    """, 200);
            call(url, "PUT", "/logflow-logs-2026.12.06/_doc/a?refresh=true", """
                    {"@timestamp": "2026-12-06T10:00:00Z", "service": "checkout",
                     "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "message": "span closed"}
                    """, 201);
            call(url, "PUT", "/logflow-logs-2026.12.07/_doc/b?refresh=true", """
                    {"@timestamp": "2026-12-07T10:00:00Z", "service": "payments",
                     "trace_id": "00f067aa0ba902b7a3ce929d0e0e4736", "message": "span closed"}
                    """, 201);
            JsonNode daily = call(url, "GET", "/logflow-logs-2026.12.07/_mapping", null, 200);
            assertThat(daily.at("/logflow-logs-2026.12.07/mappings/properties/trace_id/type")
                            .asString())
                    .isEqualTo("keyword");
            JsonNode alias = call(url, "GET", "/_alias/logflow-logs", null, 200);
            assertThat(alias.propertyNames())
                    .containsExactlyInAnyOrder("logflow-logs-2026.12.06", "logflow-logs-2026.12.07");
            JsonNode byTrace = call(url, "POST", "/logflow-logs/_search", """
                    {"query": {"term": {"trace_id": "00f067aa0ba902b7a3ce929d0e0e4736"}}}
                    """, 200);
            assertThat(ids(byTrace)).containsExactly("b");

            JsonNode health = call(url, "GET", "/_cluster/health", null, 200);
            assertThat(health.get("status").asString()).isEqualTo("green");
        }

        t0 = System.nanoTime();
        try (LocalElasticsearch restarted = LocalElasticsearch.start(dir, 0)) {
            report("restart on the same data to yellow", t0, restarted);
            String url = restarted.url();
            JsonNode doc = call(url, "GET", "/logs-explicit/_doc/1", null, 200);
            assertThat(doc.at("/_source/message").asString()).isEqualTo("payment gateway timed out after 3 retries");
            JsonNode search = call(url, "POST", "/logflow-logs/_search", """
                    {"query": {"match": {"message": "span"}}}
                    """, 200);
            assertThat(ids(search)).containsExactlyInAnyOrder("a", "b");
            assertThat(call(url, "GET", "/_index_template/logflow-logs", null, 200)
                            .at("/index_templates/0/name")
                            .asString())
                    .isEqualTo("logflow-logs");
        }
    }

    private static void index(
            String url, String index, String id, String service, String level, String message, long durationMs)
            throws Exception {
        call(
                url,
                "PUT",
                "/" + index + "/_doc/" + id,
                JSON.writeValueAsString(java.util.Map.of(
                        "@timestamp", "2026-12-06T10:00:0" + id + "Z",
                        "service", service,
                        "level", level,
                        "message", message,
                        "duration_ms", durationMs)),
                201);
    }

    private static List<String> ids(JsonNode search) {
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : search.at("/hits/hits")) ids.add(hit.get("_id").asString());
        return ids;
    }

    private static JsonNode call(String url, String method, String path, String body, int expectedStatus)
            throws Exception {
        HttpResponse<String> response = send(url, method, path, body);
        assertThat(response.statusCode())
                .as(method + " " + path + " answered " + response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String url, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Start time and resident memory of the node, for the record (the README quotes them). */
    private static void report(String what, long startNanos, LocalElasticsearch es) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf(
                Locale.ROOT,
                "LocalElasticsearch %s: %d ms, %d ms of CPU (RSS %s, Java at %s)%n",
                what,
                millis,
                ProcessHandle.of(es.pid())
                        .flatMap(p -> p.info().totalCpuDuration())
                        .map(Duration::toMillis)
                        .orElse(-1L),
                rss(es.pid()),
                es.javaHome());
    }

    private static String rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return line.substring(6).trim();
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc
        }
        return "unknown";
    }
}
