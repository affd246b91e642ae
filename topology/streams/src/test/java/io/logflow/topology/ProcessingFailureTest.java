package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.log;
import static io.logflow.topology.TestObjects.pipe;
import static io.logflow.topology.TestObjects.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the production settings, a processor that throws does not stop the stream: Kafka Streams
 * hands the record to {@link DeadLetterHandler}, which dead-letters it (KIP-1034) and processing
 * goes on with the next record.
 */
class ProcessingFailureTest {
    @TempDir
    Path stateDir;

    @Test
    void recordThatMakesAProcessorThrow_isDeadLettered_andTheNextRecordsAreProcessed() {
        List<String> categories = new ArrayList<>();
        StreamsBuilder builder = new StreamsBuilder();
        var logs = NormalizedLogs.stream(builder)
                .peek(
                        (k, v) -> {
                            if (v.message().equals("poison"))
                                throw new IllegalStateException("cannot handle " + v.message());
                        },
                        Named.as("poison-check"));
        ServiceStatsTopology.addTo(builder, logs, TopologyOptions.defaults());
        Properties props = TestObjects.settings(stateDir);
        props.put(StreamsSettings.DEAD_LETTER_LISTENER_CONFIG, (DeadLetterListener) categories::add);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(T0))) {
            TestInputTopic<String, LogRecord> in = TestObjects.normalizedLogs(driver);
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(
                    Topics.DLQ.name(),
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            pipe(
                    in,
                    log("orders", Level.INFO, "before", T0),
                    log("orders", Level.INFO, "poison", T0 + 1),
                    log("orders", Level.INFO, "after", T0 + 2));

            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(str(dead.key())).isEqualTo("orders");
            assertThat(str(dead.value())).contains("\"message\":\"poison\"");
            assertThat(str(dead.headers().lastHeader(DeadLetters.REASON).value()))
                    .isEqualTo("processing failed in poison-check: IllegalStateException: cannot handle poison");
            assertThat(str(dead.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value()))
                    .isEqualTo("logflow.logs");
            assertThat(str(dead.headers().lastHeader(DeadLetters.SOURCE_OFFSET).value()))
                    .isEqualTo("1");
            assertThat(dlq.isEmpty()).isTrue();
            assertThat(categories).containsExactly("processing_error");
            LogCounts counts = driver.<String, LogCounts>getWindowStore(Stores.SERVICE_STATS.name())
                    .fetch("orders", T0);
            assertThat(counts.total()).isEqualTo(2);
        }
    }

    @Test
    void undeserializableRecordOnLogflowLogs_goesToTheHandler_andTheNextRecordsAreProcessed() {
        List<String> categories = new ArrayList<>();
        StreamsBuilder builder = new StreamsBuilder();
        ServiceStatsTopology.addTo(builder, TopologyOptions.defaults());
        Properties props = TestObjects.settings(stateDir);
        props.put(StreamsSettings.DEAD_LETTER_LISTENER_CONFIG, (DeadLetterListener) categories::add);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(T0))) {
            TestInputTopic<String, String> raw = driver.createInputTopic(
                    Topics.LOGS_NORMALIZED.name(),
                    Serdes.String().serializer(),
                    Serdes.String().serializer());
            raw.pipeInput(
                    "orders",
                    "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event.id\":\"e\",\"service.name\":\"orders\",\"log.le"
                            + "vel\":\"NOPE\",\"message\":\"m\"}",
                    T0);
            pipe(TestObjects.normalizedLogs(driver), log("orders", Level.INFO, "fine", T0 + 1));

            // TopologyTestDriver does not send the dead-letter records a deserialization handler returns (its
            // context has no record collector); the records themselves are checked in DeadLetterHandlerTest.
            assertThat(categories).containsExactly("deserialization_error");
            assertThat(driver.<String, LogCounts>getKeyValueStore(Stores.SERVICES.name())
                            .get("orders")
                            .total())
                    .isEqualTo(1);
        }
    }
}
