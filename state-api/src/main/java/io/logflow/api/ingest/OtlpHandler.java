package io.logflow.api.ingest;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.LimitedBody;
import io.logflow.model.otlp.OtlpCodec;
import io.logflow.model.otlp.OtlpDecodeException;
import io.logflow.model.otlp.OtlpEncoding;
import io.logflow.model.otlp.OtlpValidation;
import io.logflow.model.schema.Topics;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The OTLP/HTTP receiver: {@code POST /v1/traces} and {@code POST /v1/logs}, as OpenTelemetry SDKs,
 * agents and the Collector's {@code otlphttp} exporter send them ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT=http://host:8080}, protocol {@code http/protobuf} or {@code
 * http/json}).
 *
 * <p>The body ({@code application/x-protobuf} or {@code application/json}; {@code Content-Encoding:
 * gzip} or identity) is decoded, split by {@link OtlpValidation}, and the accepted part is produced
 * as ONE protobuf record (the body itself when it is protobuf and all of it was accepted), key
 * null, to {@code otlp_spans} / {@code otlp_logs} with the idempotent acks=all ingest producer —
 * the same bytes a Collector's kafka exporter writes; the topology does the rest. The answer comes
 * once Kafka has acknowledged it: 200 with an {@code Export*ServiceResponse} in the request's
 * encoding, empty when everything was accepted, else with
 * {@code partial_success} (rejected count, the first reasons). Errors are problem+json: 400 for a
 * body that is not an OTLP request (or not gzip), 413 beyond {@code logflow.otlp.max-body-bytes}
 * (as received, and again after gunzip), 415 for another content type or encoding, 503 with
 * Retry-After when Kafka does not take the record (the sender retries).
 *
 * <p>{@code POST /v1/metrics} is read the same way and answered with a partial success rejecting
 * every data point: LogFlow stores no metrics, and an SDK or agent pointed at LogFlow exports metrics
 * too unless told not to ({@code OTEL_METRICS_EXPORTER=none}); a 404 would make it log a failure on
 * every export.
 */
@Component
public class OtlpHandler {
    private static final Logger log = LoggerFactory.getLogger(OtlpHandler.class);

    private final Producer<String, byte[]> producer;
    private final AckWatch acks;
    private final long maxBodyBytes;
    private final LogFlowMetrics.OtlpCounters spanCounters;
    private final LogFlowMetrics.OtlpCounters logCounters;

    OtlpHandler(Producer<String, byte[]> producer, LogFlowMetrics metrics, LogFlowProperties props, AckWatch acks) {
        this.producer = producer;
        this.acks = acks;
        this.maxBodyBytes = props.otlp().maxBodyBytes();
        this.spanCounters = metrics.otlpSpans();
        this.logCounters = metrics.otlpLogRecords();
    }

    /** A decoded, validated request: what to produce (null if nothing) and what to answer. */
    private record Accepted(byte[] record, int accepted, int rejected, byte[] response) {}

    public Mono<ServerResponse> traces(ServerRequest req) {
        return receive(req, "spans", Topics.OTLP_SPANS.name(), spanCounters, (body, encoding) -> {
            OtlpValidation.Result<ExportTraceServiceRequest> r =
                    OtlpValidation.validate(OtlpCodec.decodeTraces(body, encoding));
            return new Accepted(
                    record(r, body, encoding),
                    r.accepted(),
                    r.rejected(),
                    OtlpCodec.encode(OtlpCodec.traceResponse(r), encoding));
        });
    }

    public Mono<ServerResponse> logs(ServerRequest req) {
        return receive(req, "log records", Topics.OTLP_LOGS.name(), logCounters, (body, encoding) -> {
            OtlpValidation.Result<ExportLogsServiceRequest> r =
                    OtlpValidation.validate(OtlpCodec.decodeLogs(body, encoding));
            return new Accepted(
                    record(r, body, encoding),
                    r.accepted(),
                    r.rejected(),
                    OtlpCodec.encode(OtlpCodec.logsResponse(r), encoding));
        });
    }

    /**
     * The protobuf record to produce: the body as received when it is protobuf and every item was
     * accepted (it then encodes exactly the valid request), else the valid part encoded; null when
     * nothing was accepted.
     */
    private static byte[] record(OtlpValidation.Result<?> r, byte[] body, OtlpEncoding encoding) {
        if (r.accepted() == 0) return null;
        return r.allValid() && encoding == OtlpEncoding.PROTOBUF
                ? body
                : r.valid().toByteArray();
    }

    /**
     * LogFlow stores no metrics: a partial success rejecting every data point (see {@link OtlpCodec#metricsRefusal}),
     * nothing produced.
     */
    public Mono<ServerResponse> metrics(ServerRequest req) {
        return receive(req, "metric data points", null, null, (body, encoding) -> {
            long points = OtlpCodec.countMetricDataPoints(body, encoding);
            return new Accepted(
                    null,
                    0,
                    (int) Math.min(points, Integer.MAX_VALUE),
                    OtlpCodec.encode(OtlpCodec.metricsRefusal(points), encoding));
        });
    }

    @FunctionalInterface
    private interface Decoder {
        Accepted decode(byte[] body, OtlpEncoding encoding);
    }

    private Mono<ServerResponse> receive(
            ServerRequest req, String what, String topic, LogFlowMetrics.OtlpCounters counters, Decoder decoder) {
        String contentType = req.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
        OtlpEncoding encoding = OtlpEncoding.ofContentType(contentType);
        if (encoding == null) {
            return Mono.error(ApiException.unsupportedMediaType(
                    "Content-Type " + (contentType == null ? "missing" : "'" + contentType + "' not supported")
                            + ": send application/x-protobuf or application/json"));
        }
        boolean gzip;
        String contentEncoding = req.headers().firstHeader(HttpHeaders.CONTENT_ENCODING);
        String coding =
                contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        switch (coding) {
            case "", "identity" -> gzip = false;
            case "gzip", "x-gzip" -> gzip = true;
            default -> {
                return Mono.error(ApiException.unsupportedMediaType(
                        "Content-Encoding '" + contentEncoding + "' not supported: send gzip or identity"));
            }
        }
        if (LimitedBody.refuseUnread(req.headers().contentLength().orElse(-1), maxBodyBytes))
            return Mono.error(tooLarge(""));
        // answered in the request's encoding, under the media type it was sent as
        MediaType answerType =
                MediaType.parseMediaType(contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
        return req.body(BodyExtractors.toDataBuffers())
                .collect(() -> new LimitedBody(maxBodyBytes, () -> tooLarge("")), LimitedBody::add)
                .publishOn(Schedulers.boundedElastic())
                .map(body -> {
                    byte[] bytes = gzip ? gunzip(body.bytes(), maxBodyBytes) : body.bytes();
                    Accepted accepted;
                    try {
                        accepted = decoder.decode(bytes, encoding);
                    } catch (OtlpDecodeException e) {
                        throw ApiException.badRequest(
                                "request body is not an OTLP " + (encoding == OtlpEncoding.JSON ? "JSON" : "protobuf")
                                        + " export request: " + e.getMessage());
                    }
                    if (counters != null) {
                        counters.received().increment(accepted.accepted() + accepted.rejected());
                        counters.rejected().increment(accepted.rejected());
                    }
                    if (accepted.record() != null && accepted.record().length > Topics.MAX_OTLP_RECORD_BYTES)
                        throw tooLarge(" once re-encoded as protobuf");
                    return accepted;
                })
                .flatMap(accepted -> produce(topic, accepted))
                .doOnNext(a -> {
                    if (counters != null) counters.accepted().increment(a.accepted());
                    log.debug("OTLP {}: accepted {}, rejected {}", what, a.accepted(), a.rejected());
                })
                .flatMap(a -> ServerResponse.ok().contentType(answerType).bodyValue(a.response()));
    }

    /**
     * Produces the accepted part as one record and completes once Kafka acknowledged it (at once when there is nothing
     * to produce).
     */
    private Mono<Accepted> produce(String topic, Accepted accepted) {
        if (accepted.record() == null) return Mono.just(accepted);
        Duration stalled = acks.stalledFor();
        if (stalled != null) return Mono.error(AckWatch.refusal(stalled));
        return Mono.<Accepted>create(sink -> {
                    Callback callback = acks.sending((md, e) -> {
                        if (e == null) {
                            sink.success(accepted);
                        } else if (e instanceof RecordTooLargeException) {
                            sink.error(ApiException.tooLarge("Kafka refused the request as too large for topic " + topic
                                    + " (" + e.getMessage() + "); send smaller batches"));
                        } else {
                            log.warn("Kafka did not acknowledge an OTLP request: {}", e.toString());
                            sink.error(ApiException.unavailable(
                                    "Kafka did not acknowledge the request (" + e.getMessage() + "); retry", null));
                        }
                    });
                    try {
                        producer.send(new ProducerRecord<>(topic, null, accepted.record()), callback);
                    } catch (RuntimeException e) { // not an ApiException (those go to the callback)
                        acks.notSent();
                        sink.error(ApiException.unavailable(
                                "Kafka is not accepting records (" + e.getMessage() + "); retry", null));
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Inflates a gzip body, refusing (413) to produce more than {@code max} bytes: a small bomb is caught as it
     * expands.
     */
    static byte[] gunzip(byte[] gz, long max) {
        if (gz.length == 0) return gz;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, Math.max(8192L, gz.length * 4L)));
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > max)
                    throw ApiException.tooLarge("request body exceeds the limit of " + max
                            + " bytes once decompressed (LOGFLOW_OTLP_MAX_BODY_BYTES); send smaller batches");
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        }
    }

    private ApiException tooLarge(String when) {
        return ApiException.tooLarge("request body exceeds the limit of " + maxBodyBytes + " bytes" + when
                + " (LOGFLOW_OTLP_MAX_BODY_BYTES); send smaller batches");
    }
}
