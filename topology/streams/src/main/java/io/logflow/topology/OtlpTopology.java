package io.logflow.topology;

import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import io.logflow.model.normalize.LogNormalizer;
import io.logflow.model.otlp.OtlpCodec;
import io.logflow.model.otlp.OtlpDecodeException;
import io.logflow.model.otlp.OtlpEncoding;
import io.logflow.model.otlp.OtlpLogs;
import io.logflow.model.otlp.OtlpSpans;
import io.logflow.model.otlp.OtlpValidation;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.Topics;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code otlp_spans} → {@code logflow.spans}, {@code otlp_logs} → {@code logflow.logs}, both |
 * {@code logflow.dlq}.
 *
 * <p>Each input record is one OTLP export request, protobuf (as the OpenTelemetry Collector's kafka
 * exporter and LogFlow's OTLP/HTTP receiver write it) or OTLP JSON (the exporter's {@code
 * otlp_json}), told apart by {@link OtlpEncoding#detect}. It is split by {@link OtlpValidation}:
 *
 * <ul>
 *   <li>every valid span becomes one record on {@code logflow.spans}: key the trace id (UTF-8,
 *       exactly as {@code StringSerializer} writes it, so {@code logflow.spans} is partitioned by
 *       trace id), value {@link SpanJson}, record time the span's start;
 *   <li>every kept log record becomes one record on {@code logflow.logs} exactly as {@link
 *       NormalizeTopology} writes a JSON log: key the service, value ECS JSON, record time the log's
 *       time, the source's headers with {@code logflow.late} decided against this source
 *       partition's stream time ({@link NormalizeTopology#markLateness}); event ids are {@code
 *       eventId(topic, partition, offset)-n} ({@link OtlpLogs}), stable across reprocessing;
 *   <li>the invalid spans or log records go to {@code logflow.dlq} as one protobuf request holding
 *       only them (resources and scopes kept), with the reasons ({@code rejected 1 of 3 spans: …}),
 *       category {@code invalid_span} / {@code invalid_log_record} and origin in the headers;
 *   <li>a record that is no OTLP request (category {@code invalid_otlp}), a null value ({@code
 *       empty}) or one whose processing throws ({@code processing_error}) is dead-lettered as
 *       received.
 * </ul>
 *
 * Outputs are computed completely before the first is forwarded, so a record is either processed
 * or dead-lettered, never half of each. The {@link DeadLetterListener} is told of every dead letter.
 */
public final class OtlpTopology {
    static final String SPANS_SOURCE = "otlp-spans-source";
    static final String SPANS_PROCESSOR = "otlp-spans-normalize";
    static final String SPANS_SINK = "logflow-spans-sink";
    static final String SPANS_DLQ_SINK = "otlp-spans-dlq-sink";
    static final String LOGS_SOURCE = "otlp-logs-source";
    static final String LOGS_PROCESSOR = "otlp-logs-normalize";
    static final String LOGS_SINK = "otlp-logs-logflow-logs-sink";
    static final String LOGS_DLQ_SINK = "otlp-logs-dlq-sink";

    private OtlpTopology() {}

    public static void addTo(StreamsBuilder builder, TopologyOptions options) {
        addTo(builder, options, OtlpTopology::decodeTraces, OtlpTopology::decodeLogs);
    }

    /** With replaceable decoders, so tests can exercise the failure path. */
    static void addTo(
            StreamsBuilder builder,
            TopologyOptions options,
            Function<byte[], ExportTraceServiceRequest> traceDecoder,
            Function<byte[], ExportLogsServiceRequest> logsDecoder) {
        KStream<byte[], byte[]> spansIn = builder.stream(
                Topics.OTLP_SPANS.name(),
                Consumed.with(Topics.OTLP_SPANS.keySerde(), Topics.OTLP_SPANS.valueSerde())
                        .withTimestampExtractor(new NormalizeTopology.RecordTimeOrNow())
                        .withName(SPANS_SOURCE));
        KStream<byte[], byte[]> spansOut = spansIn.process(
                () -> new SpansProcessor(traceDecoder, options.deadLetters()), Named.as(SPANS_PROCESSOR));
        // spans already encoded with Topics.SPANS_NORMALIZED's serdes, dead letters as received
        spansOut.to(
                Topics.SPANS_NORMALIZED.name(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SPANS_SINK));
        spansOut.to(
                Topics.DLQ.name(),
                Produced.with(Topics.DLQ.keySerde(), Topics.DLQ.valueSerde()).withName(SPANS_DLQ_SINK));

        long graceMs = options.grace().toMillis();
        KStream<byte[], byte[]> logsIn = builder.stream(
                Topics.OTLP_LOGS.name(),
                Consumed.with(Topics.OTLP_LOGS.keySerde(), Topics.OTLP_LOGS.valueSerde())
                        .withTimestampExtractor(new NormalizeTopology.RecordTimeOrNow())
                        .withName(LOGS_SOURCE));
        KStream<byte[], byte[]> logsOut = logsIn.process(
                () -> new LogsProcessor(logsDecoder, options.deadLetters(), graceMs), Named.as(LOGS_PROCESSOR));
        // logs already encoded with Topics.LOGS_NORMALIZED's serdes, dead letters as received
        logsOut.to(
                Topics.LOGS_NORMALIZED.name(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(LOGS_SINK));
        logsOut.to(
                Topics.DLQ.name(),
                Produced.with(Topics.DLQ.keySerde(), Topics.DLQ.valueSerde()).withName(LOGS_DLQ_SINK));
    }

    static ExportTraceServiceRequest decodeTraces(byte[] value) {
        return OtlpCodec.decodeTraces(value, OtlpEncoding.detect(value));
    }

    static ExportLogsServiceRequest decodeLogs(byte[] value) {
        return OtlpCodec.decodeLogs(value, OtlpEncoding.detect(value));
    }

    /** Where a record came from: names its dead letters and its logs' event ids. */
    record Origin(String topic, int partition, long offset) {
        static Origin of(ProcessorContext<?, ?> context, String defaultTopic) {
            RecordMetadata meta = context.recordMetadata().orElse(null);
            return meta == null
                    ? new Origin(defaultTopic, -1, -1)
                    : new Origin(meta.topic(), meta.partition(), meta.offset());
        }
    }

    /** What one input record turns into: records for the output sink, and the invalid part, if any. */
    record Outcome(List<Record<byte[], byte[]>> out, byte[] invalid, String reason, String category) {}

    /** Decode, split, convert, then forward; dead-letter whatever cannot be used. Never throws. */
    abstract static class OtlpProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private static final Logger LOG = LoggerFactory.getLogger(OtlpProcessor.class);
        private final String defaultTopic;
        private final String sink;
        private final String dlqSink;
        private final DeadLetterListener deadLetters;
        ProcessorContext<byte[], byte[]> context;

        OtlpProcessor(String defaultTopic, String sink, String dlqSink, DeadLetterListener deadLetters) {
            this.defaultTopic = defaultTopic;
            this.sink = sink;
            this.dlqSink = dlqSink;
            this.deadLetters = deadLetters;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        /** @throws OtlpDecodeException when the value is no OTLP request */
        abstract Outcome convert(Record<byte[], byte[]> record, Origin origin);

        @Override
        public void process(Record<byte[], byte[]> record) {
            Origin origin = Origin.of(context, defaultTopic);
            if (record.value() == null) {
                deadLetter(record, record.value(), "empty record", DeadLetters.CATEGORY_EMPTY, origin);
                return;
            }
            Outcome outcome;
            try {
                outcome = convert(record, origin);
            } catch (OtlpDecodeException e) {
                deadLetter(record, record.value(), e.getMessage(), DeadLetters.CATEGORY_INVALID_OTLP, origin);
                return;
            } catch (RuntimeException e) {
                LOG.warn(
                        "Converting an OTLP record failed, record dead-lettered: topic={}, partition={}, offset={}",
                        origin.topic(),
                        origin.partition(),
                        origin.offset(),
                        e);
                deadLetter(
                        record,
                        record.value(),
                        "OTLP conversion failed: " + DeadLetterRecords.describe(e),
                        DeadLetters.CATEGORY_PROCESSING_ERROR,
                        origin);
                return;
            }
            for (Record<byte[], byte[]> r : outcome.out()) context.forward(r, sink);
            if (outcome.invalid() != null)
                deadLetter(record, outcome.invalid(), outcome.reason(), outcome.category(), origin);
        }

        private void deadLetter(
                Record<byte[], byte[]> record, byte[] value, String reason, String category, Origin origin) {
            context.forward(
                    new Record<>(
                            record.key(),
                            DeadLetterRecords.value(value),
                            record.timestamp(),
                            DeadLetterRecords.headers(
                                    record.headers(),
                                    reason,
                                    category,
                                    origin.topic(),
                                    origin.partition(),
                                    origin.offset(),
                                    DeadLetterRecords.truncated(value))),
                    dlqSink);
            try {
                deadLetters.onDeadLetter(category);
            } catch (RuntimeException e) {
                LOG.warn("Dead-letter listener failed", e);
            }
        }
    }

    static final class SpansProcessor extends OtlpProcessor {
        private final Function<byte[], ExportTraceServiceRequest> decoder;

        SpansProcessor(Function<byte[], ExportTraceServiceRequest> decoder, DeadLetterListener deadLetters) {
            super(Topics.OTLP_SPANS.name(), SPANS_SINK, SPANS_DLQ_SINK, deadLetters);
            this.decoder = decoder;
        }

        @Override
        Outcome convert(Record<byte[], byte[]> record, Origin origin) {
            ExportTraceServiceRequest request = decoder.apply(record.value());
            OtlpValidation.Result<ExportTraceServiceRequest> result = OtlpValidation.validate(request);
            List<SpanRecord> spans = OtlpSpans.toSpanRecords(result.valid());
            List<Record<byte[], byte[]>> out = new ArrayList<>(spans.size());
            for (SpanRecord span : spans) {
                out.add(new Record<>(
                        span.traceId().getBytes(StandardCharsets.UTF_8),
                        SpanJson.write(span),
                        span.startMillis(),
                        new RecordHeaders()));
            }
            if (result.allValid()) return new Outcome(out, null, null, null);
            return new Outcome(
                    out, result.invalid().toByteArray(), result.message(), DeadLetters.CATEGORY_INVALID_SPAN);
        }
    }

    static final class LogsProcessor extends OtlpProcessor {
        private final Function<byte[], ExportLogsServiceRequest> decoder;
        private final long graceMs;

        LogsProcessor(
                Function<byte[], ExportLogsServiceRequest> decoder, DeadLetterListener deadLetters, long graceMs) {
            super(Topics.OTLP_LOGS.name(), LOGS_SINK, LOGS_DLQ_SINK, deadLetters);
            this.decoder = decoder;
            this.graceMs = graceMs;
        }

        @Override
        Outcome convert(Record<byte[], byte[]> record, Origin origin) {
            ExportLogsServiceRequest request = decoder.apply(record.value());
            OtlpValidation.Result<ExportLogsServiceRequest> result = OtlpValidation.validate(request);
            // the whole request, not the valid half: event ids count every log record of the record as it is in Kafka
            List<LogRecord> logs = OtlpLogs.toLogRecords(
                    request,
                    LogNormalizer.eventId(origin.topic(), origin.partition(), origin.offset()),
                    record.timestamp());
            long streamTime = context.currentStreamTimeMs();
            List<Record<byte[], byte[]>> out = new ArrayList<>(logs.size());
            for (LogRecord log : logs) {
                Headers headers = new RecordHeaders(record.headers().toArray());
                NormalizeTopology.markLateness(headers, log.timestamp(), streamTime, graceMs);
                out.add(new Record<>(
                        log.service().getBytes(StandardCharsets.UTF_8), EcsJson.write(log), log.timestamp(), headers));
            }
            if (result.allValid()) return new Outcome(out, null, null, null);
            return new Outcome(
                    out, result.invalid().toByteArray(), result.message(), DeadLetters.CATEGORY_INVALID_LOG_RECORD);
        }
    }
}
