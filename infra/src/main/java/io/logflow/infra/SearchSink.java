package io.logflow.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LogFlow's Elasticsearch sink ({@code connectors/}) registered on a Kafka Connect cluster through its REST API:
 * {@code PUT /connectors/logflow-elasticsearch-sink/config} (create or update, so a restart of {@code ./logflow up}
 * is harmless) and its tasks awaited RUNNING. The configuration is what LogFlow's topics need: read committed
 * (the topology writes transactionally), bad documents to {@code logflow.dlq} with the reason in headers.
 */
public final class SearchSink {
    private SearchSink() {}

    public static final String NAME = "logflow-elasticsearch-sink";
    public static final String CONNECTOR_CLASS = "io.logflow.connect.elasticsearch.ElasticsearchSinkConnector";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * The connector's configuration for LogFlow's topics.
     *
     * @param elasticsearchUrl where to index (credentials, if any, as {@code https://user:pw@host})
     * @param tasks tasks across the Connect cluster (at most the topics' partition count is useful)
     * @param replicas replicas of each daily index: 0 on a single Elasticsearch node
     * @param retentionDays daily indices kept ({@code LOGFLOW_SEARCH_RETENTION})
     */
    public static Map<String, String> config(String elasticsearchUrl, int tasks, int replicas, int retentionDays) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", Integer.toString(tasks));
        c.put("topics", "logflow.logs,logflow.spans");
        c.put("elasticsearch.urls", elasticsearchUrl);
        c.put("index.number.of.replicas", Integer.toString(replicas));
        c.put("retention.days", Integer.toString(retentionDays));
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("consumer.override.isolation.level", "read_committed");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "logflow.dlq");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("errors.log.enable", "true");
        return c;
    }

    /** Creates or updates the connector; retried while the Connect cluster rebalances (409) or starts. */
    public static void register(String connectUrl, Map<String, String> config, Duration timeout) {
        register(connectUrl, NAME, config, timeout);
    }

    /** {@link #register(String, Map, Duration)} under another name: a second instance, configured on its own. */
    public static void register(String connectUrl, String name, Map<String, String> config, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = json(config);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/" + name + "/config"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 201) return;
                last = "HTTP " + r.statusCode() + ": " + r.body();
                if (r.statusCode() == 400)
                    throw new IllegalStateException("Kafka Connect refused the connector's configuration: " + r.body());
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(500);
        }
        throw new IllegalStateException("could not register " + name + " at " + connectUrl + ": " + last);
    }

    /**
     * The connector's state and its tasks' ({@code GET /connectors/{name}/status}): "RUNNING", "FAILED: trace" …
     *
     * @return the connector state followed by each task's, e.g. {@code RUNNING [RUNNING, RUNNING]}, or null when
     *     the connector is not registered
     */
    public static String status(String connectUrl) throws IOException, InterruptedException {
        return status(connectUrl, NAME);
    }

    /** {@link #status(String)} of the connector {@code name}. */
    public static String status(String connectUrl, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/" + name + "/status"))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) return null;
        if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
        Matcher m = STATE.matcher(r.body());
        StringBuilder out = new StringBuilder();
        boolean first = true;
        int tasks = 0;
        while (m.find()) {
            if (first) {
                out.append(m.group(1)).append(" [");
                first = false;
            } else {
                if (tasks++ > 0) out.append(", ");
                out.append(m.group(1));
            }
        }
        return first ? "UNKNOWN" : out.append(']').toString();
    }

    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");

    /** Waits until the connector and {@code tasks} tasks are RUNNING; fails with the status when one FAILED. */
    public static void awaitRunning(String connectUrl, int tasks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = status(connectUrl);
                if (last != null && last.startsWith("RUNNING [") && last.equals(running(tasks))) return;
                if (last != null && last.contains("FAILED")) throw new IllegalStateException(NAME + " failed: " + last);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(500);
        }
        throw new IllegalStateException(NAME + " not running after " + timeout.toSeconds() + " s: " + last);
    }

    private static String running(int tasks) {
        StringBuilder s = new StringBuilder("RUNNING [");
        for (int i = 0; i < tasks; i++) s.append(i == 0 ? "" : ", ").append("RUNNING");
        return s.append(']').toString();
    }

    static String json(Map<String, String> config) {
        StringBuilder s = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (!first) s.append(',');
            first = false;
            quote(s, e.getKey()).append(':');
            quote(s, e.getValue());
        }
        return s.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder s, String v) {
        s.append('"');
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
                }
            }
        }
        return s.append('"');
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
