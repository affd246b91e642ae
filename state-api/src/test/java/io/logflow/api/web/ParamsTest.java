package io.logflow.api.web;

import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParamsTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void intInRange_defaultsWhenAbsent_andNamesTheParameterWhenBad() {
    assertThat(Params.intInRange("minutes", Optional.empty(), 15, 1, 1440)).isEqualTo(15);
    assertThat(Params.intInRange("minutes", Optional.of(" 60 "), 15, 1, 1440)).isEqualTo(60);
    assertBadParameter(() -> Params.intInRange("minutes", Optional.of("0"), 15, 1, 1440), "minutes");
    assertBadParameter(() -> Params.intInRange("minutes", Optional.of("99999999999999999999"), 15, 1, 1440), "minutes");
    assertBadParameter(() -> Params.intInRange("limit", Optional.of("1.5"), 15, 1, 1440), "limit");
  }

  @Test
  void instants_areIsoOrEpochMillis() {
    assertThat(Params.instant("from", Optional.of("2026-01-01T00:00:00Z"), null)).isEqualTo(T);
    assertThat(Params.instant("from", Optional.of("2026-01-01T01:00:00+01:00"), null)).isEqualTo(T);
    assertThat(Params.instant("from", Optional.of("1767225600000"), null)).isEqualTo(T);
    assertBadParameter(() -> Params.instant("to", Optional.of("tomorrow"), null), "to");
    assertBadParameter(() -> Params.instant("to", Optional.of("99999999999999999999"), null), "to");
  }

  @Test
  void intervals_levels_andTraceIds() {
    assertThat(Params.interval("interval", Optional.of("5m"))).isEqualTo(Params.Interval.FIVE_MINUTES);
    assertThat(Params.interval("interval", Optional.empty())).isEqualTo(Params.Interval.ONE_MINUTE);
    assertBadParameter(() -> Params.interval("interval", Optional.of("2m")), "interval");
    assertThat(Params.level("level", Optional.of("warning"))).isEqualTo(Level.WARN);
    assertBadParameter(() -> Params.level("level", Optional.of("loud")), "level");
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    assertThat(Params.traceId("traceId", "4BF92F35-77B3-4DA6-A3CE-929D0E0E4736")).isEqualTo(trace);
    assertThat(Params.traceId("traceId", "a3ce929d0e0e4736")).isEqualTo("0000000000000000a3ce929d0e0e4736");
    assertBadParameter(() -> Params.traceId("traceId", "xyz"), "traceId");
    assertThat(Params.optionalTraceId("trace_id", Optional.empty())).isNull();
    assertBadParameter(() -> Params.service("service", Optional.of("x".repeat(300))), "service");
  }

}
