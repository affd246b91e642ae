package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Kafka Connect worker (distributed mode) on a real broker. */
class LocalConnectIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void distributedWorker_listsTheBuiltInPlugins_runsAConnector_andFindsItAgainAfterARestart() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            long t0 = System.nanoTime();
            try (LocalConnect connect =
                    LocalConnect.start(dir.resolve("connect"), kafka.bootstrapServers(), 0, List.of(plugins))) {
                System.out.printf(
                        "LocalConnect ready (GET /connectors) in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                String url = connect.url();

                // the worker is the Kafka version LogFlow builds with (infra/connect-local repeats it)
                assertThat(get(url, "/").get("version").asString()).isEqualTo(AppInfoParser.getVersion());

                assertThat(classes(get(url, "/connector-plugins")))
                        .contains(
                                "org.apache.kafka.connect.mirror.MirrorSourceConnector",
                                "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
                                "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector");
                assertThat(classes(get(url, "/connector-plugins?connectorsOnly=false")))
                        .contains(
                                "org.apache.kafka.connect.json.JsonConverter",
                                "org.apache.kafka.connect.storage.StringConverter",
                                "org.apache.kafka.connect.transforms.InsertField$Value",
                                "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");

                Properties worker = new Properties();
                try (var in = Files.newBufferedReader(dir.resolve("connect").resolve("worker.properties"))) {
                    worker.load(in);
                }
                assertThat(worker)
                        .containsEntry("consumer.isolation.level", "read_committed")
                        .containsEntry("connector.client.config.override.policy", "All")
                        .containsEntry("plugin.path", plugins.toString());

                // a connector, kept in the worker group's config topic
                HttpResponse<String> created =
                        send(url, "PUT", "/connectors/heartbeats/config", """
                        {"connector.class": "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
                         "source.cluster.alias": "local", "target.cluster.alias": "local-copy",
                         "source.cluster.bootstrap.servers": "%1$s", "target.cluster.bootstrap.servers": "%1$s",
                         "heartbeats.topic.replication.factor": "1", "emit.heartbeats.interval.seconds": "1",
                         "tasks.max": "1"}
                        """.formatted(kafka.bootstrapServers()));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                awaitRunning(url, "heartbeats");
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get())
                        .contains(
                                "logflow-connect-configs",
                                "logflow-connect-offsets",
                                "logflow-connect-status",
                                "heartbeats");
            }

            try (LocalConnect restarted =
                    LocalConnect.start(dir.resolve("connect"), kafka.bootstrapServers(), 0, List.of(plugins))) {
                awaitRunning(restarted.url(), "heartbeats");
            }
        }
    }

    private static void awaitRunning(String url, String connector) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> status = send(url, "GET", "/connectors/" + connector + "/status", null);
            last = status.body();
            if (status.statusCode() == 200) {
                JsonNode body = JSON.readTree(last);
                if (body.at("/connector/state").asString().equals("RUNNING")
                        && body.at("/tasks/0/state").asString().equals("RUNNING")) return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(connector + " and its task not RUNNING within 60 s: " + last);
    }

    private static List<String> classes(JsonNode plugins) {
        List<String> classes = new ArrayList<>();
        for (JsonNode plugin : plugins) classes.add(plugin.get("class").asString());
        return classes;
    }

    private static JsonNode get(String url, String path) throws Exception {
        HttpResponse<String> response = send(url, "GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String url, String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
