package io.logflow.model.normalize;

import static io.logflow.model.TestObjects.EVENT_ID;
import static io.logflow.model.TestObjects.T0;
import static io.logflow.model.TestObjects.accept;
import static io.logflow.model.TestObjects.reject;
import static io.logflow.model.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogNormalizerTest {

    @Test
    void acceptsCanonicalShape_withEveryKnownField() {
        LogRecord log = accept("""
        {"@timestamp":"2026-01-01T00:00:01.500Z","service":"orders","level":"ERROR","message":"boom",
         "trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00F067AA0BA902B7","request_id":"r1",
         "correlation_id":"c1","region":"eu"}""");
        assertThat(log.eventId()).isEqualTo(EVENT_ID);
        assertThat(log.timestamp()).isEqualTo(T0 + 1500);
        assertThat(log.service()).isEqualTo("orders");
        assertThat(log.level()).isEqualTo(Level.ERROR);
        assertThat(log.message()).isEqualTo("boom");
        assertThat(log.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(log.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(log.requestId()).isEqualTo("r1");
        assertThat(log.correlationId()).isEqualTo("c1");
        assertThat(log.labels()).containsExactly(java.util.Map.entry("region", "eu"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"timestamp\":\"2026-01-01T00:00:02Z\",\"service_name\":\"a\",\"severity\":\"warn\",\"msg\":\"m\"}",
                "{\"time\":\"2026-01-01T00:00:02Z\",\"service.name\":\"a\",\"log.level\":\"WARNING\","
                        + "\"message\":\"m\"}",
                "{\"time\":\"2026-01-01T00:00:02Z\",\"service\":{\"name\":\"a\"},\"log\":{\"level\":\"Warn\"},\"messa"
                        + "ge\":\"m\"}",
                "{\"@timestamp\":\"2026-01-01T00:00:02Z\",\"service_name\":\"a\",\"severity_text\":\"WARN\","
                        + "\"msg\":\"m\"}"
            })
    void acceptsFieldAliases_andNestedObjects(String json) {
        LogRecord log = accept(json);
        assertThat(log.timestamp()).isEqualTo(T0 + 2000);
        assertThat(log.service()).isEqualTo("a");
        assertThat(log.level()).isEqualTo(Level.WARN);
        assertThat(log.message()).isEqualTo("m");
        assertThat(log.labels()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"2026-01-01T00:00:03Z\"                 | 3000",
                "\"2026-01-01T00:00:03.250Z\"             | 3250",
                "\"2026-01-01T02:00:03+02:00\"            | 3000",
                "\"2026-01-01T00:00:03\"                  | 3000",
                "\"2026-01-01 00:00:03\"                  | 3000",
                "1767225603                               | 3000",
                "1767225603.5                             | 3500",
                "1767225603000                            | 3000",
                "\"1767225603000\"                        | 3000",
                "1767225603000000                         | 3000",
                "1767225603000000000                      | 3000"
            })
    void parsesIsoWithAndWithoutZone_andEpochSecondsMillisMicrosNanos(String value, long offsetMs) {
        assertThat(accept("{\"@timestamp\":" + value.trim() + ",\"message\":\"m\"}")
                        .timestamp())
                .isEqualTo(T0 + offsetMs);
    }

    @Test
    void usesRecordTime_whenLogHasNoTime() {
        assertThat(accept("{\"message\":\"m\"}").timestamp()).isEqualTo(T0);
    }

    @Test
    void keepsRecordTime_andOriginalAsLabel_whenEventTimeIsFarInTheFuture() {
        LogRecord log = accept("{\"@timestamp\":\"2026-01-02T00:00:00Z\",\"message\":\"m\"}");
        assertThat(log.timestamp()).isEqualTo(T0);
        assertThat(log.labels()).containsEntry(LogNormalizer.LABEL_TIMESTAMP_ORIGINAL, "2026-01-02T00:00:00Z");
    }

    @Test
    void keepsRecordTime_andOriginalAsLabel_whenEventTimeIsBeforeTheEpoch() {
        LogRecord log = accept("{\"@timestamp\":\"1969-12-31T23:59:59Z\",\"message\":\"m\"}");
        assertThat(log.timestamp()).isEqualTo(T0);
        assertThat(log.labels()).containsEntry(LogNormalizer.LABEL_TIMESTAMP_ORIGINAL, "1969-12-31T23:59:59Z");
    }

    @ParameterizedTest
    @CsvSource({
        "trace,TRACE",
        "DEBUG,DEBUG",
        "info,INFO",
        "Warning,WARN",
        "warn,WARN",
        "error,ERROR",
        "ERR,ERROR",
        "fatal,FATAL",
        "CRITICAL,FATAL",
        "critical,FATAL",
        "INFO2,INFO"
    })
    void normalisesLevelNames_inAnyCase(String text, Level expected) {
        assertThat(accept("{\"level\":\"" + text + "\",\"message\":\"m\"}").level())
                .isEqualTo(expected);
    }

    @Test
    void mapsOpenTelemetrySeverityNumbers() {
        assertThat(accept("{\"severity_number\":17,\"message\":\"m\"}").level()).isEqualTo(Level.ERROR);
        assertThat(accept("{\"severity_number\":21,\"message\":\"m\"}").level()).isEqualTo(Level.FATAL);
    }

    @Test
    void severityNumberOutOfRange_orFractional_namesNoLevel() {
        assertThat(accept("{\"severity_number\":10000000000,\"message\":\"m\"}").level())
                .isEqualTo(Level.INFO);
        assertThat(accept("{\"level\":17.5,\"message\":\"m\"}").labels())
                .containsEntry(LogNormalizer.LABEL_LEVEL_ORIGINAL, "17.5");
    }

    @Test
    void arrayValuedWellKnownFields_areKeptAsJsonText_notFailures() {
        LogRecord log = accept("{\"level\":[\"ERROR\"],\"service\":[\"a\"],\"trace_id\":[1],\"message\":[\"x\",1]}");
        assertThat(log.level()).isEqualTo(Level.INFO);
        assertThat(log.labels())
                .containsEntry(LogNormalizer.LABEL_LEVEL_ORIGINAL, "[\"ERROR\"]")
                .containsEntry(LogNormalizer.LABEL_TRACE_ID_INVALID, "[1]");
        assertThat(log.service()).isEqualTo("[\"a\"]");
        assertThat(log.message()).isEqualTo("[\"x\",1]");
        assertThat(reject("{\"@timestamp\":[1],\"message\":\"m\"}").category())
                .isEqualTo(DeadLetters.CATEGORY_BAD_TIMESTAMP);
    }

    @Test
    void defaultsToInfo_andKeepsUnknownLevelAsLabel() {
        LogRecord log = accept("{\"level\":\"loud\",\"message\":\"m\"}");
        assertThat(log.level()).isEqualTo(Level.INFO);
        assertThat(log.labels()).containsEntry(LogNormalizer.LABEL_LEVEL_ORIGINAL, "loud");
        assertThat(accept("{\"message\":\"m\"}").level()).isEqualTo(Level.INFO);
    }

    @Test
    void defaultsServiceToUnknown() {
        assertThat(accept("{\"message\":\"m\"}").service()).isEqualTo(LogNormalizer.UNKNOWN_SERVICE);
        assertThat(accept("{\"service\":\"  \",\"message\":\"m\"}").service()).isEqualTo(LogNormalizer.UNKNOWN_SERVICE);
    }

    @Test
    void normalisesUuidTraceIds_to32LowercaseHex() {
        assertThat(accept("{\"traceId\":\"4BF92F35-77B3-4DA6-A3CE-929D0E0E4736\",\"message\":\"m\"}")
                        .traceId())
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(accept("{\"trace\":{\"id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"},\"message\":\"m\"}")
                        .traceId())
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void keepsInvalidTraceIdAsLabel_andNoTraceId() {
        LogRecord log = accept("{\"trace_id\":\"not-a-trace\",\"message\":\"m\"}");
        assertThat(log.traceId()).isNull();
        assertThat(log.labels()).containsEntry(LogNormalizer.LABEL_TRACE_ID_INVALID, "not-a-trace");
    }

    @Test
    void flattensOtherFieldsToDottedLabels_andKeepsNonStringsAsJson() {
        LogRecord log = accept(
                "{\"message\":\"m\",\"http\":{\"status\":504,\"method\":\"GET\"},\"tags\":[\"a\",\"b\"],\"ok\":true}");
        assertThat(log.labels())
                .containsExactly(
                        java.util.Map.entry("http.status", "504"), java.util.Map.entry("http.method", "GET"),
                        java.util.Map.entry("tags", "[\"a\",\"b\"]"), java.util.Map.entry("ok", "true"));
    }

    @Test
    void capsTheNumberOfLabels() {
        StringBuilder json = new StringBuilder("{\"message\":\"m\"");
        for (int i = 0; i < 200; i++)
            json.append(",\"f").append(i).append("\":").append(i);
        LogRecord log = accept(json.append('}').toString());
        assertThat(log.labels())
                .hasSize(LogNormalizer.MAX_LABELS + 1)
                .containsEntry(LogNormalizer.LABEL_LABELS_TRUNCATED, "true");
    }

    @Test
    void rejectsNonJson_asInvalidJson() {
        LogNormalizer.Rejected r = reject("this is not json");
        assertThat(r.category()).isEqualTo(DeadLetters.CATEGORY_INVALID_JSON);
        assertThat(r.reason()).startsWith("not valid JSON");
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertThat(reject("[1,2]").category()).isEqualTo(DeadLetters.CATEGORY_NOT_OBJECT);
        assertThat(reject("\"text\"").category()).isEqualTo(DeadLetters.CATEGORY_NOT_OBJECT);
    }

    @Test
    void rejectsMissingOrBlankMessage() {
        assertThat(reject("{\"level\":\"INFO\"}").category()).isEqualTo(DeadLetters.CATEGORY_MISSING_MESSAGE);
        assertThat(reject("{\"message\":null}").category()).isEqualTo(DeadLetters.CATEGORY_MISSING_MESSAGE);
        assertThat(reject("{\"message\":\"   \"}").category()).isEqualTo(DeadLetters.CATEGORY_MISSING_MESSAGE);
    }

    @Test
    void rejectsUnparsableTimestamp_namingTheValue() {
        LogNormalizer.Rejected r = reject("{\"@timestamp\":\"yesterday\",\"message\":\"m\"}");
        assertThat(r.category()).isEqualTo(DeadLetters.CATEGORY_BAD_TIMESTAMP);
        assertThat(r.reason()).contains("'yesterday'");
    }

    @Test
    void rejectsEmptyAndNullRecords() {
        assertThat(((LogNormalizer.Rejected) LogNormalizer.normalize((byte[]) null, EVENT_ID, T0)).category())
                .isEqualTo(DeadLetters.CATEGORY_EMPTY);
        assertThat(((LogNormalizer.Rejected) LogNormalizer.normalize(new byte[0], EVENT_ID, T0)).category())
                .isEqualTo(DeadLetters.CATEGORY_EMPTY);
    }

    @Test
    void rejectsRecordsOverOneMebibyte_butAcceptsExactlyOneMebibyte() {
        byte[] head = utf8("{\"message\":\"");
        byte[] exact = new byte[Topics.MAX_LOG_BYTES];
        Arrays.fill(exact, (byte) 'x');
        System.arraycopy(head, 0, exact, 0, head.length);
        exact[exact.length - 2] = '"';
        exact[exact.length - 1] = '}';
        assertThat(LogNormalizer.normalize(exact, EVENT_ID, T0)).isInstanceOf(LogNormalizer.Accepted.class);
        byte[] over = Arrays.copyOf(exact, exact.length + 1);
        over[over.length - 3] = 'x';
        over[over.length - 2] = '"';
        over[over.length - 1] = '}';
        LogNormalizer.Result r = LogNormalizer.normalize(over, EVENT_ID, T0);
        assertThat(((LogNormalizer.Rejected) r).category()).isEqualTo(DeadLetters.CATEGORY_TOO_LARGE);
    }

    @Test
    void derivesStableEventIds_fromTheRecordPosition() {
        String id = LogNormalizer.eventId("logs", 3, 42);
        assertThat(id).matches("[0-9a-f]{32}").isEqualTo(LogNormalizer.eventId("logs", 3, 42));
        assertThat(LogNormalizer.eventId("logs", 3, 43)).isNotEqualTo(id);
        assertThat(LogNormalizer.eventId("logs", 4, 42)).isNotEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"logs/0/0", "logs/5/123456789", "other-topic/17/42"})
    void eventIds_areTheHexOfTheNameBasedUuid(String position) {
        UUID u = UUID.nameUUIDFromBytes(position.getBytes(StandardCharsets.UTF_8));
        String[] p = position.split("/");
        assertThat(LogNormalizer.eventId(p[0], Integer.parseInt(p[1]), Long.parseLong(p[2])))
                .isEqualTo(String.format("%016x%016x", u.getMostSignificantBits(), u.getLeastSignificantBits()));
    }
}
