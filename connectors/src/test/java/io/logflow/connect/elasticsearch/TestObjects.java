package io.logflow.connect.elasticsearch;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/** Fixed fixtures for this module's unit tests: real wire documents, written by the model's own codecs. */
final class TestObjects {
    private TestObjects() {}

    /** 2026-01-01T00:00:00Z. */
    static final long T0 = 1_767_225_600_000L;

    static final String LOGS_TOPIC = "logflow.logs";
    static final String SPANS_TOPIC = "logflow.spans";
    static final String EVENT_ID = "0123456789abcdef0123456789abcdef";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN_ID = "00f067aa0ba902b7";

    static final LogRecord LOG = new LogRecord(
            EVENT_ID,
            T0 + 123,
            "orders",
            Level.ERROR,
            "timeout after 30s for order 123",
            TRACE_ID,
            SPAN_ID,
            "req-1",
            "corr-1",
            labels("region", "eu", "http.status", "504", "http", "clash with http.status"));

    /** A span starting 0.1 ms before 2026-01-01T00:00:00Z, lasting 4.5 ms: it starts on 2025-12-31. */
    static final SpanRecord SPAN = new SpanRecord(
            TRACE_ID,
            SPAN_ID,
            "53ce929d0e0e4736",
            "checkout",
            "GET /cart",
            SpanRecord.Kind.SERVER,
            T0 * 1_000_000L - 100_000,
            4_500_000,
            SpanRecord.Status.ERROR,
            "timeout",
            "io.opentelemetry.netty-4.1",
            labels("http.route", "/cart", "http", "x"),
            labels("host.name", "h1"),
            List.of(new SpanRecord.Event(T0 * 1_000_000L, "exception", Map.of("exception.type", "IOError"))),
            List.of(new SpanRecord.Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", Map.of("k", "v"))));

    static byte[] logJson() {
        return EcsJson.write(LOG);
    }

    static byte[] spanJson() {
        return SpanJson.write(SPAN);
    }

    static Map<String, String> labels(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }

    static SinkRecord record(String topic, int partition, long offset, Object value) {
        return new SinkRecord(topic, partition, null, null, null, value, offset);
    }

    /** The smallest valid log document with this event id. */
    static byte[] log(String eventId) {
        return ("{\"@timestamp\":\"2026-01-01T00:00:00.123Z\",\"event.id\":\"" + eventId
                        + "\",\"service.name\":\"s\",\"log.level\":\"INFO\",\"message\":\"m\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final JsonpMapper MAPPER = new JacksonJsonpMapper();

    /** A bulk response as Elasticsearch sends it, parsed by the client as it parses a real one. */
    static BulkResponse bulkResponse(String json) {
        return BulkResponse._DESERIALIZER.deserialize(
                MAPPER.jsonProvider().createParser(new StringReader(json)), MAPPER);
    }

    /** An item of a bulk response: {@code status} 2xx without error, anything else with {@code errorType}. */
    static String item(String id, int status, String errorType, String reason) {
        String common = "\"_index\":\"logflow-logs-2026.01.01\",\"_id\":\"" + id + "\",\"status\":" + status;
        if (status / 100 == 2) {
            return "{\"index\":{" + common + ",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":2,"
                    + "\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1}}";
        }
        return "{\"index\":{" + common + ",\"error\":{\"type\":\"" + errorType + "\",\"reason\":\"" + reason + "\"}}}";
    }

    static BulkResponse bulk(String... items) {
        boolean errors = false;
        for (String i : items) errors |= i.contains("\"error\"");
        return bulkResponse("{\"took\":3,\"errors\":" + errors + ",\"items\":[" + String.join(",", items) + "]}");
    }

    static BulkResponse allIndexed(List<Documents.Doc> docs) {
        return bulk(docs.stream().map(d -> item(d.id(), 201, null, null)).toArray(String[]::new));
    }
}
