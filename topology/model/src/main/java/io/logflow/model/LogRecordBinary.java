package io.logflow.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Binary encoding of {@link LogRecord} for stores and repartition topics. Version byte first. */
public final class LogRecordBinary {
    private static final int VERSION = 1;

    private LogRecordBinary() {}

    public static byte[] write(LogRecord r) {
        Binary.Writer w = new Binary.Writer(128 + r.message().length());
        w.writeByte(VERSION)
                .writeString(r.eventId())
                .writeVarLong(r.timestamp())
                .writeString(r.service())
                .writeByte(r.level().ordinal())
                .writeString(r.message())
                .writeString(r.traceId())
                .writeString(r.spanId())
                .writeString(r.requestId())
                .writeString(r.correlationId())
                .writeVarInt(r.labels().size());
        for (Map.Entry<String, String> e : r.labels().entrySet())
            w.writeString(e.getKey()).writeString(e.getValue());
        return w.toByteArray();
    }

    public static LogRecord read(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        int version = r.readByte();
        if (version != VERSION) throw new IllegalArgumentException("unknown LogRecord encoding version " + version);
        String eventId = r.readString();
        long ts = r.readVarLong();
        String service = r.readString();
        Level level = Level.ofOrdinal(r.readByte());
        String message = r.readString();
        String traceId = r.readString();
        String spanId = r.readString();
        String requestId = r.readString();
        String correlationId = r.readString();
        int n = r.readVarInt();
        Map<String, String> labels = n == 0 ? Map.of() : new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) labels.put(r.readString(), r.readString());
        return new LogRecord(eventId, ts, service, level, message, traceId, spanId, requestId, correlationId, labels);
    }
}
