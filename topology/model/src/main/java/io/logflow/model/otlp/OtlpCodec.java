package io.logflow.model.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/**
 * OTLP requests and responses in either encoding ({@link OtlpEncoding}): what the OTLP/HTTP receiver
 * reads and answers, and what the topology reads from {@code otlp_spans} / {@code otlp_logs}. An
 * empty body is an empty request in both encodings (OTLP/HTTP answers it with success).
 */
public final class OtlpCodec {
    private OtlpCodec() {}

    /** @throws OtlpDecodeException when the bytes are not an {@code ExportTraceServiceRequest} in that encoding */
    public static ExportTraceServiceRequest decodeTraces(byte[] body, OtlpEncoding encoding) {
        if (body == null || body.length == 0) return ExportTraceServiceRequest.getDefaultInstance();
        if (encoding == OtlpEncoding.JSON) return OtlpJson.readTraces(body);
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not an OTLP ExportTraceServiceRequest in protobuf: " + e.getMessage(), e);
        }
    }

    /** @throws OtlpDecodeException when the bytes are not an {@code ExportLogsServiceRequest} in that encoding */
    public static ExportLogsServiceRequest decodeLogs(byte[] body, OtlpEncoding encoding) {
        if (body == null || body.length == 0) return ExportLogsServiceRequest.getDefaultInstance();
        if (encoding == OtlpEncoding.JSON) return OtlpJson.readLogs(body);
        try {
            return ExportLogsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not an OTLP ExportLogsServiceRequest in protobuf: " + e.getMessage(), e);
        }
    }

    /** The answer to a trace export: empty when nothing was rejected, else {@code partial_success}. */
    public static ExportTraceServiceResponse traceResponse(OtlpValidation.Result<ExportTraceServiceRequest> result) {
        if (result.allValid()) return ExportTraceServiceResponse.getDefaultInstance();
        return ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(result.rejected())
                        .setErrorMessage(result.message()))
                .build();
    }

    /** The answer to a logs export: empty when nothing was rejected, else {@code partial_success}. */
    public static ExportLogsServiceResponse logsResponse(OtlpValidation.Result<ExportLogsServiceRequest> result) {
        if (result.allValid()) return ExportLogsServiceResponse.getDefaultInstance();
        return ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(result.rejected())
                        .setErrorMessage(result.message()))
                .build();
    }

    /**
     * The data points of an {@code ExportMetricsServiceRequest}. LogFlow stores traces and logs, not
     * metrics: its receiver answers {@code /v1/metrics} with a partial success rejecting them all
     * ({@link #metricsRefusal}), so that an SDK or agent exporting every signal to LogFlow by default
     * is told once per request, in the OTLP way, instead of failing with 404.
     *
     * @throws OtlpDecodeException when the bytes are not an {@code ExportMetricsServiceRequest} in that encoding
     */
    public static long countMetricDataPoints(byte[] body, OtlpEncoding encoding) {
        if (body == null || body.length == 0) return 0;
        if (encoding == OtlpEncoding.JSON) return OtlpJson.countMetricDataPoints(body);
        ExportMetricsServiceRequest request;
        try {
            request = ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not an OTLP ExportMetricsServiceRequest in protobuf: " + e.getMessage(), e);
        }
        long points = 0;
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    points += switch (m.getDataCase()) {
                        case GAUGE -> m.getGauge().getDataPointsCount();
                        case SUM -> m.getSum().getDataPointsCount();
                        case HISTOGRAM -> m.getHistogram().getDataPointsCount();
                        case EXPONENTIAL_HISTOGRAM ->
                            m.getExponentialHistogram().getDataPointsCount();
                        case SUMMARY -> m.getSummary().getDataPointsCount();
                        case DATA_NOT_SET -> 0;
                    };
                }
            }
        }
        return points;
    }

    /** The answer to a metrics export: every data point rejected, saying why and what to do. */
    public static ExportMetricsServiceResponse metricsRefusal(long dataPoints) {
        if (dataPoints == 0) return ExportMetricsServiceResponse.getDefaultInstance();
        return ExportMetricsServiceResponse.newBuilder()
                .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                        .setRejectedDataPoints(dataPoints)
                        .setErrorMessage(
                                "LogFlow stores traces and logs, not metrics: " + dataPoints + " data points dropped; "
                                        + "set OTEL_METRICS_EXPORTER=none (or send metrics elsewhere)"))
                .build();
    }

    public static byte[] encode(ExportMetricsServiceResponse response, OtlpEncoding encoding) {
        return encoding == OtlpEncoding.JSON ? OtlpJson.write(response) : response.toByteArray();
    }

    public static byte[] encode(ExportTraceServiceResponse response, OtlpEncoding encoding) {
        return encoding == OtlpEncoding.JSON ? OtlpJson.write(response) : response.toByteArray();
    }

    public static byte[] encode(ExportLogsServiceResponse response, OtlpEncoding encoding) {
        return encoding == OtlpEncoding.JSON ? OtlpJson.write(response) : response.toByteArray();
    }
}
