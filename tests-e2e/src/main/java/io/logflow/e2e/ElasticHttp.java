package io.logflow.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The few plain REST calls the benchmark makes to its Elasticsearch (counts, an index made and dropped, a search sent
 * as JSON), with {@code java.net.http}: what it measures goes through LogFlow or through {@code elasticsearch-java},
 * this only looks. Thread-safe; one keep-alive HTTP/1.1 connection per calling thread at a time.
 */
final class ElasticHttp {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    ElasticHttp(String url) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String url() {
        return base;
    }

    /** One answer; IOExceptions become status 0 with the exception as the body. */
    record Answer(int status, String body) {
        JsonNode json() {
            return Api.JSON.readTree(body);
        }

        boolean ok() {
            return status / 100 == 2;
        }
    }

    Answer send(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (jsonBody == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /** Documents in the indices an expression names ({@code GET <indices>/_count}); -1 when it did not answer. */
    long count(String indices) {
        Answer a = send("GET", "/" + indices + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
        if (!a.ok()) return a.status() == 404 ? 0 : -1;
        JsonNode c = a.json().get("count");
        return c == null ? -1 : c.asLong();
    }

    /** Fails with what Elasticsearch answered unless it is a 2xx. */
    JsonNode must(String method, String path, String jsonBody) {
        Answer a = send(method, path, jsonBody);
        if (!a.ok())
            throw new IllegalStateException(
                    "Elasticsearch: " + method + " " + path + " → " + a.status() + " " + Api.abbreviate(a.body()));
        return a.json();
    }
}
