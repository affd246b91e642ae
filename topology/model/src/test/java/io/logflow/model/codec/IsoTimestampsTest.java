package io.logflow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimestampsTest {

    /** What java.time makes of the text (the slow path the fast one must agree with). */
    private static long javaTime(String s) {
        String t = s.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00.1Z",
                "2026-01-01T00:00:00.12Z",
                "2026-01-01T00:00:00.123Z",
                "2026-01-01T00:00:00.123456Z",
                "2026-01-01T00:00:00.123456789Z",
                "2026-03-15T13:45:59.999+02:00",
                "2026-03-15T13:45:59-05:30",
                "2024-02-29T23:59:59Z",
                "1999-12-31T23:59:59.5+14:00",
                "2026-06-30T12:00:00",
                "2026-06-30T12:00:00.250",
                "2026-06-30 12:00:00Z",
                "1970-01-01T00:00:00Z"
            })
    void agreesWithJavaTime(String text) {
        assertThat(IsoTimestamps.parse(text)).isEqualTo(javaTime(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-02-30T00:00:00Z",
                "2026-01-01T24:00:00Z",
                "2026-01-01T00:00:60Z",
                "2026-01-01",
                "2026-01-01T00:00:00X",
                "2026-01-01T00:00:00.Z",
                "2026/01/01T00:00:00Z",
                "yesterday at noon!",
                "2026-01-01T00:00:00+2"
            })
    void leavesEverythingElseToTheSlowPath(String text) {
        assertThat(IsoTimestamps.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 1_767_225_600_123L, 4_102_444_800_000L})
    void ecsTimestampsRoundTrip(long millis) {
        assertThat(IsoTimestamps.parse(Instant.ofEpochMilli(millis).toString())).isEqualTo(millis);
    }
}
