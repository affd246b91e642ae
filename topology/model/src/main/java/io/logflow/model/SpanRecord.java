package io.logflow.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One normalised span, whatever it arrived as (OTLP protobuf from Kafka or OTLP/HTTP). Written to
 * {@code logflow.spans} as JSON ({@link io.logflow.model.codec.SpanJson}, keyed by trace id) and kept
 * in state stores in binary form ({@link SpanRecordBinary}, {@link
 * io.logflow.model.schema.LogFlowSerdes#spanRecord()}).
 *
 * <p>Attribute values of every OTLP type are kept as strings (ints and doubles in their decimal
 * form, booleans as true/false, arrays and maps as JSON), so a tag search compares text.
 *
 * @param traceId 32 lowercase hex
 * @param spanId 16 lowercase hex
 * @param parentSpanId 16 lowercase hex, or null for a root span
 * @param service the resource's {@code service.name} ({@code unknown_service} when it has none)
 * @param name the operation
 * @param startNanos start, epoch nanoseconds
 * @param durationNanos end minus start, never negative
 * @param statusMessage the status description, or null
 * @param scope the instrumentation scope name, or null
 * @param attributes the span's attributes
 * @param resource the resource's attributes other than {@code service.name}
 */
public record SpanRecord(
        String traceId,
        String spanId,
        String parentSpanId,
        String service,
        String name,
        Kind kind,
        long startNanos,
        long durationNanos,
        Status status,
        String statusMessage,
        String scope,
        Map<String, String> attributes,
        Map<String, String> resource,
        List<Event> events,
        List<Link> links) {

    /** OTLP span kinds, in their protobuf order. */
    public enum Kind {
        UNSPECIFIED,
        INTERNAL,
        SERVER,
        CLIENT,
        PRODUCER,
        CONSUMER;

        private static final Kind[] VALUES = values();

        public static Kind ofOrdinal(int ordinal) {
            return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : UNSPECIFIED;
        }
    }

    /** OTLP status codes, in their protobuf order. */
    public enum Status {
        UNSET,
        OK,
        ERROR;

        private static final Status[] VALUES = values();

        public static Status ofOrdinal(int ordinal) {
            return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : UNSET;
        }
    }

    /** A timed event inside a span (an exception, a retry, ...). */
    public record Event(long timeNanos, String name, Map<String, String> attributes) {
        public Event {
            requireNonNull(name, "name");
            attributes = attributes == null ? Map.of() : attributes;
        }
    }

    /** A link to a span of this or another trace (batch consumers, fan-in). */
    public record Link(String traceId, String spanId, Map<String, String> attributes) {
        public Link {
            requireNonNull(traceId, "traceId");
            requireNonNull(spanId, "spanId");
            attributes = attributes == null ? Map.of() : attributes;
        }
    }

    public SpanRecord {
        requireNonNull(traceId, "traceId");
        requireNonNull(spanId, "spanId");
        requireNonNull(service, "service");
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(status, "status");
        if (durationNanos < 0) throw new IllegalArgumentException("durationNanos must be >= 0");
        attributes = attributes == null ? Map.of() : attributes;
        resource = resource == null ? Map.of() : resource;
        events = events == null ? List.of() : events;
        links = links == null ? List.of() : links;
    }

    public boolean isError() {
        return status == Status.ERROR;
    }

    public boolean isRoot() {
        return parentSpanId == null;
    }

    public long endNanos() {
        return startNanos + durationNanos;
    }

    /** Start in epoch millis: the record and store timestamp. */
    public long startMillis() {
        return Math.floorDiv(startNanos, 1_000_000L);
    }
}
