package io.logflow.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.cluster.Cluster;
import io.logflow.api.query.RateWindow.Rate;
import io.logflow.api.query.SystemVitals.VitalsPart;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class SystemVitalsTest {
    static final String MAIN = "app-1a2b-StreamThread-1-consumer";
    static final String RESTORE = "app-1a2b-StreamThread-1-restore-consumer";

    final Map<MetricName, Metric> metrics = new HashMap<>();

    void metric(String group, String name, Object value, String... tags) {
        Map<String, String> t = new HashMap<>();
        for (int i = 0; i < tags.length; i += 2) t.put(tags[i], tags[i + 1]);
        MetricName n = new MetricName(name, group, "", t);
        metrics.put(n, new Metric() {
            @Override
            public MetricName metricName() {
                return n;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void consumerLag_isTheMainConsumers_recordsLag_perTopicAndPartition() {
        String g = "consumer-fetch-manager-metrics";
        metric(g, "records-lag", 5.0, "client-id", MAIN, "topic", "logs", "partition", "0");
        metric(g, "records-lag", 7.0, "client-id", MAIN, "topic", "app-stats_repartition", "partition", "2");
        metric(g, "records-lag", Double.NaN, "client-id", MAIN, "topic", "logs", "partition", "1");
        metric(g, "records-lag", 99.0, "client-id", RESTORE, "topic", "app-changelog", "partition", "0");
        metric(g, "records-lag", 2.0, "client-id", MAIN, "topic", "logflow.logs", "partition", "1");
        metric(g, "records-lag", 2.0, "client-id", MAIN, "topic", "logflow_logs", "partition", "1");

        assertThat(SystemVitals.consumerLag(
                        metrics,
                        Map.of("app-stats_repartition", "app-stats.repartition", "logflow_logs", "logflow.logs")))
                .isEqualTo(Map.of(
                        "logs", Map.of(0, 5L), "app-stats.repartition", Map.of(2, 7L), "logflow.logs", Map.of(1, 2L)));
    }

    @Test
    void consumedTotals_arePerTopic_summedOverThreads() {
        String g = "consumer-fetch-manager-metrics";
        metric(g, "records-consumed-total", 10.0, "client-id", MAIN, "topic", "logs");
        metric(g, "records-consumed-total", 5.0, "client-id", "app-StreamThread-2-consumer", "topic", "logs");
        metric(g, "records-consumed-total", 15.0, "client-id", MAIN); // every topic
        metric(g, "records-consumed-total", 50.0, "client-id", RESTORE, "topic", "logs");
        // a topic with a dot: under its name and its old sanitised name, once each
        metric(g, "records-consumed-total", 8.0, "client-id", MAIN, "topic", "logflow.logs");
        metric(g, "records-consumed-total", 8.0, "client-id", MAIN, "topic", "logflow_logs");

        assertThat(SystemVitals.consumedTotals(metrics, Map.of("logflow_logs", "logflow.logs")))
                .isEqualTo(Map.of("logs", 15.0, "logflow.logs", 8.0));
    }

    @Test
    void storeSizes_sumRocksDbEstimates_overTasks() {
        String g = "stream-state-metrics";
        metric(g, "estimate-num-keys", java.math.BigInteger.valueOf(3), "task-id", "0_0", "rocksdb-state-id", "s");
        metric(g, "estimate-num-keys", java.math.BigInteger.valueOf(4), "task-id", "0_1", "rocksdb-state-id", "s");
        metric(
                g,
                "total-sst-files-size",
                java.math.BigInteger.valueOf(1000),
                "task-id",
                "0_1",
                "rocksdb-state-id",
                "s");
        metric(
                g,
                "estimate-num-keys",
                java.math.BigInteger.valueOf(9),
                "task-id",
                "1_0",
                "rocksdb-window-state-id",
                "w");

        Map<String, long[]> sizes = SystemVitals.storeSizes(metrics);
        assertThat(sizes.get("s")).containsExactly(7, 1000);
        assertThat(sizes.get("w")).containsExactly(9, 0);
    }

    @Test
    void merge_sumsCounters_mergesLag_andListsEveryInstance_withItsErrorIfAny() {
        VitalsPart a = part("a:1", Map.of("logs", Map.of(0, 3L)), new Rate(10, 1), new Rate(2, 0.5));
        VitalsPart b = part("b:1", Map.of("logs", Map.of(1, 4L)), new Rate(30, 2), new Rate(0, 0));
        var answer = SystemVitals.merge(
                Instant.parse("2026-01-01T00:00:00Z"),
                List.of(
                        new Cluster.Reply<>("a:1", a, null),
                        new Cluster.Reply<>("b:1", b, null),
                        new Cluster.Reply<VitalsPart>("c:1", null, "instance c:1 did not answer")));

        assertThat(answer.instances()).isEqualTo(3);
        assertThat(answer.answered()).isEqualTo(2);
        assertThat(answer.ingest()).containsEntry("api", new Rate(40, 3));
        assertThat(answer.deadLetters()).containsEntry("invalid_json", new Rate(2, 0.5));
        assertThat(answer.consumerLag()).isEqualTo(Map.of("logs", Map.of(0, 3L, 1, 4L)));
        assertThat(answer.consumerLagTotal()).isEqualTo(7);
        assertThat(answer.instanceList())
                .extracting(SystemVitals.InstanceView::instance, SystemVitals.InstanceView::error)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a:1", null),
                        org.assertj.core.groups.Tuple.tuple("b:1", null),
                        org.assertj.core.groups.Tuple.tuple("c:1", "instance c:1 did not answer"));
    }

    static VitalsPart part(String instance, Map<String, Map<Integer, Long>> lag, Rate api, Rate invalidJson) {
        return new VitalsPart(
                instance,
                "RUNNING",
                1,
                List.of(),
                Map.of(),
                lag,
                Map.of(),
                Map.of("api", api),
                Map.of(),
                Map.of("invalid_json", invalidJson),
                Set.of());
    }
}
