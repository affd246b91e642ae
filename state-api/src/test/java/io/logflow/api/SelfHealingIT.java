package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.cluster.StreamsAccess;
import io.logflow.api.cluster.StreamsRuntime;
import io.logflow.infra.ChildProcesses;
import io.logflow.infra.LocalKafka;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14: Kafka loses data LogFlow's local state was built from, and LogFlow comes back by itself (ADR 017). Its
 * own brokers (not the shared test broker): one whose global topic {@code logflow.alert-resets} is emptied (as
 * retention does), then a new cluster on the same port (as {@code ./logflow up} after deleting {@code .logflow/kafka}),
 * while LogFlow keeps its state directory throughout.
 */
@ExtendWith(OutputCaptureExtension.class)
class SelfHealingIT {
    private static final String SUFFIX =
            Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private static final String APP = "self-healing-it-" + SUFFIX;
    private static final String OLD = "before-reset-" + SUFFIX;
    private static final String NEW = "after-reset-" + SUFFIX;
    /** How long LogFlow may take to become healthy by itself. */
    private static final Duration HEALS_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void kafkaDataGone_withTheOldStateKept_logFlowComesBackByItself(CapturedOutput output) throws Exception {
        int port = ChildProcesses.freePort();
        String bootstrap = "127.0.0.1:" + port;
        Path state = tmp.resolve("state");
        Path marker = state.resolve(APP).resolve("logflow-cluster-id");
        Map<String, Object> settings = Map.of(
                "logflow.kafka.bootstrap-servers",
                bootstrap,
                "logflow.streams.state-dir",
                state.toString(),
                // a client restarted after ERROR joins the group while its failed predecessor is still a member
                // (it did not leave): a short session lets the broker drop that member sooner, keeping the test short
                "logflow.streams.config[consumer.session.timeout.ms]",
                6000,
                "logflow.streams.config[consumer.heartbeat.interval.ms]",
                1000);
        String firstCluster;
        try (LocalKafka kafka = LocalKafka.start(tmp.resolve("kafka-1"), port)) {
            firstCluster = clusterId(bootstrap);

            // counts and alert resets, so that the task stores and the global store have checkpoints to restore
            try (Instance app = Instance.start(APP, settings).awaitHealthy()) {
                app.ingest(logs(OLD, 3));
                awaitTotal(app, OLD, 3);
                publishResetsAndAwaitThem(app, bootstrap, "a");
            }
            assertThat(marker).hasContent(firstCluster);

            // only the global topic's data is gone: its checkpoint (offset 2) lies beyond the new, empty topic
            deleteTopic(bootstrap, Topics.ALERT_RESETS.name()); // LogFlow creates it again at start
            try (Instance app = Instance.start(APP, settings)) {
                List<Down> down = awaitHealthy(app);
                // Kafka Streams wiped the global store and failed; LogFlow started a new client, which rebuilt it.
                // Meanwhile /health said why, and queries were 503 with Retry-After.
                List<Down> failed = down.stream()
                        .filter(d -> "ERROR".equals(d.streams().get("state").asString()))
                        .toList();
                assertThat(failed).isNotEmpty().allSatisfy(d -> {
                    assertThat(d.streams().get("status").asString()).isEqualTo("DOWN");
                    assertThat(d.streams().get("reason").asString())
                            .contains("GlobalStreamThread failed")
                            .contains("OffsetOutOfRangeException");
                    assertThat(d.query().status()).isEqualTo(503);
                    assertThat(d.query().header("Retry-After")).isEqualTo("5");
                });
                JsonNode healed = app.get("/health").json().get("streams");
                assertThat(healed.get("restarts").asInt()).isGreaterThanOrEqualTo(1);
                assertThat(healed.has("reason")).isFalse();
                assertThat(restartsMetric(app)).isGreaterThanOrEqualTo(1.0);
                assertThat(output.getOut()).contains("restarting Kafka Streams");
                // the task stores were kept: same cluster, nothing to start over
                assertThat(total(app, OLD)).isEqualTo(3);
                publishResetsAndAwaitThem(app, bootstrap, "b"); // a global checkpoint again, for the reset below
            }
        }

        // Kafka reset: a new cluster (fresh data directory, new cluster id) on the same port; the state dir is kept
        try (LocalKafka kafka = LocalKafka.start(tmp.resolve("kafka-2"), port)) {
            String secondCluster = clusterId(bootstrap);
            assertThat(secondCluster).isNotEqualTo(firstCluster);
            try (Instance app = Instance.start(APP, settings)) {
                awaitHealthy(app);
                assertThat(output.getOut())
                        .contains("was built from Kafka cluster " + firstCluster)
                        .contains("starting clean");
                assertThat(marker).hasContent(secondCluster);
                JsonNode streams = app.get("/health").json().get("streams");
                assertThat(streams.get("restarts").asInt())
                        .as("wiped before start: nothing failed")
                        .isZero();
                assertThat(restartsMetric(app)).isZero();

                // new logs are counted exactly; the old counts are gone with the old cluster
                app.ingest(logs(NEW, 2));
                awaitTotal(app, NEW, 2);
                assertThat(total(app, OLD)).isEqualTo(-1);
            }
        }
    }

    /** What {@code /health} said about Kafka Streams while it was down, and a query's answer at that moment. */
    private record Down(JsonNode streams, Instance.Response query) {}

    /** Waits until {@code /health} is 200, at most {@link #HEALS_WITHIN}; returns what it saw while it was not. */
    private static List<Down> awaitHealthy(Instance app) {
        List<Down> down = new ArrayList<>();
        Awaitility.await("healthy by itself " + app.base)
                .atMost(HEALS_WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Instance.Response health = app.get("/health");
                    if (health.status() == 200) return true;
                    JsonNode streams = health.json().get("streams");
                    if (!"RUNNING".equals(streams.get("state").asString()))
                        down.add(new Down(streams, app.get("/api/v1/services")));
                    return false;
                });
        return down;
    }

    private static List<String> logs(String service, int n) {
        List<String> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            out.add("{\"service\":\"" + service + "\",\"level\":\"INFO\",\"message\":\"log " + i
                    + "\",\"@timestamp\":\"" + Instant.ofEpochMilli(now - 1000 + i) + "\"}");
        }
        return out;
    }

    private static void awaitTotal(Instance app, String service, long total) {
        Awaitility.await(service + " counted")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> total(app, service) == total);
    }

    /** The service's total in {@code /api/v1/services}, -1 when it is not listed. */
    private static long total(Instance app, String service) {
        Instance.Response r = app.getAvailable("/api/v1/services");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return LogFlowApiIT.total(r.json(), service);
    }

    /** Two manual resolves on {@code logflow.alert-resets}, awaited in the global store (its position moves on). */
    private static void publishResetsAndAwaitThem(Instance app, String bootstrap, String round) throws Exception {
        List<String> ids = List.of("alert-" + round + "1-" + SUFFIX, "alert-" + round + "2-" + SUFFIX);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (String id : ids) {
                byte[] value =
                        ("{\"alert_id\":\"" + id + "\",\"state\":\"RESOLVED\"}").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.ALERT_RESETS.name(), id, value))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        Awaitility.await("resets in the global store")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    ReadOnlyKeyValueStore<String, byte[]> store = StreamsAccess.running(app.bean(StreamsRuntime.class))
                            .store(StoreQueryParameters.fromNameAndType(
                                    Stores.ALERT_RESETS.name(), QueryableStoreTypes.<String, byte[]>keyValueStore()));
                    return ids.stream().allMatch(id -> store.get(id) != null);
                });
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000));
    }

    private static String clusterId(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        }
    }

    private static void deleteTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.deleteTopics(Set.of(topic)).all().get(10, TimeUnit.SECONDS);
            Awaitility.await(topic + " deleted")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            !admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic));
        }
    }

    private static final Pattern RESTARTS =
            Pattern.compile("(?m)^logflow_streams_restarts_total(?:\\{[^}]*})? ([0-9.eE+-]+)$");

    private static double restartsMetric(Instance app) {
        String body = app.get("/actuator/prometheus").body();
        Matcher m = RESTARTS.matcher(body);
        assertThat(m.find()).as("logflow_streams_restarts_total in\n" + body).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
