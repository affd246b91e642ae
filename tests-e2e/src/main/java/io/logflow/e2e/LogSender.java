package io.logflow.e2e;

import io.logflow.infra.LocalAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends batches of logs to {@code POST /api/v1/logs} the way shippers do — mostly JSON arrays, some
 * NDJSON — and keeps count of what the server accepted and rejected. Thread-safe.
 */
final class LogSender {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final HttpClient http;
    private final AtomicLong batches = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    /** Logs in batches that got no 2xx answer (server down, 413, 5xx ...). */
    final AtomicLong failed = new AtomicLong();

    volatile String lastProblem;

    private final String authorization;

    LogSender(URI baseUri) {
        this(baseUri, null);
    }

    /** @param ingestToken sent as {@code Authorization: Bearer} (ADR 027); null: none */
    LogSender(URI baseUri, String ingestToken) {
        this.endpoint = baseUri.resolve("/api/v1/logs");
        this.authorization = ingestToken == null ? null : LocalAccess.bearer(ingestToken);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** What the server answered for one batch. */
    record Outcome(int status, long accepted, long rejected, String body) {}

    /** Sends one batch; blocks until the server answers. */
    Outcome send(List<byte[]> logs) {
        boolean ndjson = batches.incrementAndGet() % 4 == 0;
        ByteArrayOutputStream body = new ByteArrayOutputStream(logs.size() * 320);
        if (!ndjson) body.write('[');
        for (int i = 0; i < logs.size(); i++) {
            if (i > 0) body.write(ndjson ? '\n' : ',');
            body.writeBytes(logs.get(i));
        }
        if (ndjson) body.write('\n');
        else body.write(']');
        sent.addAndGet(logs.size());
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", ndjson ? "application/x-ndjson" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) builder.header("Authorization", authorization);
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                failed.addAndGet(logs.size());
                lastProblem = "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
                return new Outcome(r.statusCode(), 0, 0, r.body());
            }
            long[] counts = counts(r.body(), logs.size());
            accepted.addAndGet(counts[0]);
            rejected.addAndGet(counts[1]);
            if (counts[1] > 0) lastProblem = "rejected: " + abbreviate(r.body());
            return new Outcome(r.statusCode(), counts[0], counts[1], r.body());
        } catch (IOException e) {
            failed.addAndGet(logs.size());
            lastProblem = e.toString();
            return new Outcome(0, 0, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.addAndGet(logs.size());
            return new Outcome(0, 0, 0, "interrupted");
        }
    }

    /** accepted and rejected counts from the 202 answer; a count given as a list counts its entries. */
    static long[] counts(String body, int batchSize) {
        JsonNode n = JSON.readTree(body);
        long rejected = count(n.get("rejected"));
        JsonNode acc = n.get("accepted");
        long accepted = acc == null || acc.isNull() ? batchSize - rejected : count(acc);
        return new long[] {accepted, rejected};
    }

    private static long count(JsonNode n) {
        if (n == null || n.isNull()) return 0;
        if (n.isNumber()) return n.asLong();
        if (n.isArray() || n.isObject()) return n.size();
        return n.asLong();
    }

    private static String abbreviate(String s) {
        s = s.replace('\n', ' ');
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
