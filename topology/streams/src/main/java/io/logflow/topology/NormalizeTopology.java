package io.logflow.topology;

import io.logflow.model.codec.EcsJson;
import io.logflow.model.normalize.LogNormalizer;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.LogHeaders;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code logs} → {@code logflow.logs} | {@code logflow.dlq}.
 *
 * <p>Every raw record goes through {@link LogNormalizer}. An accepted log is written to {@code
 * logflow.logs} keyed by its service name (so everything downstream is partitioned by service),
 * as ECS JSON, with the log's event time as the record timestamp (so downstream windows use event
 * time). A rejected record — or one whose normalisation throws — is written to {@code logflow.dlq}
 * with its original key and value (cut to {@link DeadLetters#MAX_DEAD_LETTER_BYTES}, header {@link
 * DeadLetters#TRUNCATED}), the reason, its category and its origin in headers, and the {@link
 * DeadLetterListener} is told. Nothing is ever silently dropped and no record can stop the thread.
 *
 * <p>The processor serialises its outputs itself (the key with UTF-8 exactly as {@code
 * StringSerializer} does, the value with {@link EcsJson#write}) and the two sinks pass bytes
 * through: one serialisation per record, no intermediate objects.
 */
public final class NormalizeTopology {
    static final String SOURCE = "logs-source";
    static final String PROCESSOR = "normalize";
    static final String LOGS_SINK = "logflow-logs-sink";
    static final String DLQ_SINK = "dlq-sink";

    private NormalizeTopology() {}

    /** The normalisation step; replaceable in tests to exercise the failure path. */
    @FunctionalInterface
    interface Normalizer {
        LogNormalizer.Result normalize(byte[] raw, String eventId, long recordTimestamp);
    }

    public static void addTo(StreamsBuilder builder, TopologyOptions options) {
        addTo(builder, options, LogNormalizer::normalize);
    }

    static void addTo(StreamsBuilder builder, TopologyOptions options, Normalizer normalizer) {
        KStream<byte[], byte[]> raw = builder.stream(
                Topics.LOGS.name(),
                Consumed.with(Topics.LOGS.keySerde(), Topics.LOGS.valueSerde())
                        .withTimestampExtractor(new RecordTimeOrNow())
                        .withName(SOURCE));
        long graceMs = options.grace().toMillis();
        KStream<byte[], byte[]> out = raw.process(
                () -> new NormalizeProcessor(normalizer, options.deadLetters(), graceMs), Named.as(PROCESSOR));
        // the processor forwards logs already encoded with Topics.LOGS_NORMALIZED's serdes, and dead letters as
        // received
        out.to(
                Topics.LOGS_NORMALIZED.name(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(LOGS_SINK));
        out.to(
                Topics.DLQ.name(),
                Produced.with(Topics.DLQ.keySerde(), Topics.DLQ.valueSerde()).withName(DLQ_SINK));
    }

    /**
     * The Kafka record time; for a record without a valid one (negative: only from very old
     * producers), the partition's time, or now when there is none yet. Never fails, never skips:
     * the log's own time is what counts downstream anyway.
     */
    static final class RecordTimeOrNow implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.timestamp() >= 0) return record.timestamp();
            return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
        }
    }

    private static final byte[] LATE_VALUE = {'1'};

    /**
     * A log is late when its 1-minute window closed (end + grace) before the stream time of the
     * partition it arrived on — the Kafka record time, i.e. the producer's or broker's clock. Judged
     * here, at the source, and not after {@code logflow.logs}: that topic interleaves the output of
     * every normaliser task, and during a catch-up one task runs minutes ahead of another, which would
     * make on-time logs look late. See docs/adr/005-lateness-at-the-source.md.
     */
    static boolean isLate(long eventTime, long streamTime, long graceMs) {
        long windowEnd = ServiceStatsTopology.windowStart(eventTime) + Stores.STATS_WINDOW_MS;
        return windowEnd + graceMs <= streamTime;
    }

    /**
     * Sets the {@link LogHeaders#LATE} header of a log going to {@code logflow.logs} by {@link
     * #isLate}, removing one a shipper may have sent: only LogFlow decides lateness.
     */
    static void markLateness(Headers headers, long eventTime, long streamTime, long graceMs) {
        headers.remove(LogHeaders.LATE);
        if (isLate(eventTime, streamTime, graceMs)) headers.add(LogHeaders.LATE, LATE_VALUE);
    }

    static final class NormalizeProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private static final Logger LOG = LoggerFactory.getLogger(NormalizeProcessor.class);
        private final Normalizer normalizer;
        private final DeadLetterListener deadLetters;
        private final long graceMs;
        private ProcessorContext<byte[], byte[]> context;

        NormalizeProcessor(Normalizer normalizer, DeadLetterListener deadLetters, long graceMs) {
            this.normalizer = normalizer;
            this.deadLetters = deadLetters;
            this.graceMs = graceMs;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String topic = Topics.LOGS.name();
            int partition = -1;
            long offset = -1;
            RecordMetadata meta = context.recordMetadata().orElse(null);
            if (meta != null) {
                topic = meta.topic();
                partition = meta.partition();
                offset = meta.offset();
            }
            LogNormalizer.Result result;
            byte[] key;
            byte[] value;
            try {
                result = normalizer.normalize(
                        record.value(), LogNormalizer.eventId(topic, partition, offset), record.timestamp());
                if (result instanceof LogNormalizer.Accepted accepted) {
                    key = accepted.log().service().getBytes(StandardCharsets.UTF_8);
                    value = EcsJson.write(accepted.log());
                    Headers headers = record.headers();
                    markLateness(headers, accepted.log().timestamp(), context.currentStreamTimeMs(), graceMs);
                    context.forward(new Record<>(key, value, accepted.log().timestamp(), headers), LOGS_SINK);
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "Normalising failed, record dead-lettered: topic={}, partition={}, offset={}",
                        topic,
                        partition,
                        offset,
                        e);
                result = new LogNormalizer.Rejected(
                        "normalisation failed: " + DeadLetterRecords.describe(e),
                        DeadLetters.CATEGORY_PROCESSING_ERROR);
            }
            LogNormalizer.Rejected rejected = (LogNormalizer.Rejected) result;
            byte[] original = record.value();
            context.forward(
                    new Record<>(
                            record.key(),
                            DeadLetterRecords.value(original),
                            record.timestamp(),
                            DeadLetterRecords.headers(
                                    record.headers(),
                                    rejected.reason(),
                                    rejected.category(),
                                    topic,
                                    partition,
                                    offset,
                                    DeadLetterRecords.truncated(original))),
                    DLQ_SINK);
            try {
                deadLetters.onDeadLetter(rejected.category());
            } catch (RuntimeException e) {
                LOG.warn("Dead-letter listener failed", e);
            }
        }
    }
}
