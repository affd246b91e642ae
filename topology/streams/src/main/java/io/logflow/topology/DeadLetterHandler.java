package io.logflow.topology;

import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence: a record that makes a processor, a deserialiser or the producer throw
 * is logged (topic, partition, offset, processor), sent to the dead-letter topic with LogFlow's
 * headers ({@link DeadLetters}) through Kafka Streams' KIP-1034 dead-letter-queue support, counted,
 * and skipped — the stream thread keeps running. Expected rejections (bad JSON, no message…) never
 * get here: {@link NormalizeTopology} dead-letters them itself.
 *
 * <p>Configured by {@link StreamsSettings}: the dead-letter topic comes from {@code
 * errors.dead.letter.queue.topic.name} (default {@code logflow.dlq}), the metric hook from the
 * {@link StreamsSettings#DEAD_LETTER_LISTENER_CONFIG} entry (a {@link DeadLetterListener} instance).
 * Production errors other than serialisation failures and oversized records keep Kafka Streams'
 * default behaviour (retry when retriable, otherwise fail), because skipping them could lose
 * valid data.
 */
public class DeadLetterHandler
        implements ProcessingExceptionHandler, DeserializationExceptionHandler, ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic = Topics.DLQ.name();
    private DeadLetterListener listener = DeadLetterListener.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic != null && !topic.toString().isBlank()) deadLetterTopic = topic.toString();
        if (configs.get(StreamsSettings.DEAD_LETTER_LISTENER_CONFIG) instanceof DeadLetterListener l) listener = l;
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.warn(
                "Processing failed, record dead-lettered and skipped: processor={}, task={}, topic={}, partition={}, "
                        + "offset={}",
                context.processorNodeId(),
                context.taskId(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return ProcessingExceptionHandler.Response.resume(deadLetter(
                context,
                context.sourceRawKey(),
                context.sourceRawValue(),
                "processing failed in " + context.processorNodeId() + ": " + DeadLetterRecords.describe(exception),
                DeadLetters.CATEGORY_PROCESSING_ERROR));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn(
                "Deserialization failed, record dead-lettered and skipped: topic={}, partition={}, offset={}",
                record.topic(),
                record.partition(),
                record.offset(),
                exception);
        return DeserializationExceptionHandler.Response.resume(deadLetter(
                context,
                record.key(),
                record.value(),
                "cannot deserialize: " + DeadLetterRecords.describe(exception),
                DeadLetters.CATEGORY_DESERIALIZATION_ERROR));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            LOG.warn(
                    "Output record too large for topic {}, dead-lettered and skipped: source topic={}, partition={}, "
                            + "offset={}",
                    record.topic(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return ProductionExceptionHandler.Response.resume(deadLetter(
                    context,
                    context.sourceRawKey(),
                    context.sourceRawValue(),
                    "output record for " + record.topic() + " too large: " + DeadLetterRecords.describe(exception),
                    DeadLetters.CATEGORY_PROCESSING_ERROR));
        }
        if (exception instanceof RetriableException) return ProductionExceptionHandler.Response.retry();
        LOG.error(
                "Producing to {} failed: source topic={}, partition={}, offset={}",
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return ProductionExceptionHandler.Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        LOG.warn(
                "Serializing the {} for topic {} failed, record dead-lettered and skipped: source topic={}, "
                        + "partition={}, offset={}",
                origin,
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return ProductionExceptionHandler.Response.resume(deadLetter(
                context,
                context.sourceRawKey(),
                context.sourceRawValue(),
                "cannot serialize " + origin + " for " + record.topic() + ": " + DeadLetterRecords.describe(exception),
                DeadLetters.CATEGORY_PROCESSING_ERROR));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(
            ErrorHandlerContext context, byte[] key, byte[] value, String reason, String category) {
        try {
            listener.onDeadLetter(category);
        } catch (RuntimeException e) {
            LOG.warn("Dead-letter listener failed", e);
        }
        return List.of(new ProducerRecord<>(
                deadLetterTopic,
                null,
                context.timestamp() < 0 ? null : context.timestamp(),
                key,
                DeadLetterRecords.value(value),
                DeadLetterRecords.headers(
                        context.headers(),
                        reason,
                        category,
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        DeadLetterRecords.truncated(value))));
    }
}
