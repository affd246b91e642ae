package io.logflow.model.codec;

import io.logflow.model.LogRecord;
import java.util.Map;

/**
 * The fast path of {@link EcsJson#write}: writes the ECS document straight into a reused byte
 * buffer ({@link JsonOut}), byte for byte what Jackson's generator writes.
 * Returns null for what it does not write itself (a lone surrogate, a null label, a time outside
 * years 1970-9999), and EcsJson lets Jackson write it.
 */
final class EcsWriter extends JsonOut {
    private static final ThreadLocal<EcsWriter> WRITERS = ThreadLocal.withInitial(EcsWriter::new);

    private EcsWriter() {}

    static byte[] write(LogRecord r) {
        return write(WRITERS, r, EcsWriter::doWrite);
    }

    private boolean doWrite(LogRecord r) {
        if (r.timestamp() < 0 || r.timestamp() > MAX_FAST_MILLIS) return false;
        raw("{\"@timestamp\":\"");
        timestamp(r.timestamp(), false);
        raw("\",\"event.id\":");
        if (!string(r.eventId())) return false;
        raw(",\"service.name\":");
        if (!string(r.service())) return false;
        raw(",\"log.level\":\"");
        raw(r.level().name());
        raw("\",\"message\":");
        if (!string(r.message())) return false;
        if (r.traceId() != null) {
            raw(",\"trace.id\":");
            if (!string(r.traceId())) return false;
        }
        if (r.spanId() != null) {
            raw(",\"span.id\":");
            if (!string(r.spanId())) return false;
        }
        if (r.requestId() != null) {
            raw(",\"http.request.id\":");
            if (!string(r.requestId())) return false;
        }
        if (r.correlationId() != null || !r.labels().isEmpty()) {
            raw(",\"labels\":{");
            boolean first = true;
            if (r.correlationId() != null) {
                raw("\"correlation_id\":");
                if (!string(r.correlationId())) return false;
                first = false;
            }
            for (Map.Entry<String, String> e : r.labels().entrySet()) {
                if (e.getKey() == null || e.getValue() == null) return false;
                if (!first) byte1(',');
                first = false;
                if (!string(e.getKey())) return false;
                byte1(':');
                if (!string(e.getValue())) return false;
            }
            byte1('}');
        }
        byte1('}');
        return true;
    }
}
