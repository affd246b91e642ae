package io.logflow.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * What trace search shows and filters on, one per trace ({@link
 * io.logflow.model.schema.Stores#TRACE_INDEX}): built by {@link TraceState#summary()}, matched by
 * {@link TraceQuery}.
 *
 * @param traceId 32 lowercase hex
 * @param rootService the root span's service: the span without parent (the earliest if several);
 *     until the root arrives, the earliest span's. Null only for a trace without spans
 * @param rootOperation the same span's name
 * @param rootKnown whether the root span has arrived
 * @param startNanos earliest span start, epoch nanoseconds
 * @param durationNanos latest span end minus {@code startNanos}
 * @param spanCount spans in the trace (as far as it was kept, see {@link TraceState})
 * @param errorCount spans with status ERROR
 * @param services every service with a span in the trace, sorted
 * @param operations {@code service + KEY_SEPARATOR + span name}, sorted; the first {@link
 *     #MAX_OPERATIONS} seen
 * @param tags {@code key=value} of span attributes with values of at most {@link
 *     #MAX_TAG_VALUE_LENGTH} characters, sorted; the first {@link #MAX_TAGS} seen
 */
public record TraceSummary(
        String traceId,
        String rootService,
        String rootOperation,
        boolean rootKnown,
        long startNanos,
        long durationNanos,
        int spanCount,
        int errorCount,
        List<String> services,
        List<String> operations,
        List<String> tags) {

    /**
     * Separates the parts of composite keys: service and span name in {@link #operations()}, and the
     * parts of every composite store key ({@link io.logflow.model.schema.Stores#KEY_SEPARATOR} is this
     * character). Never part of a service or operation name we store.
     */
    public static final char KEY_SEPARATOR = '\u0000';

    public static final int MAX_OPERATIONS = 256;
    public static final int MAX_TAGS = 128;
    public static final int MAX_TAG_VALUE_LENGTH = 128;
    private static final int VERSION = 1;

    /** Sorts and de-duplicates the lists (the lookups rely on it) and makes them immutable. */
    public TraceSummary {
        requireNonNull(traceId, "traceId");
        services = sortedDistinct(services);
        operations = sortedDistinct(operations);
        tags = sortedDistinct(tags);
    }

    /** The entry of {@link #operations()} for a span name of a service. */
    static String operationKey(String service, String spanName) {
        return service + KEY_SEPARATOR + spanName;
    }

    /** The entry of {@link #tags()} for an attribute. */
    static String tagKey(String key, String value) {
        return key + "=" + value;
    }

    public boolean error() {
        return errorCount > 0;
    }

    public long startMillis() {
        return Math.floorDiv(startNanos, 1_000_000L);
    }

    public boolean hasService(String service) {
        return Collections.binarySearch(services, service) >= 0;
    }

    /** Whether {@code service} has a span named {@code operation} (within the kept operations). */
    public boolean hasOperation(String service, String operation) {
        return Collections.binarySearch(operations, operationKey(service, operation)) >= 0;
    }

    /** Whether any service has a span named {@code operation} (within the kept operations). */
    boolean anyServiceHasOperation(String operation) {
        for (String entry : operations) {
            int name = entry.indexOf(KEY_SEPARATOR) + 1;
            if (entry.length() - name == operation.length() && entry.startsWith(operation, name)) return true;
        }
        return false;
    }

    /** Whether a span had attribute {@code key} with text {@code value} (within the kept tags). */
    public boolean hasTag(String key, String value) {
        return Collections.binarySearch(tags, tagKey(key, value)) >= 0;
    }

    public byte[] toBytes() {
        Binary.Writer w = new Binary.Writer(128);
        StringTable.Writer strings = new StringTable.Writer();
        w.writeByte(VERSION);
        HexIds.write(w, traceId);
        strings.write(w, rootService);
        strings.write(w, rootOperation);
        w.writeByte(rootKnown ? 1 : 0)
                .writeVarLong(startNanos)
                .writeVarLong(durationNanos)
                .writeVarInt(spanCount)
                .writeVarInt(errorCount)
                .writeVarInt(services.size());
        for (String s : services) strings.write(w, s);
        w.writeVarInt(operations.size());
        for (String op : operations) {
            int sep = op.indexOf(KEY_SEPARATOR);
            strings.write(w, sep < 0 ? op : op.substring(0, sep));
            strings.write(w, sep < 0 ? null : op.substring(sep + 1));
        }
        w.writeVarInt(tags.size());
        for (String t : tags) w.writeString(t);
        return w.toByteArray();
    }

    public static TraceSummary fromBytes(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        StringTable.Reader strings = new StringTable.Reader();
        int version = r.readByte();
        if (version != VERSION) throw new IllegalArgumentException("unknown TraceSummary encoding version " + version);
        String traceId = HexIds.read(r);
        String rootService = strings.read(r);
        String rootOperation = strings.read(r);
        boolean rootKnown = r.readByte() == 1;
        long start = r.readVarLong();
        long duration = r.readVarLong();
        int spanCount = r.readVarInt();
        int errorCount = r.readVarInt();
        List<String> services = new ArrayList<>();
        for (int i = r.readVarInt(); i > 0; i--) services.add(strings.read(r));
        List<String> operations = new ArrayList<>();
        for (int i = r.readVarInt(); i > 0; i--) {
            String service = strings.read(r);
            String name = strings.read(r);
            operations.add(name == null ? service : operationKey(service, name));
        }
        List<String> tags = new ArrayList<>();
        for (int i = r.readVarInt(); i > 0; i--) tags.add(r.readString());
        return new TraceSummary(
                traceId,
                rootService,
                rootOperation,
                rootKnown,
                start,
                duration,
                spanCount,
                errorCount,
                services,
                operations,
                tags);
    }

    private static List<String> sortedDistinct(List<String> list) {
        return list == null || list.isEmpty() ? List.of() : List.copyOf(new TreeSet<>(list));
    }

    /**
     * This summary without its operations and tags: what the search index stores per service (small,
     * rewritten on every span); a search on operation or tag reads them from the trace's state.
     */
    public TraceSummary withoutDetail() {
        return operations.isEmpty() && tags.isEmpty()
                ? this
                : new TraceSummary(
                        traceId,
                        rootService,
                        rootOperation,
                        rootKnown,
                        startNanos,
                        durationNanos,
                        spanCount,
                        errorCount,
                        services,
                        List.of(),
                        List.of());
    }
}
