package io.logflow.model.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

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
    return ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
        .setRejectedSpans(result.rejected()).setErrorMessage(result.message())).build();
  }

  /** The answer to a logs export: empty when nothing was rejected, else {@code partial_success}. */
  public static ExportLogsServiceResponse logsResponse(OtlpValidation.Result<ExportLogsServiceRequest> result) {
    if (result.allValid()) return ExportLogsServiceResponse.getDefaultInstance();
    return ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
        .setRejectedLogRecords(result.rejected()).setErrorMessage(result.message())).build();
  }

  public static byte[] encode(ExportTraceServiceResponse response, OtlpEncoding encoding) {
    return encoding == OtlpEncoding.JSON ? OtlpJson.write(response) : response.toByteArray();
  }

  public static byte[] encode(ExportLogsServiceResponse response, OtlpEncoding encoding) {
    return encoding == OtlpEncoding.JSON ? OtlpJson.write(response) : response.toByteArray();
  }
}
