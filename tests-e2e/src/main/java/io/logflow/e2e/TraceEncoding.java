package io.logflow.e2e;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The same batch of {@link TraceGenerator.Span}s in the two wire formats the trace benchmark sends:
 * an OTLP {@code ExportTraceServiceRequest} (protobuf, one {@code ResourceSpans} per service and one
 * {@code ScopeSpans} per instrumentation scope, as an SDK or a Collector batches them) for LogFlow's
 * {@code POST /v1/traces}, and a Zipkin v2 JSON array for Zipkin's {@code POST /api/v2/spans}.
 */
final class TraceEncoding {
    private TraceEncoding() {}

    /** OTLP protobuf: spans grouped by service (the resource), then scope, in batch order. */
    static byte[] otlp(List<TraceGenerator.Span> batch) {
        Map<String, Map<String, ScopeSpans.Builder>> byService = new LinkedHashMap<>();
        for (TraceGenerator.Span s : batch) {
            ScopeSpans.Builder scope = byService
                    .computeIfAbsent(s.service(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(
                            s.scope(),
                            k -> ScopeSpans.newBuilder()
                                    .setScope(InstrumentationScope.newBuilder()
                                            .setName(k)
                                            .setVersion("2.33.1")));
            scope.addSpans(otlpSpan(s));
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        byService.forEach((service, scopes) -> {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource(service));
            scopes.values().forEach(rs::addScopeSpans);
            request.addResourceSpans(rs);
        });
        return request.build().toByteArray();
    }

    private static Span otlpSpan(TraceGenerator.Span s) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(s.traceId()))
                .setSpanId(ByteString.copyFrom(s.spanId()))
                .setName(s.name())
                .setKind(
                        switch (s.kind()) {
                            case INTERNAL -> Span.SpanKind.SPAN_KIND_INTERNAL;
                            case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
                            case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
                            case PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
                            case CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
                        })
                .setStartTimeUnixNano(s.startNanos())
                .setEndTimeUnixNano(s.endNanos());
        if (s.parentId() != null) b.setParentSpanId(ByteString.copyFrom(s.parentId()));
        s.attributes().forEach((k, v) -> b.addAttributes(attribute(k, v)));
        if (s.error())
            b.setStatus(Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage(s.statusMessage() == null ? "" : s.statusMessage()));
        return b.build();
    }

    /** Integer-valued attributes (status codes, ports) as OTLP ints, the rest as strings, as SDKs send them. */
    private static KeyValue attribute(String key, String value) {
        AnyValue.Builder v = AnyValue.newBuilder();
        if (key.equals("http.response.status_code") || key.equals("server.port")) v.setIntValue(Long.parseLong(value));
        else v.setStringValue(value);
        return KeyValue.newBuilder().setKey(key).setValue(v).build();
    }

    private static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(attribute("service.name", service))
                .addAttributes(attribute("service.version", "1.4.2"))
                .addAttributes(attribute("service.namespace", "shop"))
                .addAttributes(attribute("deployment.environment.name", "production"))
                .addAttributes(attribute("host.name", service + "-7d9f8b6c4-x2k9p"))
                .addAttributes(attribute("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(attribute("telemetry.sdk.language", "java"))
                .build();
    }

    /**
     * Zipkin v2 JSON: traceId, id, parentId, name, kind (none for INTERNAL), timestamp and duration in
     * microseconds, localEndpoint.serviceName, remoteEndpoint.serviceName of calls, the attributes as
     * tags and an {@code error} tag (the status message) on failed spans — what Zipkin's own OTLP
     * translation writes.
     */
    static byte[] zipkin(List<TraceGenerator.Span> batch) {
        ArrayNode array = Api.JSON.createArrayNode();
        for (TraceGenerator.Span s : batch) {
            ObjectNode o = array.addObject();
            o.put("traceId", s.traceIdHex());
            o.put("id", s.spanIdHex());
            if (s.parentId() != null) o.put("parentId", s.parentIdHex());
            o.put("name", s.name());
            if (s.kind() != TraceGenerator.Kind.INTERNAL) o.put("kind", s.kind().name());
            long startMicros = s.startNanos() / 1_000;
            o.put("timestamp", startMicros);
            o.put("duration", Math.max(1, s.endNanos() / 1_000 - startMicros));
            o.putObject("localEndpoint").put("serviceName", s.service());
            if (s.remoteService() != null) o.putObject("remoteEndpoint").put("serviceName", s.remoteService());
            ObjectNode tags = o.putObject("tags");
            s.attributes().forEach(tags::put);
            if (s.error()) tags.put("error", s.statusMessage() == null ? "" : s.statusMessage());
        }
        return Api.JSON.writeValueAsBytes(array);
    }
}
