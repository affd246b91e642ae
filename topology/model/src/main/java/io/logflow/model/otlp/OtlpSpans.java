package io.logflow.model.otlp;

import com.google.protobuf.ByteString;
import io.logflow.model.SpanRecord;
import io.logflow.model.normalize.TraceIds;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP spans → {@link SpanRecord}s.
 *
 * <ul>
 *   <li>service: the resource's {@code service.name}, else {@value #UNKNOWN_SERVICE} (as OpenTelemetry
 *       SDKs name a service without a name); the resource's other attributes go to {@code resource}.
 *   <li>ids: lowercase hex ({@link TraceIds}); an empty or all-zero parent span id means a root span.
 *   <li>attributes (of spans, events, links and resources): text, see {@link AnyValues}; an attribute
 *       without a value is left out.
 *   <li>scope: the instrumentation scope's name, null when empty; status message null when empty.
 *   <li>links with an invalid trace or span id are left out.
 * </ul>
 */
public final class OtlpSpans {
    public static final String UNKNOWN_SERVICE = "unknown_service";
    /** The resource attribute naming the service. */
    public static final String SERVICE_NAME = "service.name";

    private OtlpSpans() {}

    /**
     * Every valid span of the request, in request order. Invalid spans (see {@link OtlpValidation})
     * are skipped: validate first to learn about them.
     */
    public static List<SpanRecord> toSpanRecords(ExportTraceServiceRequest request) {
        List<SpanRecord> out = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = Resources.service(rs.getResource());
            Map<String, String> resource = Resources.attributes(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                String scope =
                        ss.getScope().getName().isEmpty() ? null : ss.getScope().getName();
                for (Span span : ss.getSpansList()) {
                    if (OtlpValidation.problem(span) == null) out.add(toSpanRecord(span, service, scope, resource));
                }
            }
        }
        return out;
    }

    static SpanRecord toSpanRecord(Span span, String service, String scope, Map<String, String> resource) {
        String traceId = TraceIds.normalizeTraceId(Hex.of(span.getTraceId()));
        String spanId = TraceIds.normalizeSpanId(Hex.of(span.getSpanId()));
        String parent =
                span.getParentSpanId().isEmpty() ? null : TraceIds.normalizeSpanId(Hex.of(span.getParentSpanId()));
        List<SpanRecord.Event> events = List.of();
        if (span.getEventsCount() > 0) {
            events = new ArrayList<>(span.getEventsCount());
            for (Span.Event e : span.getEventsList())
                events.add(
                        new SpanRecord.Event(e.getTimeUnixNano(), e.getName(), AnyValues.map(e.getAttributesList())));
        }
        List<SpanRecord.Link> links = List.of();
        if (span.getLinksCount() > 0) {
            links = new ArrayList<>(span.getLinksCount());
            for (Span.Link l : span.getLinksList()) {
                String linkTrace = id(l.getTraceId(), 16);
                String linkSpan = id(l.getSpanId(), 8);
                if (linkTrace != null && linkSpan != null)
                    links.add(new SpanRecord.Link(linkTrace, linkSpan, AnyValues.map(l.getAttributesList())));
            }
        }
        String statusMessage = span.getStatus().getMessage();
        return new SpanRecord(
                traceId,
                spanId,
                parent,
                service,
                span.getName(),
                SpanRecord.Kind.ofOrdinal(span.getKindValue()),
                span.getStartTimeUnixNano(),
                span.getEndTimeUnixNano() - span.getStartTimeUnixNano(),
                SpanRecord.Status.ofOrdinal(span.getStatus().getCodeValue()),
                statusMessage.isEmpty() ? null : statusMessage,
                scope,
                AnyValues.map(span.getAttributesList()),
                resource,
                events,
                links);
    }

    /** Lowercase hex of a valid id of the given size, or null. */
    static String id(ByteString bytes, int size) {
        if (bytes.size() != size) return null;
        return size == 16 ? TraceIds.normalizeTraceId(Hex.of(bytes)) : TraceIds.normalizeSpanId(Hex.of(bytes));
    }
}
