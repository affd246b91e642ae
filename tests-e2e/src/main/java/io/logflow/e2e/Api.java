package io.logflow.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small client for LogFlow's query API, used by the benchmark and the end-to-end test. Thread-safe. */
final class Api {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http;
    /** Keeps connections alive, as real clients do (docs/adr/006-reactor-netty-keep-alive.md). */
    Api(URI base) {
        this.base = base;
        this.http = newClient();
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    URI base() {
        return base;
    }

    /** The Authorization header's value of reads ({@link BenchAccess}), or null. */
    String authorization() {
        return BenchAccess.read();
    }

    HttpClient http() {
        return http;
    }

    /** One answer: status, body text, and the body parsed when it is JSON. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        boolean ok() {
            return status == 200;
        }
    }

    /** GET a path (with query); IOExceptions become status 0. */
    Answer get(String pathAndQuery) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json")
                    .GET();
            String auth = BenchAccess.read();
            if (auth != null) request.header("Authorization", auth);
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /**
     * The total number of logs in GET /api/v1/metrics/overview?minutes=N, or -1 when it did not answer
     * 200.
     */
    long overviewTotal(int minutes) {
        Answer a = get("/api/v1/metrics/overview?minutes=" + minutes);
        if (!a.ok()) return -1;
        return totalOf(a.json());
    }

    /** The {@code total} of an overview document. */
    static long totalOf(JsonNode n) {
        JsonNode v = n.get("total");
        if (v == null || !v.isNumber()) throw new IllegalStateException("no log total in " + abbreviate(n.toString()));
        return v.asLong();
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
