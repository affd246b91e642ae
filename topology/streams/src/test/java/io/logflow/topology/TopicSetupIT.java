package io.logflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.schema.Topic;
import io.logflow.model.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicSetupIT {
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @Test
    void createsEveryTopic_withPartitionsAndConfigs_concurrentlyAndRepeatedly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Admin admin = admin()) {
            List<Callable<Void>> instances = new ArrayList<>();
            for (int i = 0; i < 3; i++)
                instances.add(() -> {
                    TopicSetup.ensure(admin, 4, (short) 1);
                    return null;
                });
            for (Future<Void> f : pool.invokeAll(instances))
                f.get(); // no instance fails when another created the topic first
            TopicSetup.ensure(admin, 4, (short) 1); // and again: nothing to do

            List<String> names = Topics.ALL.stream().map(Topic::name).toList();
            assertThat(names).contains("otlp_spans", "otlp_logs", "logflow.spans");
            Map<String, TopicDescription> topics =
                    admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(topics.values())
                    .allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
            Config logs = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "logs")))
                    .all()
                    .get()
                    .values()
                    .iterator()
                    .next();
            assertThat(logs.get("max.message.bytes").value()).isEqualTo(String.valueOf(Topics.MAX_MESSAGE_BYTES));
            assertThat(logs.get("cleanup.policy").value()).isEqualTo("delete");
            Config resets = admin.describeConfigs(
                            List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.ALERT_RESETS.name())))
                    .all()
                    .get()
                    .values()
                    .iterator()
                    .next();
            assertThat(resets.get("cleanup.policy").value()).isEqualTo("compact,delete");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void compactedSpecs_getCleanupPolicyCompact() {
        NewTopic t = TopicSetup.newTopic(
                new Topic<>("some.table", Serdes.ByteArray(), Serdes.ByteArray(), true, Map.of("retention.ms", "1000")),
                6,
                (short) 1);
        assertThat(t.configs()).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "1000");
        assertThat(t.numPartitions()).isEqualTo(6);
        // a compacted spec may name its own policy (the manual resolves are compacted and deleted after a while)
        assertThat(TopicSetup.newTopic(Topics.ALERT_RESETS, 6, (short) 1).configs())
                .containsEntry("cleanup.policy", "compact,delete");
        NewTopic plain = TopicSetup.newTopic(Topics.LOGS, 6, (short) 1);
        assertThat(plain.configs()).doesNotContainKey("cleanup.policy");
    }
}
