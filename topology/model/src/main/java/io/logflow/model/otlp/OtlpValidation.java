package io.logflow.model.otlp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an OTLP request into what LogFlow accepts and what it rejects, with reasons that point at
 * the item ({@code resourceSpans[0].scopeSpans[1].spans[3]: traceId is all zeros}).
 *
 * <p>A span is rejected when its trace id is not 16 bytes or all zeros, its span id is not 8 bytes
 * or all zeros, its parent span id is neither empty, all zeros (both mean a root span) nor 8 bytes,
 * its start or end time is missing (0) or beyond 2262 (does not fit a signed 64-bit count), or it
 * ends before it starts.
 *
 * <p>A log record is rejected only when there is nothing to show: no body (or a blank string body),
 * no {@code event_name} and no attributes. Every field of an OTLP log is optional, so a record with
 * attributes or an event name but no body (an event) is a log, and so is one without any time (it
 * gets the time it was observed, or the Kafka record time). An invalid trace or span id on a log
 * record does not reject it: the log is kept without the id, as the OTLP specification asks.
 *
 * <p>Both halves keep their resources and scopes; a resource or scope appears in a half only when
 * it holds at least one of that half's items. When everything is valid, {@link Result#valid()} is
 * the request itself.
 */
public final class OtlpValidation {
    /** Reasons kept per request; counts are always exact. */
    public static final int MAX_REASONS = 10;

    private OtlpValidation() {}

    /**
     * @param valid the request holding only the accepted items (the request itself if all are)
     * @param invalid the request holding only the rejected items (empty if none)
     * @param accepted how many items {@code valid} holds
     * @param rejected how many items {@code invalid} holds
     * @param reasons why, for the first {@link #MAX_REASONS} rejected items
     * @param message one line for a partial-success answer or a dead-letter reason: {@code "rejected
     *     2 of 5 spans: …; …"}, or empty when nothing was rejected
     */
    public record Result<T extends Message>(
            T valid, T invalid, int accepted, int rejected, List<String> reasons, String message) {
        public Result {
            requireNonNull(valid, "valid");
            requireNonNull(invalid, "invalid");
            reasons = List.copyOf(reasons);
            requireNonNull(message, "message");
        }

        public boolean allValid() {
            return rejected == 0;
        }
    }

    public static Result<ExportTraceServiceRequest> validate(ExportTraceServiceRequest request) {
        Reasons reasons = new Reasons();
        ExportTraceServiceRequest.Builder valid = ExportTraceServiceRequest.newBuilder();
        ExportTraceServiceRequest.Builder invalid = ExportTraceServiceRequest.newBuilder();
        int accepted = 0;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans rs = request.getResourceSpans(r);
            ResourceSpans.Builder validResource = null, invalidResource = null;
            for (int s = 0; s < rs.getScopeSpansCount(); s++) {
                ScopeSpans ss = rs.getScopeSpans(s);
                List<Span> good = new ArrayList<>(ss.getSpansCount());
                List<Span> bad = new ArrayList<>();
                for (int i = 0; i < ss.getSpansCount(); i++) {
                    Span span = ss.getSpans(i);
                    String problem = problem(span);
                    if (problem == null) {
                        good.add(span);
                    } else {
                        bad.add(span);
                        reasons.add("resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]: " + problem);
                    }
                }
                accepted += good.size();
                if (!good.isEmpty()) {
                    if (validResource == null) validResource = rs.toBuilder().clearScopeSpans();
                    validResource.addScopeSpans(
                            bad.isEmpty()
                                    ? ss
                                    : ss.toBuilder()
                                            .clearSpans()
                                            .addAllSpans(good)
                                            .build());
                }
                if (!bad.isEmpty()) {
                    if (invalidResource == null)
                        invalidResource = rs.toBuilder().clearScopeSpans();
                    invalidResource.addScopeSpans(
                            ss.toBuilder().clearSpans().addAllSpans(bad).build());
                }
            }
            if (validResource != null) valid.addResourceSpans(validResource);
            if (invalidResource != null) invalid.addResourceSpans(invalidResource);
        }
        if (reasons.count == 0) {
            return new Result<>(request, ExportTraceServiceRequest.getDefaultInstance(), accepted, 0, List.of(), "");
        }
        return new Result<>(
                valid.build(),
                invalid.build(),
                accepted,
                reasons.count,
                reasons.list,
                reasons.message(accepted, "spans"));
    }

    public static Result<ExportLogsServiceRequest> validate(ExportLogsServiceRequest request) {
        Reasons reasons = new Reasons();
        ExportLogsServiceRequest.Builder valid = ExportLogsServiceRequest.newBuilder();
        ExportLogsServiceRequest.Builder invalid = ExportLogsServiceRequest.newBuilder();
        int accepted = 0;
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs rl = request.getResourceLogs(r);
            ResourceLogs.Builder validResource = null, invalidResource = null;
            for (int s = 0; s < rl.getScopeLogsCount(); s++) {
                ScopeLogs sl = rl.getScopeLogs(s);
                List<LogRecord> good = new ArrayList<>(sl.getLogRecordsCount());
                List<LogRecord> bad = new ArrayList<>();
                for (int i = 0; i < sl.getLogRecordsCount(); i++) {
                    LogRecord log = sl.getLogRecords(i);
                    String problem = problem(log);
                    if (problem == null) {
                        good.add(log);
                    } else {
                        bad.add(log);
                        reasons.add("resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords[" + i + "]: " + problem);
                    }
                }
                accepted += good.size();
                if (!good.isEmpty()) {
                    if (validResource == null) validResource = rl.toBuilder().clearScopeLogs();
                    validResource.addScopeLogs(
                            bad.isEmpty()
                                    ? sl
                                    : sl.toBuilder()
                                            .clearLogRecords()
                                            .addAllLogRecords(good)
                                            .build());
                }
                if (!bad.isEmpty()) {
                    if (invalidResource == null)
                        invalidResource = rl.toBuilder().clearScopeLogs();
                    invalidResource.addScopeLogs(sl.toBuilder()
                            .clearLogRecords()
                            .addAllLogRecords(bad)
                            .build());
                }
            }
            if (validResource != null) valid.addResourceLogs(validResource);
            if (invalidResource != null) invalid.addResourceLogs(invalidResource);
        }
        if (reasons.count == 0) {
            return new Result<>(request, ExportLogsServiceRequest.getDefaultInstance(), accepted, 0, List.of(), "");
        }
        return new Result<>(
                valid.build(),
                invalid.build(),
                accepted,
                reasons.count,
                reasons.list,
                reasons.message(accepted, "log records"));
    }

    /** Why a span is rejected, or null when it is valid. */
    static String problem(Span span) {
        String id = idProblem("traceId", span.getTraceId(), 16);
        if (id != null) return id;
        id = idProblem("spanId", span.getSpanId(), 8);
        if (id != null) return id;
        int parent = span.getParentSpanId().size();
        if (parent != 0 && parent != 8) return "parentSpanId is " + parent + " bytes, not 8 (or empty for a root span)";
        String start = timeProblem("startTimeUnixNano", span.getStartTimeUnixNano());
        if (start != null) return start;
        String end = timeProblem("endTimeUnixNano", span.getEndTimeUnixNano());
        if (end != null) return end;
        if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano())
            return "endTimeUnixNano is before startTimeUnixNano";
        return null;
    }

    /** Why a log record is rejected, or null when it is kept. */
    static String problem(LogRecord log) {
        if (hasBody(log.getBody()) || !log.getEventName().isEmpty() || log.getAttributesCount() > 0) return null;
        return "empty log record: no body, eventName or attributes";
    }

    static boolean hasBody(AnyValue body) {
        return switch (body.getValueCase()) {
            case STRING_VALUE -> !body.getStringValue().isBlank();
            case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> false;
            default -> true;
        };
    }

    private static String idProblem(String field, ByteString id, int size) {
        if (id.isEmpty()) return field + " is missing";
        if (id.size() != size) return field + " is " + id.size() + " bytes, not " + size;
        if (Hex.isZero(id)) return field + " is all zeros";
        return null;
    }

    private static String timeProblem(String field, long nanos) {
        if (nanos == 0) return field + " is missing";
        if (nanos < 0) return field + " is beyond the year 2262";
        return null;
    }

    private static final class Reasons {
        final List<String> list = new ArrayList<>();
        int count;

        void add(String reason) {
            count++;
            if (list.size() < MAX_REASONS) list.add(reason);
        }

        String message(int accepted, String noun) {
            StringBuilder b = new StringBuilder("rejected ")
                    .append(count)
                    .append(" of ")
                    .append(count + accepted)
                    .append(' ')
                    .append(noun)
                    .append(": ");
            b.append(String.join("; ", list));
            if (count > list.size())
                b.append("; and ").append(count - list.size()).append(" more");
            return b.toString();
        }
    }
}
