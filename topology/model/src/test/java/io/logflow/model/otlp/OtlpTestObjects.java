package io.logflow.model.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;

/**
 * Fixed OTLP fixtures for the otlp package's unit tests (the model's TestObjects is package-private to
 * io.logflow.model).
 */
final class OtlpTestObjects {
    private OtlpTestObjects() {}

    /** 2026-01-01T00:00:00Z in millis and in nanos. */
    static final long T0 = 1_767_225_600_000L;

    static final long T0_NS = T0 * 1_000_000L;
    static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
    static final String SPAN_1 = "00f067aa0ba902b7";
    static final String SPAN_2 = "53ce929d0e0e4736";
    static final String SPAN_3 = "b7ad6b7169203331";

    static ByteString id(String hex) {
        return ByteString.copyFrom(Hex.parse(hex));
    }

    static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(str(value)).build();
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static Resource resource(String service, KeyValue... more) {
        Resource.Builder r = Resource.newBuilder();
        if (service != null) r.addAttributes(attr("service.name", service));
        for (KeyValue kv : more) r.addAttributes(kv);
        return r.build();
    }

    /** A valid span of 5 ms starting at T0 + offsetMs. */
    static Span.Builder span(String traceId, String spanId, String parentId, String name, long offsetMs) {
        Span.Builder s = Span.newBuilder()
                .setTraceId(id(traceId))
                .setSpanId(id(spanId))
                .setName(name)
                .setStartTimeUnixNano(T0_NS + offsetMs * 1_000_000L)
                .setEndTimeUnixNano(T0_NS + (offsetMs + 5) * 1_000_000L);
        if (parentId != null) s.setParentSpanId(id(parentId));
        return s;
    }

    static ScopeSpans scopeSpans(String scope, Span.Builder... spans) {
        ScopeSpans.Builder b = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope));
        for (Span.Builder s : spans) b.addSpans(s);
        return b.build();
    }

    static ResourceSpans resourceSpans(String service, ScopeSpans... scopes) {
        ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(resource(service));
        for (ScopeSpans s : scopes) b.addScopeSpans(s);
        return b.build();
    }

    static LogRecord.Builder log(String body) {
        LogRecord.Builder b = LogRecord.newBuilder().setTimeUnixNano(T0_NS + 1_000_000L);
        if (body != null) b.setBody(str(body));
        return b;
    }

    static ScopeLogs scopeLogs(String scope, LogRecord.Builder... logs) {
        ScopeLogs.Builder b = ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope));
        for (LogRecord.Builder l : logs) b.addLogRecords(l);
        return b.build();
    }

    static ResourceLogs resourceLogs(String service, ScopeLogs... scopes) {
        ResourceLogs.Builder b = ResourceLogs.newBuilder().setResource(resource(service));
        for (ScopeLogs s : scopes) b.addScopeLogs(s);
        return b.build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
