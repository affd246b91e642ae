/**
 * OpenTelemetry (OTLP) requests: decoding and encoding in protobuf and OTLP JSON ({@link
 * io.logflow.model.otlp.OtlpCodec}), validation ({@link io.logflow.model.otlp.OtlpValidation}) and
 * conversion to records ({@link io.logflow.model.otlp.OtlpSpans}, {@link
 * io.logflow.model.otlp.OtlpLogs}).
 *
 * <p>May use: {@code io.logflow.model}, {@code io.logflow.model.normalize} (the rules logs from JSON
 * shippers follow too), the OTLP protobuf classes and Jackson. Nothing in {@code io.logflow.model}
 * uses this package.
 */
package io.logflow.model.otlp;
