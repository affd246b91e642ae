package io.logflow.connect.elasticsearch;

import static io.logflow.connect.elasticsearch.TestObjects.EVENT_ID;
import static io.logflow.connect.elasticsearch.TestObjects.LOGS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.SPANS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.SPAN_ID;
import static io.logflow.connect.elasticsearch.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class DocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Documents documents =
            new Documents(LOGS_TOPIC, SPANS_TOPIC, new IndexNames("logflow-logs"), new IndexNames("logflow-spans"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Documents.Doc doc(String topic, Object value) {
        Documents.Mapped m = documents.map(topic, value);
        assertThat(m).isInstanceOf(Documents.Doc.class);
        return (Documents.Doc) m;
    }

    private String invalid(String topic, Object value) {
        Documents.Mapped m = documents.map(topic, value);
        assertThat(m).isInstanceOf(Documents.Invalid.class);
        return ((Documents.Invalid) m).reason();
    }

    @Test
    void log_isIndexedAsItIs_withItsEventIdAsId_inTheIndexOfItsUtcDay() {
        byte[] json = TestObjects.logJson();
        Documents.Doc d = doc(LOGS_TOPIC, json);
        assertThat(d.id()).isEqualTo(EVENT_ID);
        assertThat(d.index()).isEqualTo("logflow-logs-2026.01.01");
        assertThat(d.source()).isEqualTo(json);
    }

    @Test
    void replayingARecord_givesTheSameDocument() {
        Documents.Doc first = doc(SPANS_TOPIC, TestObjects.spanJson());
        Documents.Doc again = doc(SPANS_TOPIC, TestObjects.spanJson());
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.index()).isEqualTo(first.index());
        assertThat(again.source()).isEqualTo(first.source());
        assertThat(doc(LOGS_TOPIC, TestObjects.logJson()).id())
                .isEqualTo(doc(LOGS_TOPIC, TestObjects.logJson()).id());
    }

    @Test
    void log_dayIsTheUtcDayOfTimestamp_whateverTheOffsetWrittenIn() {
        String json = "{\"@timestamp\":\"2026-01-01T23:30:00-01:00\",\"event.id\":\"e\",\"message\":\"m\"}";
        assertThat(doc(LOGS_TOPIC, json).index()).isEqualTo("logflow-logs-2026.01.02");
        String local = "{\"@timestamp\":\"2026-01-01T23:59:59.999\",\"event.id\":\"e\",\"message\":\"m\"}";
        assertThat(doc(LOGS_TOPIC, local).index()).isEqualTo("logflow-logs-2026.01.01");
        String millis = "{\"@timestamp\":" + (TestObjects.T0 - 1) + ",\"event.id\":\"e\",\"message\":\"m\"}";
        assertThat(doc(LOGS_TOPIC, millis).index()).isEqualTo("logflow-logs-2025.12.31");
    }

    @Test
    void span_idIsTraceIdDashSpanId_dayFromStartNs_withStartAndEndAdded() throws Exception {
        Documents.Doc d = doc(SPANS_TOPIC, TestObjects.spanJson());
        assertThat(d.id()).isEqualTo(TRACE_ID + "-" + SPAN_ID);
        // starts 0.1 ms before midnight UTC: the day before, although it ends after midnight
        assertThat(d.index()).isEqualTo("logflow-spans-2025.12.31");
        JsonNode source = JSON.readTree(d.source());
        assertThat(source.get("span.start").asText()).isEqualTo("2025-12-31T23:59:59.999900Z");
        assertThat(source.get("span.end").asText()).isEqualTo("2026-01-01T00:00:00.004400Z");
    }

    @Test
    void span_keepsEveryFieldOfTheWireDocument() throws Exception {
        JsonNode original = JSON.readTree(TestObjects.spanJson());
        JsonNode indexed =
                JSON.readTree(doc(SPANS_TOPIC, TestObjects.spanJson()).source());
        for (Iterator<String> names = original.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(indexed.get(name)).as(name).isEqualTo(original.get(name));
        }
        assertThat(indexed.size()).isEqualTo(original.size() + 2);
    }

    @Test
    void span_withoutStartNs_usesTimestamp() {
        String json = "{\"@timestamp\":\"2026-01-01T00:00:00.000Z\",\"trace.id\":\"t\",\"span.id\":\"s\","
                + "\"duration_ns\":1500}";
        Documents.Doc d = doc(SPANS_TOPIC, json);
        assertThat(d.index()).isEqualTo("logflow-spans-2026.01.01");
        assertThat(new String(d.source(), StandardCharsets.UTF_8))
                .contains("\"span.start\":\"2026-01-01T00:00:00Z\"")
                .contains("\"span.end\":\"2026-01-01T00:00:00.000001500Z\"");
    }

    @Test
    void stringAndByteBufferValues_areReadLikeBytes() {
        String json = new String(TestObjects.logJson(), StandardCharsets.UTF_8);
        assertThat(doc(LOGS_TOPIC, json).id()).isEqualTo(EVENT_ID);
        assertThat(doc(LOGS_TOPIC, ByteBuffer.wrap(TestObjects.logJson())).id()).isEqualTo(EVENT_ID);
    }

    @Test
    void documentWithLineBreaks_isRewrittenOnOneLine_forTheBulkApi() throws Exception {
        String pretty = "{\n  \"@timestamp\" : \"2026-01-01T00:00:00Z\",\r\n  \"event.id\" : \"e\",\n"
                + "  \"message\" : \"two\\nlines\",\n  \"n\" : 1.50\n}\n";
        Documents.Doc d = doc(LOGS_TOPIC, pretty);
        assertThat(d.source()).doesNotContain((byte) '\n', (byte) '\r');
        assertThat(JSON.readTree(d.source()).get("message").asText()).isEqualTo("two\nlines");
        assertThat(JSON.readTree(d.source()).get("n").decimalValue()).isEqualByComparingTo("1.50");
    }

    @Test
    void notJson_isInvalid() {
        assertThat(invalid(LOGS_TOPIC, utf8("{\"event.id\":\"e\","))).startsWith("not valid JSON");
        assertThat(invalid(LOGS_TOPIC, utf8("hello"))).startsWith("not valid JSON");
        assertThat(invalid(LOGS_TOPIC, utf8("[1,2]"))).isEqualTo("not a JSON object");
        assertThat(invalid(LOGS_TOPIC, utf8("{\"event.id\":\"e\",\"@timestamp\":1} {}")))
                .startsWith("not valid JSON");
        assertThat(invalid(SPANS_TOPIC, utf8("{\"trace.id\":"))).startsWith("not valid JSON");
        assertThat(invalid(SPANS_TOPIC, utf8("\"span\""))).isEqualTo("not a JSON object");
        assertThat(invalid(SPANS_TOPIC, utf8("{\"trace.id\":\"t\",\"span.id\":\"s\",\"start_ns\":1} x")))
                .startsWith("not valid JSON");
    }

    @Test
    void logWithoutEventIdOrTime_isInvalid() {
        assertThat(invalid(LOGS_TOPIC, utf8("{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"message\":\"m\"}")))
                .isEqualTo("no event.id (a string)");
        assertThat(invalid(LOGS_TOPIC, utf8("{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event.id\":7}")))
                .isEqualTo("no event.id (a string)");
        assertThat(invalid(LOGS_TOPIC, utf8("{\"event.id\":\"e\",\"message\":\"m\"}")))
                .isEqualTo("no @timestamp");
        assertThat(invalid(LOGS_TOPIC, utf8("{\"event.id\":\"e\",\"@timestamp\":\"yesterday\"}")))
                .isEqualTo("unreadable @timestamp");
        assertThat(invalid(LOGS_TOPIC, utf8("{\"event.id\":\"e\",\"@timestamp\":{\"a\":1}}")))
                .isEqualTo("unreadable @timestamp");
    }

    @Test
    void spanWithoutIdsOrTime_isInvalid() {
        assertThat(invalid(SPANS_TOPIC, utf8("{\"span.id\":\"s\",\"start_ns\":1}")))
                .isEqualTo("no trace.id and span.id (strings)");
        assertThat(invalid(SPANS_TOPIC, utf8("{\"trace.id\":\"t\",\"span.id\":\"\",\"start_ns\":1}")))
                .isEqualTo("no trace.id and span.id (strings)");
        assertThat(invalid(SPANS_TOPIC, utf8("{\"trace.id\":\"t\",\"span.id\":\"s\"}")))
                .isEqualTo("no start_ns nor a readable @timestamp");
        assertThat(invalid(SPANS_TOPIC, utf8("{\"trace.id\":\"t\",\"span.id\":\"s\",\"start_ns\":\"1\"}")))
                .isEqualTo("start_ns is not an integer");
        assertThat(invalid(
                        SPANS_TOPIC,
                        utf8("{\"trace.id\":\"t\",\"span.id\":\"s\",\"start_ns\":1," + "\"duration_ns\":-5}")))
                .isEqualTo("duration_ns is not a non-negative integer");
    }

    @Test
    void idLongerThanElasticsearchAllows_isInvalid_becauseItWouldFailTheWholeBulkRequest() {
        String longId = "x".repeat(Documents.MAX_ID_BYTES + 1);
        assertThat(invalid(LOGS_TOPIC, TestObjects.log(longId))).startsWith("document id longer than 512 bytes");
        assertThat(doc(LOGS_TOPIC, TestObjects.log("x".repeat(Documents.MAX_ID_BYTES)))
                        .id())
                .hasSize(Documents.MAX_ID_BYTES);
    }

    @Test
    void nullOrForeignValuesAndUnknownTopics_areInvalid() {
        assertThat(invalid(LOGS_TOPIC, null)).isEqualTo("the record has no value (null)");
        assertThat(invalid(LOGS_TOPIC, java.util.Map.of("a", 1))).contains("ByteArrayConverter");
        assertThat(invalid("other", TestObjects.logJson())).startsWith("topic other is neither");
    }
}
