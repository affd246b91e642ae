package io.logflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {
    private final Path stateDir = Path.of("/var/lib/logflow/streams");

    @Test
    void productionSettings_areExactlyOnce_withDeadLetterHandling_andTuning() {
        Properties p = StreamsSettings.build("broker:9092", "logflow", "10.0.0.5:8080", stateDir, 2, Map.of());
        assertThat(p)
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("application.id", "logflow")
                .containsEntry("application.server", "10.0.0.5:8080")
                .containsEntry("state.dir", "/var/lib/logflow/streams")
                .containsEntry("num.stream.threads", "2")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("commit.interval.ms", "100")
                .containsEntry(
                        "max.task.idle.ms",
                        "-1") // one input topic per sub-topology: LogFlowTopologyTest.subTopologyIds_…
                .containsEntry("default.key.serde", "org.apache.kafka.common.serialization.Serdes$ByteArraySerde")
                .containsEntry("default.value.serde", "org.apache.kafka.common.serialization.Serdes$ByteArraySerde")
                .containsEntry("processing.exception.handler", DeadLetterHandler.class.getName())
                .containsEntry("deserialization.exception.handler", DeadLetterHandler.class.getName())
                .containsEntry("production.exception.handler", DeadLetterHandler.class.getName())
                .containsEntry("errors.dead.letter.queue.topic.name", "logflow.dlq")
                .containsEntry("producer.compression.type", "none")
                .containsEntry("producer.batch.size", "131072")
                .containsEntry("producer.linger.ms", "10")
                .containsEntry("consumer.max.poll.records", "2000");
    }

    @Test
    void settingsAreValidKafkaStreamsConfig_andHandlersInstantiate() {
        StreamsConfig config =
                new StreamsConfig(StreamsSettings.build("broker:9092", "logflow", null, stateDir, 1, Map.of()));
        assertThat(config.processingExceptionHandler()).isInstanceOf(DeadLetterHandler.class);
        assertThat(config.deserializationExceptionHandler()).isInstanceOf(DeadLetterHandler.class);
        assertThat(config.productionExceptionHandler()).isInstanceOf(DeadLetterHandler.class);
        Map<String, Object> producer = config.getProducerConfigs("client");
        assertThat(producer).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        Map<String, Object> consumer = config.getMainConsumerConfigs("group", "client", 0);
        assertThat(consumer).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    @Test
    void noApplicationServer_whenNull() {
        assertThat(StreamsSettings.build("b:9092", "a", null, stateDir, 1, Map.of()))
                .doesNotContainKey("application.server");
    }

    @Test
    void overridesWin() {
        Properties p = StreamsSettings.build(
                "b:9092",
                "a",
                null,
                stateDir,
                1,
                Map.of(
                        "processing.guarantee",
                        "at_least_once",
                        "producer.linger.ms",
                        "50",
                        "num.standby.replicas",
                        "1"));
        assertThat(p)
                .containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("producer.linger.ms", "50")
                .containsEntry("num.standby.replicas", "1");
    }

    @Test
    void rejectsZeroThreads() {
        assertThatThrownBy(() -> StreamsSettings.build("b:9092", "a", null, stateDir, 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeOptions_leaveTheGroup() {
        var options = new org.apache.kafka.streams.internals.CloseOptionsInternal(
                StreamsSettings.closeOptions(Duration.ofSeconds(10)));
        assertThat(options.operation())
                .isEqualTo(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        assertThat(options.timeout()).contains(Duration.ofSeconds(10));
    }
}
