package io.logflow.api.live;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;

/**
 * One record of logflow.logs as the hub read it: the ECS document as sent and the hub's position
 * after it. The hub reads every log of the topic, most of the time with no client connected, so
 * an event stays bytes until something needs it: the log is decoded when a filter first looks at
 * it (keeping only the fields filters read), the SSE data and id strings are built when it is first sent. Lazy fields
 * may be computed by
 * two threads at once (hub and a resuming client); both get equal values, and the values are
 * immutable, so the race is harmless.
 */
final class TailEvent {
    private static final Logger log = LoggerFactory.getLogger(TailEvent.class);

    /** Stands for a record that is not a LogFlow document: no filter matches it. */
    private static final Object UNREADABLE = new Object();

    final int partition;
    final long offset;
    private final byte[] value;
    private final long[] after;
    private Object fields; // null: not decoded yet; Fields, or UNREADABLE
    private String data;
    private String id;
    private ServerSentEvent<String> shared;

    TailEvent(int partition, long offset, byte[] value, long[] after) {
        this.partition = partition;
        this.offset = offset;
        this.value = value;
        this.after = after;
    }

    /** What filters look at; the rest of the decoded log is not kept. */
    record Fields(String service, Level level, String traceId) {}

    /** The decoded filter fields, or null when the record is not a LogFlow document. */
    Fields fields() {
        Object f = fields;
        if (f == null) {
            LogRecord decoded = decode(value, partition, offset);
            fields = f =
                    decoded == null ? UNREADABLE : new Fields(decoded.service(), decoded.level(), decoded.traceId());
        }
        return f instanceof Fields known ? known : null;
    }

    /** The hub's position after this record, as an event id. */
    String id() {
        String i = id;
        if (i == null) id = i = Positions.encode(after);
        return i;
    }

    /** Heap held by the event, fixed at creation: the bytes, the position and room for the strings built when sent. */
    long bytes() {
        return 160L + 2L * value.length + 8L * after.length;
    }

    ServerSentEvent<String> sse(String id) {
        String d = data;
        if (d == null) data = d = new String(value, StandardCharsets.UTF_8);
        return ServerSentEvent.<String>builder().id(id).event("log").data(d).build();
    }

    /** The event as sent to every client in step with the hub; built once, on the hub thread. */
    ServerSentEvent<String> shared() {
        if (shared == null) shared = sse(id());
        return shared;
    }

    /** The log of a record, or null (logged) when it is not a LogFlow document. */
    static LogRecord decode(byte[] value, int partition, long offset) {
        if (value == null) return null;
        try {
            return EcsJson.read(value);
        } catch (RuntimeException e) {
            log.warn(
                    "live tail skipped an unreadable record at {}-{}@{}: {}",
                    Topics.LOGS_NORMALIZED.name(),
                    partition,
                    offset,
                    e.toString());
            return null;
        }
    }
}
