package io.logflow.api.web;

import static io.logflow.api.TestObjects.query;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParamsTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void intInRange_defaultsWhenAbsent_andNamesTheParameterWhenBad() {
        assertThat(Params.intInRange("minutes", Optional.empty(), 15, 1, 1440)).isEqualTo(15);
        assertThat(Params.intInRange("minutes", Optional.of(" 60 "), 15, 1, 1440))
                .isEqualTo(60);
        assertBadParameter(() -> Params.intInRange("minutes", Optional.of("0"), 15, 1, 1440), "minutes");
        assertBadParameter(
                () -> Params.intInRange("minutes", Optional.of("99999999999999999999"), 15, 1, 1440), "minutes");
        assertBadParameter(() -> Params.intInRange("limit", Optional.of("1.5"), 15, 1, 1440), "limit");
    }

    @Test
    void instants_areIsoOrEpochMillis() {
        assertThat(Params.instant("from", Optional.of("2026-01-01T00:00:00Z"), null))
                .isEqualTo(T);
        assertThat(Params.instant("from", Optional.of("2026-01-01T01:00:00+01:00"), null))
                .isEqualTo(T);
        assertThat(Params.instant("from", Optional.of("1767225600000"), null)).isEqualTo(T);
        assertBadParameter(() -> Params.instant("to", Optional.of("tomorrow"), null), "to");
        assertBadParameter(() -> Params.instant("to", Optional.of("99999999999999999999"), null), "to");
        assertBadParameter(() -> Params.instant("to", Optional.of("\u0000"), null), "to");
    }

    @Test
    void intervals_levels_andTraceIds() {
        assertThat(Params.interval("interval", Optional.of("5m"))).isEqualTo(Params.Interval.FIVE_MINUTES);
        assertThat(Params.interval("interval", Optional.empty())).isEqualTo(Params.Interval.ONE_MINUTE);
        assertBadParameter(() -> Params.interval("interval", Optional.of("2m")), "interval");
        assertThat(Params.level("level", Optional.of("warning"))).isEqualTo(Level.WARN);
        assertBadParameter(() -> Params.level("level", Optional.of("loud")), "level");
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertThat(Params.traceId("traceId", "4BF92F35-77B3-4DA6-A3CE-929D0E0E4736"))
                .isEqualTo(trace);
        assertThat(Params.traceId("traceId", "a3ce929d0e0e4736")).isEqualTo("0000000000000000a3ce929d0e0e4736");
        assertBadParameter(() -> Params.traceId("traceId", "xyz"), "traceId");
        assertThat(Params.optionalTraceId("trace_id", Optional.empty())).isNull();
        assertBadParameter(() -> Params.service("service", Optional.of("x".repeat(300))), "service");
    }

    @Test
    void first_isTheFirstValue_orEmpty() {
        assertThat(Params.first(query("tag", "a:1", "tag", "b:2"), "tag")).contains("a:1");
        assertThat(Params.first(query("tag", "a:1"), "limit")).isEmpty();
    }

    @Test
    void requiredInstant_parsesLikeInstant_andIs400WhenAbsentOrBlank() {
        assertThat(Params.requiredInstant("from", Optional.of("1767225600000"))).isEqualTo(T);
        assertBadParameter(() -> Params.requiredInstant("from", Optional.empty()), "from");
        assertBadParameter(() -> Params.requiredInstant("from", Optional.of(" ")), "from");
        assertBadParameter(() -> Params.requiredInstant("to", Optional.of("noon")), "to");
    }

    @Test
    void range_acceptsUpToTheMaximum_andNamesFromWhenReversedOrTooLong() {
        Params.range(T, T, Duration.ofDays(7));
        Params.range(T, T.plus(Duration.ofDays(7)), Duration.ofDays(7));
        assertBadParameter(() -> Params.range(T.plusMillis(1), T, Duration.ofDays(7)), "from");
        assertBadParameter(() -> Params.range(T, T.plus(Duration.ofDays(7)).plusMillis(1), Duration.ofDays(7)), "from");
    }

    @Test
    void durationNanos_isMillisecondsWithFractions_nullWhenAbsent() {
        assertThat(Params.durationNanos("minDurationMs", Optional.empty())).isNull();
        assertThat(Params.durationNanos("minDurationMs", Optional.of(" "))).isNull();
        assertThat(Params.durationNanos("minDurationMs", Optional.of("250"))).isEqualTo(250_000_000L);
        assertThat(Params.durationNanos("minDurationMs", Optional.of("0.5"))).isEqualTo(500_000L);
        assertThat(Params.durationNanos("minDurationMs", Optional.of("0"))).isZero();
        for (String bad : List.of("-1", "fast", "NaN", "Infinity", "1e20")) {
            assertBadParameter(() -> Params.durationNanos("maxDurationMs", Optional.of(bad)), "maxDurationMs");
        }
    }

    @Test
    void bool_isTrueOrFalseInAnyCase_nullWhenAbsent() {
        assertThat(Params.bool("error", Optional.of("TRUE"))).isTrue();
        assertThat(Params.bool("error", Optional.of(" false "))).isFalse();
        assertThat(Params.bool("error", Optional.empty())).isNull();
        assertBadParameter(() -> Params.bool("error", Optional.of("yes")), "error");
    }

    @Test
    void tags_splitAtTheFirstColonOrEquals() {
        assertThat(Params.tags("tag", List.of())).isEmpty();
        assertThat(Params.tags(
                        "tag",
                        List.of("http.response.status_code:500", "url=http://x:8080/a", " region : eu ", "empty:")))
                .isEqualTo(Map.of(
                        "http.response.status_code", "500", "url", "http://x:8080/a", "region", "eu", "empty", ""));
        assertBadParameter(() -> Params.tags("tag", List.of("a:1", "novalue")), "tag");
        assertBadParameter(() -> Params.tags("tag", List.of(":500")), "tag");
        assertBadParameter(() -> Params.tags("tag", List.of(" :500")), "tag");
    }

    @Test
    void serviceName_isTrimmed_andIs400WhenBlankOrTooLong() {
        assertThat(Params.serviceName("name", " orders ")).isEqualTo("orders");
        assertBadParameter(() -> Params.serviceName("name", " "), "name");
        assertBadParameter(() -> Params.serviceName("name", null), "name");
        assertBadParameter(() -> Params.serviceName("name", "x".repeat(Params.MAX_SERVICE_LENGTH + 1)), "name");
        assertThat(Params.serviceName("name", "x".repeat(Params.MAX_SERVICE_LENGTH)))
                .hasSize(Params.MAX_SERVICE_LENGTH);
    }
}
