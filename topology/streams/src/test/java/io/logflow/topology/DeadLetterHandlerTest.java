package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.str;
import static io.logflow.topology.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.schema.DeadLetters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {
    private final List<String> categories = new ArrayList<>();
    private final DeadLetterHandler handler = new DeadLetterHandler();
    private final byte[] rawValue = utf8("{\"message\":\"m\"}");
    private final Context context = new Context("logflow.logs", 4, 1234L, utf8("orders"), rawValue);

    @BeforeEach
    void configure() {
        // configured the way StreamsSettings configures it in production
        Map<String, Object> configs = new HashMap<>();
        StreamsSettings.build("localhost:9092", "app", null, java.nio.file.Path.of("/tmp/x"), 1, Map.of())
                .forEach((k, v) -> configs.put((String) k, v));
        configs.put(StreamsSettings.DEAD_LETTER_LISTENER_CONFIG, (DeadLetterListener) categories::add);
        handler.configure(configs);
    }

    @Test
    void processingError_isDeadLetteredWithOrigin_andTheThreadResumes() {
        ProcessingExceptionHandler.Response r =
                handler.handleError(context, new Record<>("orders", "x", T0), new IllegalStateException("kaput"));
        assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertThat(r.deadLetterQueueRecords()).hasSize(1);
        assertThat(dead.topic()).isEqualTo("logflow.dlq");
        assertThat(str(dead.key())).isEqualTo("orders");
        assertThat(dead.value()).isEqualTo(rawValue);
        assertThat(dead.timestamp()).isEqualTo(T0);
        assertThat(header(dead.headers(), DeadLetters.REASON))
                .isEqualTo("processing failed in some-processor: IllegalStateException: kaput");
        assertThat(header(dead.headers(), DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_PROCESSING_ERROR);
        assertThat(header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("logflow.logs");
        assertThat(header(dead.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("4");
        assertThat(header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1234");
        assertThat(header(dead.headers(), "original")).isEqualTo("header");
        assertThat(categories).containsExactly("processing_error");
    }

    @Test
    void deserializationError_isDeadLetteredFromTheConsumerRecord() {
        ConsumerRecord<byte[], byte[]> bad = new ConsumerRecord<>("logflow.logs", 2, 77L, utf8("k"), utf8("not ecs"));
        DeserializationExceptionHandler.Response r =
                handler.handleError(context, bad, new SerializationException("bad doc"));
        assertThat(r.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertThat(str(dead.value())).isEqualTo("not ecs");
        assertThat(header(dead.headers(), DeadLetters.CATEGORY)).isEqualTo(DeadLetters.CATEGORY_DESERIALIZATION_ERROR);
        assertThat(header(dead.headers(), DeadLetters.REASON))
                .isEqualTo("cannot deserialize: SerializationException: bad doc");
        assertThat(categories).containsExactly("deserialization_error");
    }

    @Test
    void oversizedSourceValue_isTruncatedInTheDeadLetter() {
        byte[] big = new byte[DeadLetters.MAX_DEAD_LETTER_BYTES + 1];
        Arrays.fill(big, (byte) 'a');
        Context bigContext = new Context("logs", 0, 1L, null, big);
        ProducerRecord<byte[], byte[]> dead = handler.handleError(
                        bigContext, new Record<>(null, null, T0), new RuntimeException())
                .deadLetterQueueRecords()
                .get(0);
        assertThat(dead.value()).hasSize(DeadLetters.MAX_DEAD_LETTER_BYTES);
        assertThat(header(dead.headers(), DeadLetters.TRUNCATED)).isEqualTo("true");
        assertThat(header(dead.headers(), DeadLetters.REASON))
                .isEqualTo("processing failed in some-processor: RuntimeException");
    }

    @Test
    void outputTooLarge_isDeadLetteredAndSkipped_retriableErrorsRetry_othersFail() {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>("logflow.logs", utf8("k"), utf8("v"));
        ProductionExceptionHandler.Response tooLarge =
                handler.handleError(context, out, new RecordTooLargeException("big"));
        assertThat(tooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(tooLarge.deadLetterQueueRecords()).hasSize(1);
        assertThat(handler.handleError(context, out, new TimeoutException("slow"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(handler.handleError(context, out, new IllegalStateException("?"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void serializationError_isDeadLetteredAndSkipped() {
        ProductionExceptionHandler.Response r = handler.handleSerializationError(
                context,
                new ProducerRecord<>("logflow.logs", "k", "v"),
                new SerializationException("no"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertThat(r.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(header(r.deadLetterQueueRecords().get(0).headers(), DeadLetters.REASON))
                .isEqualTo("cannot serialize VALUE for logflow.logs: SerializationException: no");
    }

    @Test
    void deadLetterTopic_followsTheKip1034Setting() {
        DeadLetterHandler custom = new DeadLetterHandler();
        custom.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "other.dlq"));
        assertThat(custom.handleError(context, new Record<>(null, null, T0), new RuntimeException())
                        .deadLetterQueueRecords()
                        .get(0)
                        .topic())
                .isEqualTo("other.dlq");
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : str(h.value());
    }

    /** The context Kafka Streams hands to exception handlers. */
    private record Context(String topic, int partition, long offset, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders().add("original", utf8("header"));
        }

        @Override
        public String processorNodeId() {
            return "some-processor";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(1, partition);
        }

        @Override
        public long timestamp() {
            return T0;
        }
    }
}
