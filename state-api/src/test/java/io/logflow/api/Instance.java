package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real LogFlow server (own Spring context, own port, own state dir) against the test broker. */
final class Instance implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    // HTTP/1.1 as most shippers speak it (the JDK default tries an h2c upgrade on every request)
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final ConfigurableApplicationContext context;
    final int port;
    final String base;

    private Instance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * @param overrides any setting; with {@code logflow.kafka.bootstrap-servers} the shared test broker is not started,
     *     with {@code logflow.streams.state-dir} no temporary state directory is made
     */
    static Instance start(String applicationId, Map<String, Object> overrides) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("server.port", 0);
        props.put("server.address", "127.0.0.1");
        if (!overrides.containsKey("logflow.kafka.bootstrap-servers"))
            props.put("logflow.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        props.put("logflow.streams.application-id", applicationId);
        if (!overrides.containsKey("logflow.streams.state-dir")) {
            try {
                props.put(
                        "logflow.streams.state-dir",
                        Files.createTempDirectory("logflow-state-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        props.put("logflow.streams.threads", 1);
        props.put("logflow.database.url", TestDatabase.url());
        // the first admin's generated password goes to a temporary file, never into the source tree
        try {
            props.put(
                    "logflow.auth.admin-password-file",
                    Files.createTempDirectory("logflow-admin-")
                            .resolve("admin-password")
                            .toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.put("logflow.streams.close-timeout", "10s");
        props.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        // every test request comes from 127.0.0.1: polling loops and logins would run into the limits of one
        // address; RateLimitsIT turns them on
        props.put("logflow.rate-limits.enabled", false);
        props.putAll(overrides);
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        Instance instance =
                new Instance(new SpringApplicationBuilder(LogFlowApplication.class).run(args.toArray(String[]::new)));
        return instance;
    }

    /** Waits until /health is 200 (Kafka reachable, Streams RUNNING, tail running). */
    Instance awaitHealthy() {
        Awaitility.await("healthy " + base)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> get("/health").status == 200);
        return this;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            for (var e : headers.entrySet())
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
    }

    Response get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    /**
     * A GET retried while it answers 503 (at most 30 s), as the API asks clients to: right after
     * start, a probing rebalance can move a store's task for a moment.
     */
    Response getAvailable(String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response r = get(path);
        while (r.status() == 503 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
            r = get(path);
        }
        return r;
    }

    Response post(String path, String contentType, String body, String... headers) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    /** Any method; a JSON body when {@code body} is not null. */
    Response request(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    /** A response whose body is kept as bytes (protobuf answers). */
    record BinaryResponse(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (var e : headers.entrySet())
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    BinaryResponse postForBytes(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new BinaryResponse(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs NDJSON and checks that every line was accepted. */
    void ingest(List<String> ndjsonLines) {
        Response r = post("/api/v1/logs", "application/x-ndjson", String.join("\n", ndjsonLines));
        assertThat(r.status).as(r.body).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).as(r.body).isEqualTo(ndjsonLines.size());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (java.net.http.HttpTimeoutException e) {
            // the server runs in this JVM: show what it was doing
            StringBuilder dump =
                    new StringBuilder("request timed out: " + request.method() + " " + request.uri() + "; threads:\n");
            for (java.lang.management.ThreadInfo t :
                    java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                dump.append(t);
            System.err.println(dump);
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
