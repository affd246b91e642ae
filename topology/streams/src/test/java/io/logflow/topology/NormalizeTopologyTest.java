package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.str;
import static io.logflow.topology.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.normalize.LogNormalizer;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizeTopologyTest {
    @TempDir
    Path stateDir;

    private final List<String> deadLetterCategories = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> logs;
    private TestOutputTopic<String, LogRecord> normalized;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void setUp() {
        TopologyOptions options = TopologyOptions.defaults().withDeadLetters(deadLetterCategories::add);
        driver = TestObjects.driver(TestObjects.topology(NormalizeTopology::addTo, options), stateDir);
        setUpTopics();
    }

    private void setUpTopics() {
        logs = driver.createInputTopic(
                Topics.LOGS.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        normalized = driver.createOutputTopic(
                Topics.LOGS_NORMALIZED.name(),
                Serdes.String().deserializer(),
                LogFlowSerdes.ecsJson().deserializer());
        dlq = driver.createOutputTopic(
                Topics.DLQ.name(),
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(String json) {
        logs.pipeInput(null, utf8(json), T0 + 60_000);
    }

    @Test
    void acceptedLog_goesToLogflowLogs_keyedByService_withEventTimeAsRecordTime() {
        logs.pipeInput(
                utf8("raw-key"),
                utf8("{\"@timestamp\":\"2026-01-01T00:00:10Z\",\"service\":\"orders\",\"level\":\"error\",\"messag"
                        + "e\":\"boom\"}"),
                T0 + 60_000);

        TestRecord<String, LogRecord> out = normalized.readRecord();
        assertThat(out.key()).isEqualTo("orders");
        assertThat(out.timestamp()).isEqualTo(T0 + 10_000);
        assertThat(out.value())
                .isEqualTo(new LogRecord(
                        LogNormalizer.eventId("logs", 0, 0),
                        T0 + 10_000,
                        "orders",
                        Level.ERROR,
                        "boom",
                        null,
                        null,
                        null,
                        null,
                        java.util.Map.of()));
        assertThat(normalized.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(deadLetterCategories).isEmpty();
    }

    @Test
    void logWhoseWindowClosedBeforeItArrived_isMarkedLate_relativeToItsSourcePartition() {
        logs.pipeInput(
                null,
                utf8("{\"message\":\"now\"}"),
                T0 + 60_000 + 30_000); // partition time: end of [T0, T0+60s) + grace
        logs.pipeInput(null, utf8("{\"@timestamp\":" + (T0 + 59_999) + ",\"message\":\"too late\"}"), T0 + 90_000);
        logs.pipeInput(
                null, utf8("{\"@timestamp\":" + (T0 + 60_000) + ",\"message\":\"next window, on time\"}"), T0 + 90_000);

        List<TestRecord<String, LogRecord>> out = normalized.readRecordsToList();
        assertThat(out).extracting(r -> r.value().message()).containsExactly("now", "too late", "next window, on time");
        assertThat(out)
                .extracting(r -> r.headers().lastHeader(io.logflow.model.schema.LogHeaders.LATE) != null)
                .containsExactly(false, true, false);
    }

    @Test
    void lastMillisecondOfGrace_isNotLate() {
        logs.pipeInput(null, utf8("{\"message\":\"now\"}"), T0 + 60_000 + 30_000 - 1);
        logs.pipeInput(
                null, utf8("{\"@timestamp\":" + (T0 + 59_999) + ",\"message\":\"just in time\"}"), T0 + 90_000 - 1);
        assertThat(normalized.readRecordsToList())
                .allSatisfy(r -> assertThat(r.headers().lastHeader(io.logflow.model.schema.LogHeaders.LATE))
                        .isNull());
    }

    @Test
    void lateHeaderSentByAShipper_isReplacedByLogFlowsOwnDecision() {
        org.apache.kafka.common.header.internals.RecordHeaders spoofed =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        spoofed.add(io.logflow.model.schema.LogHeaders.LATE, new byte[] {'1'});
        logs.pipeInput(new TestRecord<>(null, utf8("{\"message\":\"on time\"}"), spoofed, T0));
        assertThat(normalized.readRecord().headers().lastHeader(io.logflow.model.schema.LogHeaders.LATE))
                .isNull();
    }

    @Test
    void eventIds_followTheSourceOffset() {
        send("{\"message\":\"one\"}");
        send("{\"message\":\"two\"}");
        assertThat(normalized.readValuesToList())
                .extracting(LogRecord::eventId)
                .containsExactly(LogNormalizer.eventId("logs", 0, 0), LogNormalizer.eventId("logs", 0, 1));
    }

    @Test
    void everyAcceptedShape_isNormalised() {
        send("{\"timestamp\":1767225601,\"service.name\":\"a\",\"severity\":\"WARNING\",\"msg\":\"m1\"}");
        send("{\"time\":1767225602000,\"service\":{\"name\":\"b\"},\"log.level\":\"critical\","
                + "\"message\":\"m2\",\"traceId\":\"4BF92F35-77B3-4DA6-A3CE-929D0E0E4736\"}");
        send("{\"@timestamp\":\"2026-01-01T00:00:03\",\"service_name\":\"c\",\"severity_text\":\"debug\",\"message"
                + "\":\"m3\",\"trace.id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span.id\":\"00f067aa0ba902b7"
                + "\"}");
        send("{\"@timestamp\":\"2026-01-01T01:00:04+01:00\",\"service\":\"d\",\"level\":\"Fatal\",\"message\":\"m4"
                + "\",\"request_id\":\"r\",\"correlation_id\":\"c\",\"env\":\"prod\"}");

        List<TestRecord<String, LogRecord>> out = normalized.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("a", "b", "c", "d");
        assertThat(out).extracting(TestRecord::timestamp).containsExactly(T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000);
        assertThat(out)
                .extracting(r -> r.value().level())
                .containsExactly(Level.WARN, Level.FATAL, Level.DEBUG, Level.FATAL);
        assertThat(out)
                .extracting(r -> r.value().traceId())
                .containsExactly(null, "4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736", null);
        assertThat(out.get(2).value().spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(out.get(3).value().requestId()).isEqualTo("r");
        assertThat(out.get(3).value().correlationId()).isEqualTo("c");
        assertThat(out.get(3).value().labels()).containsExactly(java.util.Map.entry("env", "prod"));
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void logWithoutTime_usesTheKafkaRecordTime() {
        send("{\"message\":\"m\"}");
        assertThat(normalized.readRecord().timestamp()).isEqualTo(T0 + 60_000);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all                                | invalid_json    | not valid JSON",
                "[1,2,3]                                        | not_object      | not a JSON object",
                "{\"level\":\"INFO\"}                           | missing_message | missing field 'message'",
                "{\"message\":\"m\",\"@timestamp\":\"soon\"}    | bad_timestamp   | unparsable timestamp 'soon'"
            })
    void rejectedRecord_goesToDeadLetters_withReasonCategoryAndOrigin(String value, String category, String reason) {
        Headers original = new RecordHeaders().add("traceparent", utf8("00-abc-01"));
        logs.pipeInput(new TestRecord<>(utf8("k1"), utf8(value), original, T0 + 5));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(str(dead.key())).isEqualTo("k1");
        assertThat(str(dead.value())).isEqualTo(value);
        assertThat(dead.timestamp()).isEqualTo(T0 + 5);
        assertThat(header(dead, DeadLetters.REASON)).startsWith(reason);
        assertThat(header(dead, DeadLetters.CATEGORY)).isEqualTo(category);
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo("logs");
        assertThat(header(dead, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(dead.headers().lastHeader(DeadLetters.TRUNCATED)).isNull();
        assertThat(header(dead, "traceparent")).isEqualTo("00-abc-01");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(normalized.isEmpty()).isTrue();
        assertThat(deadLetterCategories).containsExactly(category);
    }

    @Test
    void nullValue_isDeadLetteredAsEmpty() {
        logs.pipeInput(utf8("k"), null, T0);
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isNull();
        assertThat(header(dead, DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_EMPTY);
        assertThat(normalized.isEmpty()).isTrue();
        assertThat(deadLetterCategories).containsExactly("empty");
    }

    @Test
    void oversizedRecord_isDeadLetteredTruncated_withTruncatedHeader() {
        byte[] big = new byte[Topics.MAX_LOG_BYTES + 10];
        Arrays.fill(big, (byte) 'x');
        logs.pipeInput(null, big, T0);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value())
                .hasSize(DeadLetters.MAX_DEAD_LETTER_BYTES)
                .isEqualTo(Arrays.copyOf(big, DeadLetters.MAX_DEAD_LETTER_BYTES));
        assertThat(header(dead, DeadLetters.TRUNCATED)).isEqualTo("true");
        assertThat(header(dead, DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_TOO_LARGE);
        assertThat(header(dead, DeadLetters.REASON)).contains(String.valueOf(Topics.MAX_LOG_BYTES + 10));
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(normalized.isEmpty()).isTrue();
        assertThat(deadLetterCategories).containsExactly("too_large");
    }

    @Test
    void badRecords_doNotStopTheStream_validOnesAroundThemAllPass() {
        send("{\"message\":\"before\"}");
        send("{broken");
        logs.pipeInput(null, null, T0);
        send("{\"message\":\"after\"}");
        assertThat(normalized.readValuesToList()).extracting(LogRecord::message).containsExactly("before", "after");
        assertThat(dlq.readRecordsToList())
                .extracting(r -> header(r, DeadLetters.SOURCE_OFFSET))
                .containsExactly("1", "2");
        assertThat(deadLetterCategories).containsExactly("invalid_json", "empty");
    }

    @Test
    void exceptionWhileNormalising_isDeadLetteredAsProcessingError_andTheStreamGoesOn() {
        driver.close();
        NormalizeTopology.Normalizer exploding = (raw, id, ts) -> {
            if (str(raw).contains("explode")) throw new IllegalStateException("bug in normaliser");
            return LogNormalizer.normalize(raw, id, ts);
        };
        TopologyOptions options = TopologyOptions.defaults().withDeadLetters(deadLetterCategories::add);
        org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
        NormalizeTopology.addTo(builder, options, exploding);
        driver = TestObjects.driver(builder.build(), stateDir);
        setUpTopics();
        send("{\"message\":\"explode\"}");
        send("{\"message\":\"fine\"}");

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(str(dead.value())).isEqualTo("{\"message\":\"explode\"}");
        assertThat(header(dead, DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_PROCESSING_ERROR);
        assertThat(header(dead, DeadLetters.REASON))
                .isEqualTo("normalisation failed: IllegalStateException: bug in normaliser");
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(normalized.readValuesToList()).extracting(LogRecord::message).containsExactly("fine");
        assertThat(deadLetterCategories).containsExactly("processing_error");
    }

    @Test
    void failingDeadLetterListener_doesNotStopTheStream() {
        driver.close();
        TopologyOptions options = TopologyOptions.defaults().withDeadLetters(c -> {
            throw new IllegalStateException("metrics down");
        });
        driver = TestObjects.driver(TestObjects.topology(NormalizeTopology::addTo, options), stateDir);
        setUpTopics();
        send("nope");
        send("{\"message\":\"ok\"}");
        assertThat(dlq.readRecordsToList()).hasSize(1);
        assertThat(normalized.readValuesToList()).extracting(LogRecord::message).containsExactly("ok");
    }

    @Test
    void recordWithoutValidKafkaTime_usesThePartitionTime() {
        var extractor = new NormalizeTopology.RecordTimeOrNow();
        var noTime = new org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object>(
                "logs",
                0,
                0L,
                -1L,
                org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE,
                0,
                0,
                null,
                null,
                new RecordHeaders(),
                java.util.Optional.empty());
        assertThat(extractor.extract(noTime, T0)).isEqualTo(T0);
        assertThat(extractor.extract(noTime, -1L)).isPositive();
        var withTime = new org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object>(
                "logs",
                0,
                0L,
                T0 + 7,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0,
                0,
                null,
                null,
                new RecordHeaders(),
                java.util.Optional.empty());
        assertThat(extractor.extract(withTime, T0)).isEqualTo(T0 + 7);
    }

    private static String header(TestRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : str(h.value());
    }
}
