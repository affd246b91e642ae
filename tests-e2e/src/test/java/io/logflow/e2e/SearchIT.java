package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalElasticsearch;
import io.logflow.infra.LocalKafka;
import io.logflow.infra.StateApiProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Full-text search end to end, every part real: logs posted to the API → the topology → {@code logflow.logs} → the
 * Elasticsearch sink in a Kafka Connect worker (distributed mode) → a local Elasticsearch → {@code GET
 * /api/v1/logs/search}, one log and its context. Each operator of the syntax, a typo, a cursor walk over three pages,
 * and Elasticsearch stopped at the end: search answers 503 with Retry-After, the rest of the API 200.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final String A = "search-a-" + RUN;
    static final String B = "search-b-" + RUN;
    static final String C = "search-c-" + RUN;
    /** Logs of service A, one second apart, host h1; every tenth from host h2. */
    static final int A_LOGS = 120;

    static final int B_LOGS = 7;
    static final int C_LOGS = 5;
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    static Path dir;

    static SearchStack stack;
    static LocalKafka kafka;
    static LocalElasticsearch elasticsearch;
    static StateApiProcess server;
    static Instant base;
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        stack = SearchStack.start(dir, "logflow-search", Map.of());
        kafka = stack.kafka;
        elasticsearch = stack.elasticsearch;
        server = stack.server;
        System.out.printf(
                "[search] Kafka, Elasticsearch, the server and Connect with the sink up in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    @Test
    @Order(1)
    void logsPostedAreSearchableSecondsLater() throws Exception {
        base = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < A_LOGS; i++) {
            if (i > 0) body.append(',');
            body.append(log(
                    A,
                    "INFO",
                    "request " + i + " served in " + (i % 7) + " ms",
                    base.plusSeconds(i),
                    ",\"host\":\"" + (i % 10 == 9 ? "h2" : "h1") + "\",\"seq\":\"" + i + "\""));
        }
        for (int i = 0; i < B_LOGS; i++) {
            body.append(',')
                    .append(log(
                            B,
                            "ERROR",
                            "connection refused by payments-db after " + i + " retries",
                            base.plusSeconds(200 + i),
                            ",\"trace_id\":\"" + TRACE + "\""));
        }
        for (int i = 0; i < C_LOGS; i++) {
            body.append(',')
                    .append(log(
                            C,
                            "WARN",
                            "timeout while calling inventory (attempt " + i + ")",
                            base.plusSeconds(300 + i),
                            ""));
        }
        body.append(']');
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/logs"))
                        .headers(BenchAccess.ingestHeaders())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        int expected = A_LOGS + B_LOGS + C_LOGS;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long total = -1;
        while (System.nanoTime() < deadline) {
            JsonNode page = search(Map.of("q", "service:search-*-" + RUN, "limit", "1"), 200);
            total = page.get("total").asLong();
            if (total == expected) break;
            Thread.sleep(250);
        }
        assertThat(total).as("logs searchable").isEqualTo(expected);
        JsonNode health = get("/health", 200).get("search");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("sink").get("state").asString()).isEqualTo("RUNNING");
        assertThat(health.get("sink").get("tasks")).hasSize(2);
        System.out.printf(
                "[search] %d logs posted → all searchable through the sink in %.1f s%n",
                expected, (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(2)
    void everyOperatorOfTheSyntax() throws Exception {
        assertThat(total("refused")).isEqualTo(B_LOGS);
        assertThat(total("\"connection refused\"")).isEqualTo(B_LOGS);
        assertThat(total("\"refused connection\"")).isZero();
        assertThat(total("service:" + B + " AND level:error")).isEqualTo(B_LOGS);
        assertThat(total("level:ERROR")).isEqualTo(B_LOGS); // any case: the mapping lowercases levels
        assertThat(total("refused OR timeout")).isEqualTo(B_LOGS + C_LOGS);
        assertThat(total("(refused OR timeout) AND NOT service:" + C)).isEqualTo(B_LOGS);
        assertThat(total("refused -retries")).isZero();
        assertThat(total("invent*")).isEqualTo(C_LOGS);
        assertThat(total("served AND host:h2")).isEqualTo(A_LOGS / 10);
        assertThat(total("trace_id:" + TRACE)).isEqualTo(B_LOGS);
        assertThat(total(TRACE)).as("a pasted trace id").isEqualTo(B_LOGS);
        assertThat(total("served AND timestamp:[\"" + base.plusSeconds(100) + "\" TO *]"))
                .isEqualTo(20);
        String escaped = base.plusSeconds(100).toString().replace(":", "\\:"); // Lucene: a colon in a term
        assertThat(total("served AND timestamp:>=" + escaped)).isEqualTo(20);
        assertThat(total("served AND seq:[10 TO 12]"))
                .as("a range over a label (keywords)")
                .isEqualTo(3 + 20);
        assertThat(total("served AND labels.host:h2")).isEqualTo(A_LOGS / 10);
        // the filters beside q
        JsonNode filtered = search(Map.of("q", "", "service", C, "level", "warn"), 200);
        assertThat(filtered.get("total").asLong()).isEqualTo(C_LOGS);
        assertThat(search(Map.of("q", "", "trace_id", TRACE), 200).get("total").asLong())
                .isEqualTo(B_LOGS);
        // highlights, newest first, the histogram adds up
        JsonNode page = search(
                Map.of(
                        "q",
                        "refused",
                        "from",
                        base.toString(),
                        "to",
                        base.plusSeconds(900).toString()),
                200);
        assertThat(page.get("hits")
                        .get(0)
                        .get("highlight")
                        .get("message")
                        .get(0)
                        .asString())
                .contains("<mark>refused</mark>");
        assertThat(page.get("hits").get(0).get("log").get("message").asString()).endsWith("after 6 retries");
        long sum = 0;
        for (JsonNode b : page.get("histogram").get("buckets"))
            sum += b.get("count").asLong();
        assertThat(sum).isEqualTo(B_LOGS);
        assertThat(page.get("histogram").get("interval").asString()).isEqualTo("15s");
    }

    @Test
    @Order(3)
    void aTypoIsA400NamingTheQueryAndWhere() throws Exception {
        JsonNode p = search(Map.of("q", "service:" + A + " AND (refused"), 400);
        assertThat(p.get("detail").asString()).contains("could not be parsed");
        assertThat(p.toString()).contains("\"q\"");
        JsonNode leading = search(Map.of("q", "*fused"), 400);
        assertThat(leading.get("detail").asString()).contains("*");
        search(Map.of("q", "refused AND"), 400);
        search(Map.of("q", "x", "cursor", "not-a-cursor"), 400);
    }

    @Test
    @Order(4)
    void aCursorWalksThreePagesWithNoOverlapAndNoGap() throws Exception {
        Map<String, String> q = new LinkedHashMap<>(Map.of(
                "q",
                "served",
                "service",
                A,
                "limit",
                "50",
                "from",
                base.minusSeconds(1).toString(),
                "to",
                base.plusSeconds(900).toString()));
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String cursor = null;
        do {
            Map<String, String> params = new LinkedHashMap<>(q);
            if (cursor != null) params.put("cursor", cursor);
            JsonNode page = search(params, 200);
            pages++;
            for (JsonNode h : page.get("hits"))
                seen.add(h.get("log").get("message").asString());
            cursor = page.get("cursor").isNull() ? null : page.get("cursor").asString();
            if (pages == 1) assertThat(page.has("histogram")).isTrue();
            else assertThat(page.has("histogram")).isFalse();
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(A_LOGS);
        assertThat(new HashSet<>(seen)).hasSize(A_LOGS);
        for (int i = 0; i < A_LOGS; i++) // newest first
        assertThat(seen.get(i)).startsWith("request " + (A_LOGS - 1 - i) + " served");
    }

    @Test
    @Order(5)
    void oneLogAndTheLinesAroundItFromTheSameInstance() throws Exception {
        JsonNode hit = search(Map.of("q", "\"request 50 served\"", "service", A), 200)
                .get("hits")
                .get(0);
        String id = hit.get("log").get("event.id").asString();
        JsonNode one = get("/api/v1/logs/" + URLEncoder.encode(id, StandardCharsets.UTF_8), 200);
        assertThat(one.get("message").asString()).startsWith("request 50 served");
        get("/api/v1/logs/no-such-event-" + RUN, 404);

        JsonNode ctx =
                get("/api/v1/logs/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/context?before=5&after=5", 200);
        assertThat(ctx.get("log").get("message").asString()).startsWith("request 50 served");
        assertThat(messages(ctx.get("before"))).containsExactly(prefixes(44, 45, 46, 47, 48)); // 49 is from host h2
        assertThat(messages(ctx.get("after"))).containsExactly(prefixes(51, 52, 53, 54, 55));
    }

    @Test
    @Order(6)
    void aTraceOlderThanTheStreamStoresKeepOpensFromTheArchive() throws Exception {
        // three hours old: past LOGFLOW_TRACE_RETENTION (1 h), so the stream stores drop it, the sink indexes it
        String trace = "0af7651916cd43dd8448eb211c80319c";
        long start = Instant.now().minusSeconds(3 * 3600).toEpochMilli() * 1_000_000L;
        String spans = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"" + A + "\"}}]},\"scopeSpans\":[{\"spans\":["
                + span(trace, "b7ad6b7169203331", null, "GET /old", start, start + 40_000_000L) + ","
                + span(
                        trace,
                        "00f067aa0ba902b7",
                        "b7ad6b7169203331",
                        "SELECT old",
                        start + 5_000_000L,
                        start + 30_000_000L)
                + "]}]}]}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/v1/traces"))
                        .headers(BenchAccess.ingestHeaders())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spans))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String log = "["
                + log(
                        A,
                        "ERROR",
                        "old failure in SELECT old",
                        Instant.ofEpochMilli(start / 1_000_000L + 10),
                        ",\"trace_id\":\"" + trace + "\",\"span_id\":\"00f067aa0ba902b7\"")
                + "]";
        r = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/logs"))
                        .headers(BenchAccess.ingestHeaders())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(log))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        // fresh traces in every partition move the stream stores' time on, so the old one is past their retention
        // wherever it landed (a window store's time is the newest record of its partition)
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        StringBuilder fresh = new StringBuilder("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":"
                + "\"service.name\",\"value\":{\"stringValue\":\"" + A + "\"}}]},\"scopeSpans\":[{\"spans\":[");
        for (int i = 0; i < 60; i++) {
            if (i > 0) fresh.append(',');
            String id = String.format("%032x", i + 1L);
            fresh.append(span(id, "0000000000000001", null, "GET /fresh", now, now + 1_000_000L));
        }
        fresh.append("]}]}]}");
        r = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/v1/traces"))
                        .headers(BenchAccess.ingestHeaders())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(fresh.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode t = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/traces/" + trace))
                            .headers(BenchAccess.readHeaders())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                t = JSON.readTree(answer.body());
                if (t.get("spanCount").asInt() == 2
                        && t.get("logCount").asInt() == 1
                        && "elasticsearch".equals(t.get("source").asString())) break;
            }
            Thread.sleep(500);
        }
        assertThat(t).as("the archived trace").isNotNull();
        assertThat(t.get("source").asString()).isEqualTo("elasticsearch");
        assertThat(t.get("spanCount").asInt()).isEqualTo(2);
        assertThat(t.get("logCount").asInt()).isEqualTo(1);
        assertThat(t.get("logs").get(0).toString()).contains("old failure");
        assertThat(t.get("spans").get(0).toString()).contains("GET /old");
        get("/api/v1/traces/" + "1".repeat(32), 404);
        // trace search over a range older than the stream stores keep reads the archive too
        Instant at = Instant.ofEpochMilli(start / 1_000_000L);
        JsonNode found =
                get("/api/v1/traces?service=" + A + "&from=" + at.minusSeconds(60) + "&to=" + at.plusSeconds(600), 200);
        assertThat(found.get("archive").asString()).isEqualTo("elasticsearch");
        assertThat(found.get("traces").toString()).contains(trace);
        JsonNode none = get(
                "/api/v1/traces?service=" + A + "&minDurationMs=1000&from=" + at.minusSeconds(60) + "&to="
                        + at.plusSeconds(600),
                200);
        assertThat(none.get("traces").toString()).doesNotContain(trace);
    }

    static String span(String trace, String id, String parent, String name, long startNs, long endNs) {
        return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + id + "\""
                + (parent == null ? "" : ",\"parentSpanId\":\"" + parent + "\"")
                + ",\"name\":\"" + name + "\",\"kind\":2,\"startTimeUnixNano\":\"" + startNs
                + "\",\"endTimeUnixNano\":\"" + endNs + "\"}";
    }

    @Test
    @Order(9)
    void elasticsearchDownIsA503OfSearchOnly() throws Exception {
        elasticsearch.close();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/logs/search?q=refused"))
                        .headers(BenchAccess.readHeaders())
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        JsonNode health = get("/health", 200); // search down degrades search only
        assertThat(health.get("search").get("status").asString()).isEqualTo("DOWN");
        get("/api/v1/services", 200);
        get("/api/v1/logs/recent?limit=5", 200);
    }

    static String[] prefixes(int... n) {
        String[] s = new String[n.length];
        for (int i = 0; i < n.length; i++) s[i] = "request " + n[i] + " served";
        return s;
    }

    static List<String> messages(JsonNode logs) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : logs) {
            String m = l.get("message").asString();
            out.add(m.substring(0, m.indexOf(" served") + " served".length()));
        }
        return out;
    }

    static long total(String q) throws Exception {
        return search(
                        Map.of(
                                "q",
                                q,
                                "from",
                                base.minusSeconds(1).toString(),
                                "to",
                                base.plusSeconds(900).toString()),
                        200)
                .get("total")
                .asLong();
    }

    static JsonNode search(Map<String, String> params, int status) throws Exception {
        StringBuilder qs = new StringBuilder();
        Map<String, String> p = new LinkedHashMap<>(params);
        if (!p.containsKey("from"))
            p.put("from", Instant.now().minusSeconds(3600).toString());
        for (Map.Entry<String, String> e : p.entrySet()) {
            qs.append(qs.isEmpty() ? "?" : "&")
                    .append(e.getKey())
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return get("/api/v1/logs/search" + qs, status);
    }

    static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                        .headers(BenchAccess.readHeaders())
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    static String log(String service, String level, String message, Instant at, String extra) {
        return "{\"service\":\"" + service + "\",\"level\":\"" + level + "\",\"message\":\"" + message
                + "\",\"timestamp\":\"" + at + "\"" + extra + "}";
    }
}
