package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsRecordsAcrossARestartInTheSameDataDirectory() throws Exception {
        String topic = "restart-test";
        try (LocalKafka kafka = LocalKafka.start(dataDir, 0)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                            true),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 10; i++)
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
            }
        }
        assertThat(Files.exists(dataDir.resolve("data").resolve("meta.properties")))
                .isTrue();

        try (LocalKafka restarted = LocalKafka.start(dataDir, 0)) {
            assertThat(readAll(restarted.bootstrapServers(), topic, 10)).hasSize(10);
        }
    }

    @Test
    void temporaryBrokerSupportsTransactionsAsExactlyOnceStreamsNeeds() throws Exception {
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("tx", 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            "tx-test"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "committed"));
                producer.commitTransaction();
            }
            assertThat(readAll(kafka.bootstrapServers(), "tx", 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("committed");
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
